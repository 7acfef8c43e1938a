/* syscall(2) for Lind wasm32. musl's generic version reads each variadic
 * argument as syscall_arg_t (long long), but wasm32 varargs are laid out in
 * memory by their C type: an int or a pointer takes 4 bytes. So read each
 * argument as a 32-bit unsigned long and zero-extend it (right for pointers
 * and sizes; the kernel truncates int arguments to 32 bits). A 64-bit
 * argument (off_t) cannot be passed through syscall() on wasm32. */
#define _BSD_SOURCE
#include <unistd.h>
#include "syscall.h"
#include <stdarg.h>

#undef syscall

long syscall(long n, ...)
{
	va_list ap;
	unsigned long a,b,c,d,e,f;
	va_start(ap, n);
	a=va_arg(ap, unsigned long);
	b=va_arg(ap, unsigned long);
	c=va_arg(ap, unsigned long);
	d=va_arg(ap, unsigned long);
	e=va_arg(ap, unsigned long);
	f=va_arg(ap, unsigned long);
	va_end(ap);
	if (__LIND_MAY_UNWIND(n))
		return __syscall_ret(__lind_syscall_unwinding(n,a,b,c,d,e,f));
	return __syscall_ret(__syscall(n,a,b,c,d,e,f));
}
