/* Lind wasm32: there is no thread-pointer register. For now (a single
 * thread per cage) the thread pointer lives in a plain C global set by
 * __set_thread_area (src/thread/wasm32/__set_thread_area.c). When threads
 * arrive (one wasm instance per thread over a shared memory) this becomes a
 * per-instance wasm global. Layout is musl's "TLS below TP" variant, as on
 * x86; musl's own TLS image is empty anyway because wasm-ld places __thread
 * data itself (see README.md). */

extern hidden uintptr_t __lind_tp;

static inline uintptr_t __get_tp()
{
	return __lind_tp;
}

/* No machine context: a signal handler's ucontext keeps x32's layout (see
 * bits/signal.h) but the kernel does not fill the registers. */
#define MC_PC gregs[REG_RIP]
