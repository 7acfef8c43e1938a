// A cage blocked in epoll_wait, poll or a socket read uses no CPU: 300 ms of waiting each costs well under 50 ms of CPU time (getrusage).
#include <poll.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

static long cpu_ms(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000 + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000;
}

int main(void)
{
    int p[2];
    pipe(p);
    int ep = epoll_create1(0);
    struct epoll_event e = {.events = EPOLLIN};
    epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &e);
    long before = cpu_ms();
    int n = epoll_wait(ep, &e, 1, 300);
    struct pollfd pf = {.fd = p[0], .events = POLLIN};
    int m = poll(&pf, 1, 300);
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv);
    struct pollfd sf = {.fd = sv[0], .events = POLLIN};
    int k = poll(&sf, 1, 300);
    long used = cpu_ms() - before;
    printf("timed out: %d %d %d, idle: %d\n", n, m, k, used < 50);
    return 0;
}
