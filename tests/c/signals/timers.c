// POSIX timers: a periodic timer_create(SIGEV_SIGNAL) timer delivers its
// signal with SI_TIMER and the sigval, timer_gettime counts down, an
// absolute one-shot fires, SIGEV_NONE sends nothing, timer_delete stops it.
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGRTMIN);
    sigprocmask(SIG_BLOCK, &set, 0);

    struct sigevent ev;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = SIGRTMIN;
    ev.sigev_value.sival_int = 1234;
    timer_t t;
    printf("create: %d\n", timer_create(CLOCK_MONOTONIC, &ev, &t));

    struct itimerspec its = {{0, 20 * 1000000L}, {0, 20 * 1000000L}};
    printf("settime: %d\n", timer_settime(t, 0, &its, 0));
    struct itimerspec cur;
    timer_gettime(t, &cur);
    printf("armed: %d interval 20ms %d\n", cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec > 0,
           cur.it_interval.tv_nsec == 20 * 1000000L);

    for (int i = 0; i < 3; i++) {
        siginfo_t si;
        int n = sigwaitinfo(&set, &si);
        printf("tick %d: signal %d SI_TIMER %d value %d\n", i, n == SIGRTMIN, si.si_code == SI_TIMER,
               si.si_value.sival_int);
    }
    printf("overrun >= 0: %d\n", timer_getoverrun(t) >= 0);
    printf("delete: %d\n", timer_delete(t));
    struct timespec wait = {0, 60 * 1000000L};
    siginfo_t si;
    // Drain what was pending at the delete, then nothing more comes.
    while (sigtimedwait(&set, &si, &(struct timespec){0, 0}) > 0) {
    }
    errno = 0;
    int after = sigtimedwait(&set, &si, &wait);
    printf("after delete: %d EAGAIN %d\n", after, errno == EAGAIN);

    // An absolute one-shot on CLOCK_REALTIME, 30 ms ahead.
    timer_create(CLOCK_REALTIME, &ev, &t);
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    now.tv_nsec += 30 * 1000000L;
    if (now.tv_nsec >= 1000000000L) {
        now.tv_sec++;
        now.tv_nsec -= 1000000000L;
    }
    struct itimerspec abs = {{0, 0}, now};
    timer_settime(t, TIMER_ABSTIME, &abs, 0);
    struct timespec limit = {2, 0};
    printf("absolute one-shot fired: %d\n", sigtimedwait(&set, &si, &limit) == SIGRTMIN);
    timer_gettime(t, &cur);
    printf("disarmed after firing: %d\n", cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0);
    timer_delete(t);

    // SIGEV_NONE: counts down, sends nothing.
    ev.sigev_notify = SIGEV_NONE;
    timer_create(CLOCK_MONOTONIC, &ev, &t);
    struct itimerspec once = {{0, 0}, {0, 10 * 1000000L}};
    timer_settime(t, 0, &once, 0);
    printf("SIGEV_NONE sends nothing: %d\n", sigtimedwait(&set, &si, &wait) < 0);
    timer_delete(t);

    int r = timer_create(12345, &ev, &t);
    printf("bad clock: %d EINVAL %d\n", r, errno == EINVAL);
    return 0;
}
