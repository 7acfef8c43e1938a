/* The only caller of the lind.syscall import for calls during which the
 * runtime may unwind and rewind the stack with Asyncify (fork, setjmp).
 * `lind cc` looks this function up by name and instruments it and
 * everything that can reach it — and nothing else, which keeps binaries
 * small. It must never be inlined.
 *
 * A few libc callback sites (qsort's comparator) are deliberately not
 * followed by that analysis (crates/cli/src/asyncify.rs), so their callers
 * are not instrumented. While one of them runs, __lind_unwind_refused is
 * non-zero and the runtime is asked to refuse the call instead of unwinding
 * through frames that cannot be rewound. */
#include "syscall.h"

hidden __thread int __lind_unwind_refused;

__attribute__((__noinline__))
long long __lind_syscall_unwinding(long long n, long long a, long long b,
                                   long long c, long long d, long long e,
                                   long long f)
{
	if (__lind_unwind_refused)
		return __lind_syscall_import(SYS_lind_unwind_refused, n, a, 0, 0, 0, 0);
	return __lind_syscall_import(n, a, b, c, d, e, f);
}
