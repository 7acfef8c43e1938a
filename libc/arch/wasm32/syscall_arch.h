/* Lind wasm32: every system call goes through ONE wasm import,
 * lind.syscall(nr, a1..a6) -> i64, with Linux x86_64 syscall numbers.
 * The result follows the Linux convention (-errno on failure).
 *
 * Arguments travel as i64. As on x32, __scc() widens each argument with a
 * plain C cast to long long: pointers and unsigned values are zero-extended,
 * signed values sign-extended, 64-bit values (off_t, time_t) pass whole. The
 * kernel truncates int arguments to 32 bits itself.
 *
 * The __syscallN helpers return long (32 bits), like x32: fine for every
 * syscall except those returning a 64-bit quantity in one register; those
 * (lseek) call __lind_syscall directly, see src/unistd/wasm32/lseek.c. */

#define __SYSCALL_LL_E(x) (x)
#define __SYSCALL_LL_O(x) (x)

#define __scc(X) ((long long)(X))
typedef long long syscall_arg_t;

__attribute__((__import_module__("lind"), __import_name__("syscall")))
long long __lind_syscall_import(long long, long long, long long, long long,
                                long long, long long, long long);

/* Calls that may unwind the wasm stack (fork and friends: the runtime uses
 * Asyncify) must come from this one function, so that `lind cc` can
 * instrument exactly the functions that can be on the stack then
 * (src/internal/wasm32/lind_unwinding.c). */
long long __lind_syscall_unwinding(long long, long long, long long, long long,
                                   long long, long long, long long);

/* 56 clone, 57 fork, 58 vfork. Only call sites where the number is a
 * constant are routed here (libc is always built with -O2, where this folds
 * after inlining); the one generic entry that can carry them, syscall(),
 * checks explicitly (src/misc/wasm32/syscall.c). Generic paths such as
 * __syscall_cp never fork, so they stay off the instrumented set. */
#define __LIND_MAY_UNWIND(n) ((n) == 56 || (n) == 57 || (n) == 58)

static __inline long long __lind_syscall(long long n, long long a, long long b,
                                         long long c, long long d, long long e,
                                         long long f)
{
	if (__builtin_constant_p(n) && __LIND_MAY_UNWIND(n))
		return __lind_syscall_unwinding(n, a, b, c, d, e, f);
	return __lind_syscall_import(n, a, b, c, d, e, f);
}

static __inline long __syscall0(long long n)
{
	return __lind_syscall(n, 0, 0, 0, 0, 0, 0);
}

static __inline long __syscall1(long long n, long long a1)
{
	return __lind_syscall(n, a1, 0, 0, 0, 0, 0);
}

static __inline long __syscall2(long long n, long long a1, long long a2)
{
	return __lind_syscall(n, a1, a2, 0, 0, 0, 0);
}

static __inline long __syscall3(long long n, long long a1, long long a2, long long a3)
{
	return __lind_syscall(n, a1, a2, a3, 0, 0, 0);
}

static __inline long __syscall4(long long n, long long a1, long long a2, long long a3,
                                long long a4)
{
	return __lind_syscall(n, a1, a2, a3, a4, 0, 0);
}

static __inline long __syscall5(long long n, long long a1, long long a2, long long a3,
                                long long a4, long long a5)
{
	return __lind_syscall(n, a1, a2, a3, a4, a5, 0);
}

static __inline long __syscall6(long long n, long long a1, long long a2, long long a3,
                                long long a4, long long a5, long long a6)
{
	return __lind_syscall(n, a1, a2, a3, a4, a5, a6);
}

/* Lind-specific syscall numbers (outside Linux's range). */
#define SYS_lind_startup 1024
#define SYS_lind_longjmp 1026
#define SYS_lind_unwind_refused 1027
#define SYS_lind_spawn 1028
#define SYS_lind_signal_point 1029

/* 64-bit time_t everywhere, and the kernel's structs already use it: the
 * *_time64 names are the plain syscalls, exactly as on x32. */
#define SYS_clock_gettime64 SYS_clock_gettime
#define SYS_clock_settime64 SYS_clock_settime
#define SYS_clock_adjtime64 SYS_clock_adjtime
#define SYS_clock_nanosleep_time64 SYS_clock_nanosleep
#define SYS_timer_gettime64 SYS_timer_gettime
#define SYS_timer_settime64 SYS_timer_settime
#define SYS_timerfd_gettime64 SYS_timerfd_gettime
#define SYS_timerfd_settime64 SYS_timerfd_settime
#define SYS_utimensat_time64 SYS_utimensat
#define SYS_pselect6_time64 SYS_pselect6
#define SYS_ppoll_time64 SYS_ppoll
#define SYS_recvmmsg_time64 SYS_recvmmsg
#define SYS_mq_timedsend_time64 SYS_mq_timedsend
#define SYS_mq_timedreceive_time64 SYS_mq_timedreceive
#define SYS_semtimedop_time64 SYS_semtimedop
#define SYS_rt_sigtimedwait_time64 SYS_rt_sigtimedwait
#define SYS_futex_time64 SYS_futex
#define SYS_sched_rr_get_interval_time64 SYS_sched_rr_get_interval
#define SYS_getrusage_time64 SYS_getrusage
#define SYS_wait4_time64 SYS_wait4

#define IPC_64 0
