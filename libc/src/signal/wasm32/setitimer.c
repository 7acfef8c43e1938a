/* Pass struct itimerval (two {i64, i64} timevals, 32 bytes) as the wasm32
 * headers lay it out, like every other struct. musl's generic version, for
 * 32-bit long with 64-bit time_t, would instead pass a hidden long[4]
 * (i386 layout) to the kernel. */
#include <sys/time.h>
#include "syscall.h"

int setitimer(int which, const struct itimerval *restrict new, struct itimerval *restrict old)
{
	return syscall(SYS_setitimer, which, new, old);
}
