/* See setjmp.c. The runtime never returns here: it resumes the stack that
 * setjmp(env) saved, or kills the cage if there is none. The frames between
 * here and the export are abandoned (the import traps out of them), not
 * unwound, so longjmp goes through the ordinary syscall path and its
 * callers need no Asyncify instrumentation. */
#include <setjmp.h>
#include "syscall.h"

_Noreturn void longjmp(jmp_buf env, int val)
{
	__lind_syscall(SYS_lind_longjmp, (long)env, val, 0, 0, 0, 0);
	__builtin_unreachable();
}

weak_alias(longjmp, _longjmp);
