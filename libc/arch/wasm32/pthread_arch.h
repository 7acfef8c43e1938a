/* Lind wasm32: there is no thread-pointer register. Each thread of a cage
 * is its own wasm instance over the cage's shared memory, so the thread
 * pointer is a `__thread` variable: wasm-ld puts it in the instance's TLS
 * block, addressed through the per-instance global __tls_base (set for the
 * main thread by wasm-ld's __wasm_init_memory, for other threads by
 * __lind_thread_start, src/thread/wasm32/clone.c). Layout is musl's "TLS
 * below TP" variant, as on x86; musl's own TLS image is empty anyway
 * because wasm-ld places __thread data itself (see README.md). */

extern hidden __thread uintptr_t __lind_tp;

static inline uintptr_t __get_tp()
{
	return __lind_tp;
}

/* No machine context: a signal handler's ucontext keeps x32's layout (see
 * bits/signal.h) but the kernel does not fill the registers. */
#define MC_PC gregs[REG_RIP]
