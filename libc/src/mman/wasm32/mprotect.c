/* mprotect passes its arguments through unchanged, as glibc does, so an
 * unaligned address is EINVAL and a length that overflows is ENOMEM, both
 * from the kernel. musl's generic version rounds the address down and the
 * end up itself, which hides both errors (and wraps around for huge
 * lengths). */
#include <sys/mman.h>
#include "libc.h"
#include "syscall.h"

int __mprotect(void *addr, size_t len, int prot)
{
	return syscall(SYS_mprotect, addr, len, prot);
}

weak_alias(__mprotect, mprotect);
