/* sigsetjmp in C: save the mask if asked, then setjmp. setjmp's saved stack
 * includes this frame, so a siglongjmp comes back through here and restores
 * the mask before returning to the caller (musl's generic siglongjmp just
 * calls longjmp). */
#include <setjmp.h>
#include <signal.h>
#include "syscall.h"

int sigsetjmp(sigjmp_buf buf, int save)
{
	buf->__fl = save;
	if (save)
		__syscall(SYS_rt_sigprocmask, SIG_SETMASK, 0, buf->__ss, _NSIG/8);
	int r = setjmp(buf);
	if (r && buf->__fl)
		__syscall(SYS_rt_sigprocmask, SIG_SETMASK, buf->__ss, 0, _NSIG/8);
	return r;
}

weak_alias(sigsetjmp, __sigsetjmp);
