// Named semaphores (sem_open in /dev/shm): shared by a forked child and by a second program that opens the name, O_EXCL, sem_unlink, timed wait.
// SELF: self
// CFLAGS: -pthread
#include <errno.h>
#include <fcntl.h>
#include <semaphore.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char name[64];
	if (argc > 2) {
		/* The second program: post the named semaphore twice. */
		sem_t *s = sem_open(argv[2], 0);
		if (s == SEM_FAILED) return 20;
		sem_post(s);
		sem_post(s);
		sem_close(s);
		return 0;
	}
	snprintf(name, sizeof name, "/lind-test-sem-%d", (int)getpid());
	sem_t *s = sem_open(name, O_CREAT | O_EXCL, 0600, 0);
	if (s == SEM_FAILED) {
		printf("sem_open failed\n");
		return 1;
	}
	sem_t *again = sem_open(name, O_CREAT | O_EXCL, 0600, 0);
	int e = errno;
	printf("second O_EXCL open fails with EEXIST: %d\n", again == SEM_FAILED && e == EEXIST);

	pid_t pid = fork();
	if (pid == 0) {
		for (int i = 0; i < 3; i++) sem_post(s);
		_exit(0);
	}
	int status;
	waitpid(pid, &status, 0);
	int got = 0;
	while (sem_trywait(s) == 0) got++;
	printf("posts from a forked child seen: %d\n", got);

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		execl("./self", "self", "post", name, (char *)NULL);
		_exit(30);
	}
	sem_wait(s);
	sem_wait(s);
	waitpid(pid, &status, 0);
	printf("another program's posts seen, its exit %d\n", WEXITSTATUS(status));

	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 20 * 1000 * 1000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	int r = sem_timedwait(s, &ts);
	e = errno;
	printf("timed wait on zero times out: %d\n", r == -1 && e == ETIMEDOUT);
	int value = -1;
	sem_post(s);
	sem_getvalue(s, &value);
	printf("value after one post: %d\n", value);

	printf("unlink: %d\n", sem_unlink(name));
	sem_t *gone = sem_open(name, 0);
	e = errno;
	printf("open after unlink fails with ENOENT: %d\n", gone == SEM_FAILED && e == ENOENT);
	sem_close(s);
	return 0;
}
