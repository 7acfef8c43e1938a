// A child stopped (SIGSTOP) and continued (SIGCONT) in the middle of a 2 s nanosleep sleeps
// on only for what was left: it wakes about 2 s after it started, not 2 s after SIGCONT.
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

int main(void)
{
	int p[2];
	pipe(p);
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		double start = now();
		struct timespec req = {2, 0};
		int r = nanosleep(&req, NULL);
		double slept = now() - start;
		// The sleep ends 2 s after it began; a sleep made again in full would end
		// 2 s after SIGCONT, 3 s after it began.
		char line[80];
		int n = snprintf(line, sizeof line, "nanosleep %d, woke after 1.9-2.6 s: %d\n", r,
				 slept > 1.9 && slept < 2.6);
		write(p[1], line, n);
		_exit(0);
	}
	close(p[1]);
	struct timespec step = {0, 300 * 1000 * 1000};
	nanosleep(&step, NULL);
	kill(pid, SIGSTOP);
	int status;
	waitpid(pid, &status, WUNTRACED);
	printf("stopped %d\n", WIFSTOPPED(status));
	struct timespec held = {0, 700 * 1000 * 1000};
	nanosleep(&held, NULL);
	kill(pid, SIGCONT);
	char buf[80];
	ssize_t n = read(p[0], buf, sizeof buf - 1);
	buf[n > 0 ? n : 0] = 0;
	fputs(buf, stdout);
	waitpid(pid, &status, 0);
	printf("exited %d status %d\n", WIFEXITED(status), WEXITSTATUS(status));
	return 0;
}
