/* See setjmp.c. The runtime never returns here: it resumes the stack that
 * setjmp(env) saved, or kills the cage if there is none. */
#include <setjmp.h>
#include "syscall.h"

_Noreturn void longjmp(jmp_buf env, int val)
{
	__lind_syscall_unwinding(SYS_lind_longjmp, (long)env, val, 0, 0, 0, 0);
	__builtin_unreachable();
}

weak_alias(longjmp, _longjmp);
