/* lseek returns a 64-bit offset, but __syscallN returns a 32-bit long on
 * wasm32 (as on x32): call the import directly and keep all 64 bits. */
#include <unistd.h>
#include "syscall.h"

off_t __lseek(int fd, off_t offset, int whence)
{
	long long ret = __lind_syscall_import(SYS_lseek, fd, offset, whence, 0, 0, 0);
	if (ret < 0 && ret > -4096) return __syscall_ret(ret);
	return ret;
}

weak_alias(__lseek, lseek);
weak_alias(__lseek, lseek64);
