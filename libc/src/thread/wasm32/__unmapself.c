/* A detached thread frees its own stack and exits. musl's generic version
 * switches to a static stack with CRTJMP (asm). On wasm the calls below keep
 * their state in wasm locals, not on the (shadow) stack being unmapped. */
#include "pthread_impl.h"
#include "syscall.h"

void __unmapself(void *base, size_t size)
{
	__lind_syscall_import(SYS_munmap, (uintptr_t)base, size, 0, 0, 0, 0);
	for (;;) __lind_syscall_import(SYS_exit, 0, 0, 0, 0, 0, 0);
}
