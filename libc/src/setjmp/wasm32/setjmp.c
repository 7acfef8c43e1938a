/* Not yet supported: setjmp/longjmp will be built on Asyncify (DESIGN.md
 * section 3). Until then setjmp returns 0 and longjmp aborts loudly. */
#include <setjmp.h>

int setjmp(jmp_buf env)
{
	(void)env;
	return 0;
}

weak_alias(setjmp, _setjmp);
weak_alias(setjmp, __setjmp);
