/* setjmp on Asyncify: the runtime unwinds the whole wasm stack into its
 * buffer, keeps a copy for this jmp_buf (with the C stack pointer), and
 * rewinds at once so setjmp returns 0. longjmp unwinds the current stack,
 * puts the saved copy back and rewinds it: this call then returns again,
 * with longjmp's value. Nothing is stored in the jmp_buf itself; its
 * address names the saved stack. (Wasm exception handling is not used:
 * Asyncify cannot process it and wasmtime 48 does not run legacy EH.) */
#include <setjmp.h>
#include "syscall.h"

int setjmp(jmp_buf env)
{
	return __lind_syscall_unwinding(SYS_lind_setjmp, (long)env, 0, 0, 0, 0, 0);
}

weak_alias(setjmp, _setjmp);
weak_alias(setjmp, __setjmp);
