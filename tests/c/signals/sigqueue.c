// Real-time signals queue (each sigqueue value arrives, in order), standard
// ones coalesce; sigtimedwait takes blocked signals with their siginfo and
// times out with EAGAIN; an SA_SIGINFO handler sees the sigval.
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t handler_value = -1, handler_code = 99;

static void on_rt(int sig, siginfo_t *si, void *ctx)
{
    (void)sig;
    (void)ctx;
    handler_value = si->si_value.sival_int;
    handler_code = si->si_code;
}

int main(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGRTMIN);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, 0);

    for (int v = 10; v < 13; v++)
        sigqueue(getpid(), SIGRTMIN, (union sigval){.sival_int = v});
    for (int i = 0; i < 3; i++)
        raise(SIGUSR1);

    sigset_t pending;
    sigpending(&pending);
    printf("pending: RTMIN %d USR1 %d\n", sigismember(&pending, SIGRTMIN), sigismember(&pending, SIGUSR1));

    struct timespec zero = {0, 0};
    siginfo_t si;
    int n;
    // The lowest-numbered signal comes first: SIGUSR1 (10), once.
    while ((n = sigtimedwait(&set, &si, &zero)) > 0) {
        if (n == SIGUSR1)
            printf("SIGUSR1 code SI_USER or SI_TKILL %d pid ok %d\n",
                   si.si_code == SI_USER || si.si_code == SI_TKILL, si.si_pid == getpid());
        else
            printf("SIGRTMIN value %d code SI_QUEUE %d pid ok %d\n", si.si_value.sival_int,
                   si.si_code == SI_QUEUE, si.si_pid == getpid());
    }
    printf("then: %d %s\n", n, strerror(errno));

    struct timespec short_wait = {0, 30 * 1000000L};
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    n = sigtimedwait(&set, &si, &short_wait);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
    printf("timed out: %d EAGAIN %d waited >= 25 ms %d\n", n, errno == EAGAIN, ms >= 25);

    // Unblocked, with an SA_SIGINFO handler.
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_rt;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGRTMIN + 1, &sa, 0);
    sigqueue(getpid(), SIGRTMIN + 1, (union sigval){.sival_int = 77});
    printf("handler: value %d SI_QUEUE %d\n", (int)handler_value, handler_code == SI_QUEUE);

    // sigwaitinfo with the signal already pending returns at once.
    sigqueue(getpid(), SIGRTMIN, (union sigval){.sival_int = 5});
    n = sigwaitinfo(&set, &si);
    printf("sigwaitinfo: %d value %d\n", n == SIGRTMIN, si.si_value.sival_int);

    // Bad input.
    int r = sigqueue(getpid(), 999, (union sigval){0});
    printf("sigqueue bad signal: %d EINVAL %d\n", r, errno == EINVAL);
    r = sigqueue(999999, SIGRTMIN, (union sigval){0});
    printf("sigqueue no such pid: %d ESRCH %d\n", r, errno == ESRCH);
    return 0;
}
