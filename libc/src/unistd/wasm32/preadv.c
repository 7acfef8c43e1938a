/* x86_64 kernel convention: the whole 64-bit offset in arg 4 (the kernel's
 * pos_l), the high half in arg 5 (pos_h, ignored by a 64-bit kernel). The
 * generic version casts the offset to a 32-bit long first. */
#define _BSD_SOURCE
#include <sys/uio.h>
#include <unistd.h>
#include "syscall.h"

ssize_t preadv(int fd, const struct iovec *iov, int count, off_t ofs)
{
	return syscall_cp(SYS_preadv, fd, iov, count, ofs, ofs>>32);
}

weak_alias(preadv, preadv64);
