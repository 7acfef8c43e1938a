/* See src/setjmp/wasm32/setjmp.c: sigsetjmp returns 0 (and so never needs
 * to restore the signal mask); siglongjmp goes through longjmp, which aborts
 * with a message. */
#include <setjmp.h>

int sigsetjmp(sigjmp_buf buf, int save)
{
	(void)buf; (void)save;
	return 0;
}

weak_alias(sigsetjmp, __sigsetjmp);
