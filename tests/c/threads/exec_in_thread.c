// execve from a thread other than the main one replaces the whole cage (the other threads end, the pid stays), also while the main thread is blocked in pthread_join or has already exited.
// SELF: self
// CFLAGS: -pthread
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char *self_path;
static char parent_pid[16];

static void *execer(void *arg)
{
	execl(self_path, self_path, (const char *)arg, parent_pid, (char *)NULL);
	printf("exec failed\n");
	return NULL;
}

static void *spinner(void *arg)
{
	(void)arg;
	for (;;) pause();
	return NULL;
}

static int exit_code(int status)
{
	if (WIFEXITED(status)) return WEXITSTATUS(status);
	return 100 + WTERMSIG(status);
}

static int run_case(const char *mode)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		pid_t before = getpid();
		pthread_t t, idle;
		pthread_create(&idle, NULL, spinner, NULL);
		pthread_create(&t, NULL, execer, (void *)mode);
		if (strcmp(mode, "after-main-exit") == 0) pthread_exit(NULL);
		pthread_join(t, NULL);
		printf("join returned %d: exec did not happen\n", before);
		return 1;
	}
	int status = 0;
	waitpid(pid, &status, 0);
	return exit_code(status);
}

int main(int argc, char **argv)
{
	if (argc > 1) {
		/* The new program: one thread, same pid as the parent's child. */
		printf("exec'd (%s): ppid matches %d, argc %d\n", argv[1], getppid() == atoi(argv[2]), argc);
		fflush(stdout);
		return strcmp(argv[1], "join") == 0 ? 3 : 4;
	}
	self_path = "./self";
	snprintf(parent_pid, sizeof parent_pid, "%d", (int)getpid());
	int a = run_case("join");
	printf("main: child exit %d\n", a);
	int b = run_case("after-main-exit");
	printf("main: child exit %d\n", b);
	return 0;
}
