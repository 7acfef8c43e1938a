// A child stopped (SIGSTOP) 0.6 s into a 1.5 s nanosleep, poll or select and continued
// (SIGCONT) 0.5 s later waits on only for what was left, as on Linux: nanosleep and poll end
// 1.5 s after they began (their expiry stands), select 2.0 s after (the 0.9 s it had left
// when stopped); none waits its whole timeout again (2.6 s).
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static void pause_for(long ms)
{
	struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&t, NULL);
}

static void wait_in(const char *how)
{
	int quiet[2], report[2];
	pipe(quiet); // never written: poll and select time out on it
	pipe(report);
	pid_t pid = fork();
	if (pid == 0) {
		close(report[0]);
		double start = now();
		int r;
		if (!strcmp(how, "nanosleep")) {
			struct timespec req = {1, 500000000};
			r = nanosleep(&req, NULL);
		} else if (!strcmp(how, "poll")) {
			struct pollfd p = {.fd = quiet[0], .events = POLLIN};
			r = poll(&p, 1, 1500);
		} else {
			fd_set set;
			FD_ZERO(&set);
			FD_SET(quiet[0], &set);
			struct timeval tv = {1, 500000};
			r = select(quiet[0] + 1, &set, NULL, NULL, &tv);
		}
		double waited = now() - start;
		char line[96];
		const char *when = "neither";
		if (waited > 1.35 && waited < 1.8)
			when = "about 1.5 s";
		else if (waited > 1.85 && waited < 2.3)
			when = "about 2.0 s";
		int n = snprintf(line, sizeof line, "%s returned %d, woke after %s\n", how, r, when);
		write(report[1], line, n);
		_exit(0);
	}
	close(report[1]);
	pause_for(600);
	kill(pid, SIGSTOP);
	int status;
	waitpid(pid, &status, WUNTRACED);
	pause_for(500);
	kill(pid, SIGCONT);
	char buf[96];
	ssize_t n = read(report[0], buf, sizeof buf - 1);
	buf[n > 0 ? n : 0] = 0;
	fputs(buf, stdout);
	waitpid(pid, &status, 0);
	printf("stopped then exited %d\n", WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(report[0]);
	close(quiet[0]);
	close(quiet[1]);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	wait_in("nanosleep");
	wait_in("poll");
	wait_in("select");
	return 0;
}
