/* The thread pointer of Lind wasm32 (see arch/wasm32/pthread_arch.h): a C
 * global while a cage has a single thread. Returning 0 tells musl the
 * thread pointer works (libc.can_do_threads). */
#include "pthread_impl.h"

hidden uintptr_t __lind_tp;

int __set_thread_area(void *p)
{
	__lind_tp = (uintptr_t)p;
	return 0;
}
