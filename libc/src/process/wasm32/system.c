/* system() for Lind: `/bin/sh -c cmd` through posix_spawn, waited for with
 * SIGINT and SIGQUIT ignored and SIGCHLD blocked in the caller, as POSIX
 * asks. The dispositions are changed with the raw rt_sigaction call (as
 * musl's abort() does), not sigaction(): a program that links sigaction()
 * can install signal handlers, so the runtime compiles it with the checks
 * handlers need, which cost loop-heavy code about a third of its speed. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include "syscall.h"
#include "ksigaction.h"

extern char **__environ;

/* Sets `sig` to `handler` (SIG_IGN or SIG_DFL), keeping the old action. */
static void set_plain(int sig, void (*handler)(int), struct k_sigaction *old)
{
	struct k_sigaction plain = { .handler = handler };
	__syscall(SYS_rt_sigaction, sig, &plain, old, _NSIG/8);
}

static void restore(int sig, const struct k_sigaction *old)
{
	__syscall(SYS_rt_sigaction, sig, old, 0, _NSIG/8);
}

int system(const char *cmd)
{
	if (!cmd)
		return 1; /* there is a shell */
	pthread_testcancel();

	struct k_sigaction was_int, was_quit;
	set_plain(SIGINT, SIG_IGN, &was_int);
	set_plain(SIGQUIT, SIG_IGN, &was_quit);
	sigset_t chld, caller_mask;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, &caller_mask);

	/* The shell starts with the caller's mask, and with SIGINT and SIGQUIT
	 * at their defaults unless the caller itself ignored them. */
	sigset_t dfl;
	sigemptyset(&dfl);
	if (was_int.handler != SIG_IGN)
		sigaddset(&dfl, SIGINT);
	if (was_quit.handler != SIG_IGN)
		sigaddset(&dfl, SIGQUIT);
	posix_spawnattr_t attr;
	posix_spawnattr_init(&attr);
	posix_spawnattr_setsigmask(&attr, &caller_mask);
	posix_spawnattr_setsigdefault(&attr, &dfl);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	char *argv[] = { "sh", "-c", (char *)cmd, 0 };
	pid_t pid;
	int err = posix_spawn(&pid, "/bin/sh", 0, &attr, argv, __environ);
	posix_spawnattr_destroy(&attr);

	int status = -1;
	if (!err) {
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	restore(SIGINT, &was_int);
	restore(SIGQUIT, &was_quit);
	sigprocmask(SIG_SETMASK, &caller_mask, 0);
	if (err)
		errno = err;
	return status;
}
