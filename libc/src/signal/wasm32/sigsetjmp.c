/* sigsetjmp is a macro in Lind's <setjmp.h> (libc/include/setjmp.h): this
 * saves the mask, then the macro calls setjmp in the caller's own frame,
 * which the compiler's setjmp lowering needs (see setjmp/wasm32/setjmp.c). */
#include <setjmp.h>
#include <signal.h>
#include "syscall.h"

struct __jmp_buf_tag *__lind_sigsetjmp_save(sigjmp_buf buf, int save)
{
	buf->__fl = save;
	if (save)
		__syscall(SYS_rt_sigprocmask, SIG_SETMASK, 0, buf->__ss, _NSIG/8);
	return buf;
}
