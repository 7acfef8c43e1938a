// timerfd: one-shot and periodic expirations counted by read, gettime/settime with old value, TFD_TIMER_ABSTIME, TFD_NONBLOCK (EAGAIN), readiness through poll and epoll (edge-triggered too), disarming, and bad input (EINVAL for clocks, flags, non-timerfd descriptors and short reads).
#define _GNU_SOURCE
#include "../common/errname.h"
#include <poll.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

static struct itimerspec ms(long value, long interval)
{
    struct itimerspec t = {{interval / 1000, (interval % 1000) * 1000000},
                           {value / 1000, (value % 1000) * 1000000}};
    return t;
}

int main(void)
{
    int t = timerfd_create(CLOCK_MONOTONIC, 0);
    printf("created %d\n", t >= 0);
    struct itimerspec v = ms(50, 0), old;
    SHOW("settime one-shot", timerfd_settime(t, 0, &v, NULL));
    struct itimerspec cur;
    timerfd_gettime(t, &cur);
    printf("left in (0,50ms] %d, interval 0 %d\n",
           cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec > 0 && cur.it_value.tv_nsec <= 50000000,
           cur.it_interval.tv_sec == 0 && cur.it_interval.tv_nsec == 0);
    uint64_t n = 0;
    SHOW("blocking read", read(t, &n, sizeof n));
    printf("expirations %llu\n", (unsigned long long)n);
    timerfd_gettime(t, &cur);
    printf("disarmed after one-shot %d\n", cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0);

    /* Periodic, read late: several expirations at once. */
    v = ms(10, 10);
    timerfd_settime(t, 0, &v, NULL);
    usleep(55000);
    read(t, &n, sizeof n);
    printf("periodic: >= 4 expirations %d\n", n >= 4);
    v = ms(0, 0);
    SHOW("disarm with old", timerfd_settime(t, 0, &v, &old));
    printf("old interval 10ms %d\n", old.it_interval.tv_sec == 0 && old.it_interval.tv_nsec == 10000000);

    /* Non-blocking, poll and epoll. */
    int nb = timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK | TFD_CLOEXEC);
    SHOW("nonblocking read unarmed", read(nb, &n, sizeof n));
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    v.it_interval = (struct timespec){0, 0};
    v.it_value = now;
    v.it_value.tv_nsec += 30000000;
    if (v.it_value.tv_nsec >= 1000000000) {
        v.it_value.tv_sec++;
        v.it_value.tv_nsec -= 1000000000;
    }
    SHOW("settime absolute", timerfd_settime(nb, TFD_TIMER_ABSTIME, &v, NULL));
    struct pollfd p = {.fd = nb, .events = POLLIN};
    SHOW("poll now", poll(&p, 1, 0));
    SHOW("poll until expiry", poll(&p, 1, 5000));
    printf("revents POLLIN %d\n", p.revents == POLLIN);
    SHOW("read after poll", read(nb, &n, sizeof n));
    printf("expirations %llu\n", (unsigned long long)n);

    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN | EPOLLET, .data.u32 = 7};
    epoll_ctl(ep, EPOLL_CTL_ADD, nb, &ev);
    v = ms(20, 20);
    timerfd_settime(nb, 0, &v, NULL);
    struct epoll_event out;
    SHOW("epoll_wait", epoll_wait(ep, &out, 1, 5000));
    printf("data %u in %d\n", out.data.u32, (out.events & EPOLLIN) != 0);
    read(nb, &n, sizeof n);
    SHOW("epoll_wait next period", epoll_wait(ep, &out, 1, 5000));
    close(ep);

    SHOW("bad clock", timerfd_create(CLOCK_PROCESS_CPUTIME_ID, 0));
    SHOW("bad clock 99", timerfd_create(99, 0));
    SHOW("bad flags", timerfd_create(CLOCK_MONOTONIC, 0x1234));
    SHOW("settime bad flags", timerfd_settime(t, 8, &v, NULL));
    struct itimerspec bad = {{0, 0}, {0, 1000000000}};
    SHOW("settime bad nsec", timerfd_settime(t, 0, &bad, NULL));
    SHOW("settime on a pipe-less fd", timerfd_settime(0, 0, &v, NULL));
    SHOW("gettime closed", timerfd_gettime(99, &cur));
    char small[4];
    SHOW("short read", read(t, small, sizeof small));
    return 0;
}
