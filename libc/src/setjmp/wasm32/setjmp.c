/* setjmp on Asyncify: the runtime unwinds the whole wasm stack into its
 * buffer, keeps a copy for this jmp_buf (with the C stack pointer), and
 * rewinds at once so setjmp returns 0. longjmp unwinds the current stack,
 * puts the saved copy back and rewinds it: this call then returns again,
 * with longjmp's value. Nothing is stored in the jmp_buf itself; its
 * address names the saved stack. (Wasm exception handling is not used:
 * Asyncify cannot process it and wasmtime 48 does not run legacy EH.) */
#include <setjmp.h>
#include "syscall.h"

extern hidden __thread int __lind_unwind_refused;

int setjmp(jmp_buf env)
{
	/* A longjmp out of a region that refuses unwinding (see
	 * lind_unwinding.c) comes back here: leave the region too. This local
	 * is part of the saved stack, so it holds the value of setjmp time. */
	int refused = __lind_unwind_refused;
	int r = __lind_syscall_unwinding(SYS_lind_setjmp, (long)env, 0, 0, 0, 0, 0);
	__lind_unwind_refused = refused;
	return r;
}

weak_alias(setjmp, _setjmp);
weak_alias(setjmp, __setjmp);
