// poll and epoll on 1000 descriptors (500 pipes): only the written ones are reported, in order; select on fds up to 1023.
#include <poll.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <unistd.h>

#define PIPES 500

int main(void)
{
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    printf("limit >= 1024: %d\n", rl.rlim_cur >= 1024);
    static int rd[PIPES], wr[PIPES];
    for (int i = 0; i < PIPES; i++) {
        int p[2];
        if (pipe(p) != 0) {
            printf("pipe %d failed\n", i);
            return 1;
        }
        rd[i] = p[0];
        wr[i] = p[1];
    }
    static struct pollfd fds[2 * PIPES];
    for (int i = 0; i < PIPES; i++) {
        fds[i] = (struct pollfd){.fd = rd[i], .events = POLLIN};
        fds[PIPES + i] = (struct pollfd){.fd = wr[i], .events = 0};
    }
    printf("none ready: %d\n", poll(fds, 2 * PIPES, 0));
    int which[] = {0, 17, 250, 499};
    for (int k = 0; k < 4; k++)
        write(wr[which[k]], "x", 1);
    int n = poll(fds, 2 * PIPES, 1000);
    printf("ready: %d:", n);
    for (int i = 0; i < 2 * PIPES; i++)
        if (fds[i].revents)
            printf(" %d", i);
    printf("\n");
    close(wr[250]);
    n = poll(fds, PIPES, 0);
    printf("after close: %d hup=%d\n", n, (fds[250].revents & POLLHUP) != 0);

    int ep = epoll_create1(0);
    for (int i = 0; i < PIPES; i++) {
        struct epoll_event e = {.events = EPOLLIN, .data.u32 = i};
        epoll_ctl(ep, EPOLL_CTL_ADD, rd[i], &e);
    }
    struct epoll_event ev[16];
    n = epoll_wait(ep, ev, 16, 1000);
    int seen[PIPES] = {0};
    for (int i = 0; i < n; i++)
        seen[ev[i].data.u32] = 1;
    printf("epoll ready: %d:", n);
    for (int i = 0; i < PIPES; i++)
        if (seen[i])
            printf(" %d", i);
    printf("\n");

    fd_set r;
    FD_ZERO(&r);
    int top = rd[499] > wr[499] ? rd[499] : wr[499];
    for (int i = 0; i < PIPES; i++)
        FD_SET(rd[i], &r);
    n = select(top + 1, &r, NULL, NULL, &(struct timeval){0, 0});
    printf("select ready: %d top < 1024: %d\n", n, top < 1024);
    return 0;
}
