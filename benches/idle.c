// Idle cages: forks N children that each block in read() on a pipe, then
// says "ready N" on stdout and waits for its stdin to reach EOF. Closing
// the write end of the pipe then wakes every child (EOF), they exit, and
// the parent reaps them all. run.py measures the resident memory of the
// whole run (lind's VmRSS, or the sum of PSS over the native processes)
// while everyone waits.
//
//   idle [N]     (default 1000)
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1000;
	int p[2];
	if (pipe(p) != 0) {
		perror("pipe");
		return 1;
	}
	for (int i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (pid == 0) {
			char c;
			close(p[1]);
			// Blocks until every writer is gone, then exits.
			while (read(p[0], &c, 1) > 0)
				;
			_exit(0);
		}
	}
	close(p[0]);
	printf("ready %d\n", n);
	fflush(stdout);
	char buf[64];
	while (read(0, buf, sizeof buf) > 0)
		;
	close(p[1]);
	int ok = 0, status;
	while (wait(&status) > 0)
		ok += WIFEXITED(status) && WEXITSTATUS(status) == 0;
	printf("reaped %d\n", ok);
	return ok == n ? 0 : 1;
}
