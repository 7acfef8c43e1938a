/* C version of musl's __syscall_cp_asm (thread cancellation points).
 * Without asm the "is the PC inside the syscall window" test of
 * pthread_cancel's signal handler cannot work: __cp_begin/__cp_end are
 * dummies, so asynchronous cancellation of a blocked syscall is only seen
 * when the syscall returns EINTR (pthread_cancel.c handles that case). */
#include "pthread_impl.h"
#include "syscall.h"

hidden const char __cp_begin[1], __cp_end[1], __cp_cancel[1];

hidden long __cancel();

hidden long __syscall_cp_asm(volatile int *cancel, syscall_arg_t nr,
                             syscall_arg_t u, syscall_arg_t v, syscall_arg_t w,
                             syscall_arg_t x, syscall_arg_t y, syscall_arg_t z)
{
	if (*cancel) return __cancel();
	return __lind_syscall_import(nr, u, v, w, x, y, z);
}
