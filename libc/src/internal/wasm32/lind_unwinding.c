/* The only caller of the lind.syscall import for calls during which the
 * runtime may unwind and rewind the stack with Asyncify (fork). `lind cc`
 * looks this function up by name and instruments it and everything that can
 * reach it — and nothing else, which keeps binaries small. It must never be
 * inlined. */
#include "syscall.h"

__attribute__((__noinline__))
long long __lind_syscall_unwinding(long long n, long long a, long long b,
                                   long long c, long long d, long long e,
                                   long long f)
{
	return __lind_syscall_import(n, a, b, c, d, e, f);
}
