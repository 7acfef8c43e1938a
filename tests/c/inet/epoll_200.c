// 200 concurrent TCP connections served by one epoll loop (non-blocking accept4, edge-triggered reads, EPOLLRDHUP on close): a forked client opens them all with non-blocking connects, sends a numbered request on each and checks every reply.
#define _GNU_SOURCE
#include "../common/errname.h"
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define N 200

static int client(struct sockaddr_in *a)
{
    int fds[N], bad = 0;
    for (int i = 0; i < N; i++) {
        fds[i] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        int r = connect(fds[i], (struct sockaddr *)a, sizeof *a);
        if (r < 0 && errno != EINPROGRESS)
            bad++;
    }
    /* Wait until every connect finished, then send. */
    struct pollfd p[N];
    for (int i = 0; i < N; i++)
        p[i] = (struct pollfd){.fd = fds[i], .events = POLLOUT};
    int done = 0, tries = 0;
    while (done < N && tries++ < 1000) {
        poll(p, N, 1000);
        for (int i = 0; i < N; i++) {
            if (p[i].fd >= 0 && p[i].revents) {
                int err = 0;
                socklen_t l = sizeof err;
                getsockopt(p[i].fd, SOL_SOCKET, SO_ERROR, &err, &l);
                if (err)
                    bad++;
                char msg[32];
                int n = snprintf(msg, sizeof msg, "req %d\n", i);
                if (write(p[i].fd, msg, n) != n)
                    bad++;
                p[i].fd = -1;
                done++;
            }
        }
    }
    /* Read the replies (blocking). */
    for (int i = 0; i < N; i++) {
        int fl = fcntl(fds[i], F_GETFL);
        fcntl(fds[i], F_SETFL, fl & ~O_NONBLOCK);
        char want[32], got[32] = {0};
        int n = snprintf(want, sizeof want, "REQ %d\n", i);
        int have = 0;
        while (have < n) {
            ssize_t r = read(fds[i], got + have, n - have);
            if (r <= 0)
                break;
            have += r;
        }
        if (have != n || memcmp(want, got, n))
            bad++;
        close(fds[i]);
    }
    return bad;
}

int main(void)
{
    int l = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    struct sockaddr_in a = {.sin_family = AF_INET};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(l, (struct sockaddr *)&a, sizeof a);
    socklen_t len = sizeof a;
    getsockname(l, (struct sockaddr *)&a, &len);
    SHOW("listen", listen(l, 256));
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0)
        _exit(client(&a) ? 1 : 0);

    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = l};
    epoll_ctl(ep, EPOLL_CTL_ADD, l, &ev);
    int accepted = 0, closed = 0, replies = 0, rdhup = 0, maxopen = 0, open = 0;
    char bufs[1024][32];
    int have[1024] = {0};
    while (closed < N) {
        struct epoll_event evs[64];
        int n = epoll_wait(ep, evs, 64, 10000);
        if (n <= 0)
            break;
        for (int i = 0; i < n; i++) {
            int fd = evs[i].data.fd;
            if (fd == l) {
                for (;;) {
                    int c = accept4(l, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
                    if (c < 0)
                        break;
                    accepted++;
                    if (++open > maxopen)
                        maxopen = open;
                    struct epoll_event ce = {.events = EPOLLIN | EPOLLRDHUP | EPOLLET, .data.fd = c};
                    epoll_ctl(ep, EPOLL_CTL_ADD, c, &ce);
                }
                continue;
            }
            for (;;) {
                ssize_t r = read(fd, bufs[fd] + have[fd], sizeof bufs[fd] - 1 - have[fd]);
                if (r > 0) {
                    have[fd] += r;
                    if (memchr(bufs[fd], '\n', have[fd])) {
                        for (int k = 0; k < 3; k++)
                            bufs[fd][k] -= 32;
                        write(fd, bufs[fd], have[fd]);
                        replies++;
                        have[fd] = 0;
                    }
                    continue;
                }
                if (r == 0 || (r < 0 && errno != EAGAIN)) {
                    if (evs[i].events & EPOLLRDHUP)
                        rdhup++;
                    epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
                    close(fd);
                    open--;
                    closed++;
                }
                break;
            }
        }
    }
    int st;
    waitpid(pid, &st, 0);
    printf("accepted %d replies %d closed %d rdhup seen %d concurrent>=100 %d\n", accepted, replies,
           closed, rdhup > 0, maxopen >= 100);
    printf("client exit %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    return 0;
}
