/* See preadv.c: the whole 64-bit offset goes in arg 4. */
#define _BSD_SOURCE
#include <sys/uio.h>
#include <unistd.h>
#include "syscall.h"

ssize_t pwritev(int fd, const struct iovec *iov, int count, off_t ofs)
{
	return syscall_cp(SYS_pwritev, fd, iov, count, ofs, ofs>>32);
}

weak_alias(pwritev, pwritev64);
