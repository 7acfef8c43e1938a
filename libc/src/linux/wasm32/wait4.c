/* wait4 with a struct rusage. As for getrusage (musl's generic code, whose
 * time64 path is the one wasm32 takes), the kernel writes x86_64's rusage:
 * 18 64-bit words (two {sec, usec} timevals, then 14 longs), converted here
 * to the wasm32 struct whose longs are 32-bit. musl 1.2.3's generic wait4
 * converts only when the syscall returns 0, but wait4 returns the pid, so
 * the rusage of a reaped child would be lost. */
#define _GNU_SOURCE
#include <sys/wait.h>
#include <sys/resource.h>
#include "syscall.h"

pid_t wait4(pid_t pid, int *status, int options, struct rusage *ru)
{
	long long k[18];
	long r = __syscall(SYS_wait4, pid, status, options, ru ? k : 0);
	if (r > 0 && ru) {
		ru->ru_utime = (struct timeval){ .tv_sec = k[0], .tv_usec = k[1] };
		ru->ru_stime = (struct timeval){ .tv_sec = k[2], .tv_usec = k[3] };
		long *slots = &ru->ru_maxrss;
		for (int i = 0; i < 14; i++) slots[i] = k[4 + i];
	}
	return __syscall_ret(r);
}
