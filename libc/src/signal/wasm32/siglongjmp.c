/* The mask goes back before the jump, so the sigsetjmp returns with it
 * restored, as natively (musl's generic version leaves this to an
 * assembly sigsetjmp that Lind does not have). */
#include <setjmp.h>
#include <signal.h>
#include "syscall.h"

_Noreturn void siglongjmp(sigjmp_buf buf, int val)
{
	if (buf->__fl)
		__syscall(SYS_rt_sigprocmask, SIG_SETMASK, buf->__ss, 0, _NSIG/8);
	longjmp(buf, val);
}
