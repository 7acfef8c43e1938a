// Fault signals reach the program's handlers, which siglongjmp out and
// carry on: integer division by zero (SIGFPE), a call through a NULL
// function pointer (SIGSEGV), __builtin_trap (SIGILL), a wild pointer
// (SIGSEGV); si_signo is the signal. A blocked fault signal still kills.
// The faults happen in functions that the sigsetjmp's function calls: in
// Lind, a fault in the very function that called sigsetjmp cannot come back
// to it (the trap has already left that frame), and the cage dies of it.
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static sigjmp_buf back;
static volatile int last_sig, last_signo;

static void on_fault(int sig, siginfo_t *si, void *ctx)
{
    (void)ctx;
    last_sig = sig;
    last_signo = si->si_signo;
    siglongjmp(back, 1);
}

static const char *name(int sig)
{
    return sig == SIGFPE ? "SIGFPE" : sig == SIGSEGV ? "SIGSEGV" : sig == SIGILL ? "SIGILL" : "other";
}

static volatile int zero = 0;
static void (*volatile null_fn)(void);
static volatile int *volatile wild = (int *)0xfff00000UL;

static __attribute__((noinline)) int divide(int by) { return 10 / by; }
static __attribute__((noinline)) void call_null(void) { null_fn(); }
static __attribute__((noinline)) void trap(void) { __builtin_trap(); }
static __attribute__((noinline)) int read_wild(void) { return *wild; }

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGFPE, &sa, 0);
    sigaction(SIGSEGV, &sa, 0);
    sigaction(SIGILL, &sa, 0);

    for (int what = 0; what < 4; what++) {
        last_sig = 0;
        if (sigsetjmp(back, 1) == 0) {
            switch (what) {
            case 0: printf("%d\n", divide(zero)); break;
            case 1: call_null(); break;
            case 2: trap();
            case 3: printf("%d\n", read_wild()); break;
            }
            printf("case %d: no fault\n", what);
        } else {
            printf("case %d: caught %s, si_signo matches %d\n", what, name(last_sig), last_signo == last_sig);
        }
    }
    // The mask was restored by siglongjmp: SIGSEGV is deliverable again.
    sigset_t cur;
    sigprocmask(SIG_BLOCK, 0, &cur);
    printf("SIGSEGV unblocked after the jumps: %d\n", !sigismember(&cur, SIGSEGV));
    return 0;
}
