/* __clone for Lind wasm32. A thread is a new wasm instance of the cage's
 * module over the same shared memory, run by the runtime on its own host
 * thread. The runtime needs to know where the new thread starts and with
 * which stack; the rest is done here, in the new instance, before the
 * thread function runs:
 *
 *   [stack]           musl's start_args (pthread_create put them there)
 *   [tls block]       this thread's wasm TLS (__thread variables),
 *                     __builtin_wasm_tls_size() bytes, aligned
 *   [struct clone_block]  <- the new __stack_pointer; the stack grows down
 *
 * SYS_clone gets x86_64's arguments (flags, newsp, ptid, ctid, tls) with
 * newsp = the clone block. The runtime sets the new instance's
 * __stack_pointer to it and calls the exported __lind_thread_start(block),
 * which installs the TLS block and the thread pointer, calls func(arg) and
 * ends the thread with SYS_exit. Without CLONE_VM this is a plain fork. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <string.h>
#include "pthread_impl.h"
#include "syscall.h"

struct clone_block {
	int (*func)(void *);
	void *arg;
	void *tls_block;
	void *tp;
};

/* Synthesized by wasm-ld for modules with shared memory: sets __tls_base
 * to the block and copies the .tdata image into it. */
extern void __wasm_init_tls(void *);

__attribute__((__export_name__("__lind_thread_start")))
void __lind_thread_start(struct clone_block *b)
{
	__wasm_init_tls(b->tls_block);
	__lind_tp = (uintptr_t)b->tp;
	int r = b->func(b->arg);
	for (;;) __lind_syscall_import(SYS_exit, r, 0, 0, 0, 0, 0);
}

int __clone(int (*func)(void *), void *stack, int flags, void *arg, ...)
{
	va_list ap;
	va_start(ap, arg);
	void *ptid = va_arg(ap, void *);
	void *tls = va_arg(ap, void *);
	void *ctid = va_arg(ap, void *);
	va_end(ap);

	if (!(flags & CLONE_VM)) {
		/* Not a thread: a fork whose child calls func(arg). */
		long long r = __lind_syscall_unwinding(SYS_clone, flags & ~CLONE_SETTLS,
			0, (uintptr_t)ptid, (uintptr_t)ctid, 0, 0);
		if (r) return r;
		__syscall(SYS_exit, func(arg));
		return 0;
	}
	if (!stack) return -EINVAL;
	uintptr_t top = (uintptr_t)stack & -16;
	size_t tls_size = __builtin_wasm_tls_size();
	size_t tls_align = __builtin_wasm_tls_align();
	if (tls_align < 16) tls_align = 16;
	uintptr_t tls_block = (top - tls_size) & -tls_align;
	struct clone_block *b = (void *)((tls_block - sizeof *b) & -16);
	b->func = func;
	b->arg = arg;
	b->tls_block = (void *)tls_block;
	b->tp = (flags & CLONE_SETTLS) ? tls : (void *)__lind_tp;
	return __lind_syscall_import(SYS_clone, flags, (uintptr_t)b,
		(uintptr_t)ptid, (uintptr_t)ctid, (uintptr_t)tls, 0);
}
