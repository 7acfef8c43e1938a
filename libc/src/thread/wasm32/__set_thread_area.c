/* The thread pointer of Lind wasm32 (see arch/wasm32/pthread_arch.h): a
 * `__thread` variable, so each thread instance has its own. Returning 0
 * tells musl the thread pointer works (libc.can_do_threads). */
#include "pthread_impl.h"

hidden __thread uintptr_t __lind_tp;

int __set_thread_area(void *p)
{
	__lind_tp = (uintptr_t)p;
	return 0;
}
