/* posix_spawn for Lind: musl's version runs the child on a separate stack
 * with clone(CLONE_VM|CLONE_VFORK), which a cage cannot do (one linear
 * memory per cage, no shared-memory children). Here the child is a copy of
 * the parent made by the lind_spawn call: a fork whose one thread does not
 * return from the call (that would need the stack unwound and rewound with
 * Asyncify, and every caller of posix_spawn -- system(), popen(), an
 * interpreter's whole dispatch loop through its callbacks -- instrumented)
 * but starts at __lind_spawn_start(a), below the caller's stack pointer and
 * with its TLS, where `a` (this call's arguments, on the parent's stack) is
 * intact in the child's copy. It applies the attributes and file actions
 * and execs. A close-on-exec pipe carries the child's errno back, so the
 * parent gets posix_spawn's error exactly when the exec (or an action)
 * failed. system() and popen() are built on this. */
#define _GNU_SOURCE
#include <spawn.h>
#include <sched.h>
#include <unistd.h>
#include <signal.h>
#include <fcntl.h>
#include <errno.h>
#include <sys/wait.h>
#include "syscall.h"
#include "ksigaction.h"
#include "../fdop.h"

/* What the child needs, on posix_spawn's stack. */
struct spawn_args {
	const char *path;
	const posix_spawn_file_actions_t *fa;
	const posix_spawnattr_t *attr;
	char *const *argv;
	char *const *envp;
	sigset_t old;
	int p[2];
};

static _Noreturn void report_and_exit(int fd, int err)
{
	__syscall(SYS_write, fd, &err, sizeof err);
	_exit(127);
}

/* Moves the error pipe out of the way of a descriptor an action targets. */
static int keep_clear(int *err_fd, int target)
{
	if (*err_fd != target) return 0;
	int moved = __syscall(SYS_fcntl, *err_fd, F_DUPFD_CLOEXEC, 0);
	if (moved < 0) return moved;
	__syscall(SYS_close, *err_fd);
	*err_fd = moved;
	return 0;
}

static int apply_actions(const posix_spawn_file_actions_t *fa, int *err_fd)
{
	struct fdop *op = fa ? fa->__actions : 0;
	if (!op) return 0;
	while (op->next) op = op->next; /* the oldest action is last */
	for (; op; op = op->prev) {
		int r = 0;
		switch (op->cmd) {
		case FDOP_CLOSE:
			if ((r = keep_clear(err_fd, op->fd))) return r;
			__syscall(SYS_close, op->fd);
			break;
		case FDOP_DUP2:
			if ((r = keep_clear(err_fd, op->fd))) return r;
			if (op->srcfd == op->fd) {
				int fl = __syscall(SYS_fcntl, op->fd, F_GETFD);
				if (fl < 0) return fl;
				r = __syscall(SYS_fcntl, op->fd, F_SETFD, fl & ~FD_CLOEXEC);
			} else {
				r = __syscall(SYS_dup2, op->srcfd, op->fd);
			}
			if (r < 0) return r;
			break;
		case FDOP_OPEN: {
			if ((r = keep_clear(err_fd, op->fd))) return r;
			int fd = __syscall(SYS_openat, AT_FDCWD, op->path, op->oflag | O_LARGEFILE, op->mode);
			if (fd < 0) return fd;
			if (fd != op->fd) {
				r = __syscall(SYS_dup2, fd, op->fd);
				__syscall(SYS_close, fd);
				if (r < 0) return r;
			}
			break;
		}
		case FDOP_CHDIR:
			if ((r = __syscall(SYS_chdir, op->path)) < 0) return r;
			break;
		case FDOP_FCHDIR:
			if ((r = __syscall(SYS_fchdir, op->fd)) < 0) return r;
			break;
		}
	}
	return 0;
}

static int apply_attrs(const posix_spawnattr_t *attr)
{
	int r;
	short flags = attr ? attr->__flags : 0;
	if (flags & POSIX_SPAWN_SETSIGDEF) {
		/* The raw call, not sigaction(): see system.c. */
		struct k_sigaction dfl = { .handler = SIG_DFL };
		for (int sig = 1; sig < _NSIG; sig++)
			if (sigismember(&attr->__def, sig) && sig != SIGKILL && sig != SIGSTOP)
				__syscall(SYS_rt_sigaction, sig, &dfl, 0, _NSIG/8);
	}
	if (flags & POSIX_SPAWN_SETSID)
		if ((r = __syscall(SYS_setsid)) < 0) return r;
	if (flags & POSIX_SPAWN_SETPGROUP)
		if ((r = __syscall(SYS_setpgid, 0, attr->__pgrp))) return r;
	if (flags & POSIX_SPAWN_RESETIDS) {
		if ((r = __syscall(SYS_setgid, __syscall(SYS_getgid))) < 0 && r != -ENOSYS) return r;
		if ((r = __syscall(SYS_setuid, __syscall(SYS_getuid))) < 0 && r != -ENOSYS) return r;
	}
	return 0;
}

/* The child's only thread starts here (see the top of this file); it
 * never returns. */
__attribute__((__export_name__("__lind_spawn_start")))
_Noreturn void __lind_spawn_start(struct spawn_args *a)
{
	const posix_spawnattr_t *attr = a->attr;
	int err_fd = a->p[1];
	__syscall(SYS_close, a->p[0]);
	int r = apply_attrs(attr);
	if (!r) r = apply_actions(a->fa, &err_fd);
	if (r) report_and_exit(err_fd, -r);
	pthread_sigmask(SIG_SETMASK,
		attr && (attr->__flags & POSIX_SPAWN_SETSIGMASK) ? &attr->__mask : &a->old, 0);
	int (*exec)(const char *, char *const *, char *const *) =
		attr && attr->__fn ? (int (*)(const char *, char *const *, char *const *))attr->__fn : execve;
	exec(a->path, a->argv, a->envp);
	report_and_exit(err_fd, errno);
}

int posix_spawn(pid_t *restrict res, const char *restrict path,
	const posix_spawn_file_actions_t *fa,
	const posix_spawnattr_t *restrict attr,
	char *const argv[restrict], char *const envp[restrict])
{
	struct spawn_args a = { .path = path, .fa = fa, .attr = attr, .argv = argv, .envp = envp };
	sigset_t all;
	if (pipe2(a.p, O_CLOEXEC)) return errno;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &a.old);
	pid_t pid = __syscall(SYS_lind_spawn, &a);
	int err = 0;
	close(a.p[1]);
	if (pid < 0) {
		err = -pid;
	} else if (read(a.p[0], &err, sizeof err) == sizeof err) {
		/* The child failed before or at exec: reap it, as musl does. */
		waitpid(pid, 0, 0);
	} else {
		err = 0;
		if (res) *res = pid;
	}
	close(a.p[0]);
	pthread_sigmask(SIG_SETMASK, &a.old, 0);
	return err;
}
