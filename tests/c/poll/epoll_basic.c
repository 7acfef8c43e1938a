// epoll over pipes, unix sockets and eventfd: level- and edge-triggered, EPOLLONESHOT and EPOLL_CTL_MOD, EPOLLRDHUP and EPOLLHUP after the peer closes, closing a watched fd removes it, timeouts, errors (EEXIST, ENOENT, EPERM for regular files, EINVAL, EBADF), a cage blocked in epoll_wait woken by a forked child, nested epoll, eventfd counter and semaphore semantics.
#define _GNU_SOURCE
#include "../common/errname.h"
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static int ep;

static void waitshow(const char *what, int timeout)
{
    struct epoll_event ev[8];
    int n = epoll_wait(ep, ev, 8, timeout);
    printf("%s: n=%d", what, n);
    if (n < 0)
        printf(" %s", errname(errno));
    for (int i = 0; i < n; i++)
        printf(" [%llu%s%s%s%s%s]", (unsigned long long)ev[i].data.u64, ev[i].events & EPOLLIN ? " IN" : "",
               ev[i].events & EPOLLOUT ? " OUT" : "", ev[i].events & EPOLLHUP ? " HUP" : "",
               ev[i].events & EPOLLERR ? " ERR" : "", ev[i].events & EPOLLRDHUP ? " RDHUP" : "");
    printf("\n");
}

static int add(int fd, uint32_t events, uint64_t data)
{
    struct epoll_event e = {.events = events, .data.u64 = data};
    return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e);
}

static int mod(int fd, uint32_t events, uint64_t data)
{
    struct epoll_event e = {.events = events, .data.u64 = data};
    return epoll_ctl(ep, EPOLL_CTL_MOD, fd, &e);
}

int main(void)
{
    printf("sizeof epoll_event matches data offset: %d\n", (int)(sizeof(struct epoll_event) >= 12));
    ep = epoll_create1(EPOLL_CLOEXEC);
    printf("cloexec: %d\n", (fcntl(ep, F_GETFD) & FD_CLOEXEC) != 0);
    int p[2];
    pipe(p);
    SHOW("add pipe", add(p[0], EPOLLIN, 1));
    SHOW("add again", add(p[0], EPOLLIN, 1));
    waitshow("nothing yet", 0);
    write(p[1], "ab", 2);
    waitshow("level 1", 0);
    waitshow("level 2", 0);
    SHOW("mod edge", mod(p[0], EPOLLIN | EPOLLET, 2));
    waitshow("edge 1", 0);
    waitshow("edge 2", 0);
    write(p[1], "c", 1);
    waitshow("edge after write", 0);
    SHOW("mod oneshot", mod(p[0], EPOLLIN | EPOLLONESHOT, 3));
    waitshow("oneshot 1", 0);
    waitshow("oneshot 2", 0);
    SHOW("rearm", mod(p[0], EPOLLIN | EPOLLONESHOT, 4));
    waitshow("rearmed", 0);
    SHOW("add write end", add(p[1], EPOLLOUT, 5));
    SHOW("mod to level", mod(p[0], EPOLLIN, 6));
    waitshow("both", 0);
    SHOW("del write end", epoll_ctl(ep, EPOLL_CTL_DEL, p[1], NULL));
    SHOW("del again", epoll_ctl(ep, EPOLL_CTL_DEL, p[1], NULL));
    SHOW("mod missing", mod(p[1], EPOLLIN, 0));
    char buf[8];
    read(p[0], buf, sizeof buf);
    waitshow("drained", 0);
    close(p[1]);
    waitshow("writer closed", 0);
    close(p[0]);
    waitshow("watched fd closed", 0);

    /* Errors. */
    int f = open("epoll_file", O_CREAT | O_RDWR, 0644);
    SHOW("add regular file", add(f, EPOLLIN, 0));
    close(f);
    unlink("epoll_file");
    SHOW("add closed fd", add(f, EPOLLIN, 0));
    SHOW("add itself", add(ep, EPOLLIN, 0));
    int q[2];
    pipe(q);
    SHOW("bad op", epoll_ctl(ep, 99, q[0], &(struct epoll_event){0}));
    SHOW("ctl on non-epoll", epoll_ctl(q[0], EPOLL_CTL_ADD, q[1], &(struct epoll_event){0}));
    close(q[0]);
    close(q[1]);
    struct epoll_event evs[2];
    SHOW("wait maxevents 0", epoll_wait(ep, evs, 0, 0));
    SHOW("wait bad fd", epoll_wait(99, evs, 2, 0));
    SHOW("wait non-epoll", epoll_wait(1, evs, 2, 0));
    SHOW("wait bad buffer", epoll_wait(ep, (void *)(uintptr_t)-64, 2, 0));
    SHOW("create1 bad flags", epoll_create1(1));
    SHOW("create", epoll_create(10) >= 0);

    /* Sockets: EPOLLRDHUP and hang-up. */
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    SHOW("add socket", add(sv[0], EPOLLIN | EPOLLRDHUP | EPOLLET, 10));
    waitshow("quiet socket", 0);
    shutdown(sv[1], SHUT_WR);
    waitshow("peer shut write", 0);
    close(sv[1]);
    waitshow("peer closed", 0);
    SHOW("mod socket out", mod(sv[0], EPOLLOUT | EPOLLRDHUP, 11));
    waitshow("closed peer, level", 0);
    close(sv[0]);
    SHOW("add exclusive", add(0, EPOLLIN | EPOLLEXCLUSIVE, 12));
    SHOW("mod exclusive", mod(0, EPOLLIN | EPOLLEXCLUSIVE, 12));
    epoll_ctl(ep, EPOLL_CTL_DEL, 0, NULL);

    /* Blocking: a forked child writes after a while. */
    pipe(p);
    add(p[0], EPOLLIN, 20);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        usleep(50000);
        write(p[1], "w", 1);
        _exit(0);
    }
    waitshow("woken", 5000);
    waitpid(pid, NULL, 0);
    read(p[0], buf, 1);
    waitshow("timeout 30ms", 30);

    /* Nested: an epoll inside an epoll. */
    int inner = epoll_create1(0);
    struct epoll_event e = {.events = EPOLLIN, .data.u64 = 30};
    epoll_ctl(inner, EPOLL_CTL_ADD, p[0], &e);
    epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL);
    SHOW("add inner epoll", add(inner, EPOLLIN, 31));
    waitshow("nested quiet", 0);
    write(p[1], "n", 1);
    waitshow("nested ready", 0);
    read(p[0], buf, 1);
    epoll_ctl(ep, EPOLL_CTL_DEL, inner, NULL);
    close(inner);

    /* eventfd. */
    int efd = eventfd(0, EFD_NONBLOCK);
    add(efd, EPOLLIN | EPOLLOUT, 40);
    waitshow("eventfd zero", 0);
    uint64_t v = 3;
    write(efd, &v, 8);
    waitshow("eventfd three", 0);
    v = 0;
    SHOW("eventfd read", read(efd, &v, 8));
    printf("value: %llu\n", (unsigned long long)v);
    SHOW("eventfd empty", read(efd, &v, 8));
    SHOW("eventfd short read", read(efd, &v, 4));
    v = UINT64_MAX;
    SHOW("eventfd write max", write(efd, &v, 8));
    int sem = eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK);
    read(sem, &v, 8);
    printf("semaphore read: %llu\n", (unsigned long long)v);
    read(sem, &v, 8);
    SHOW("semaphore empty", read(sem, &v, 8));
    SHOW("eventfd bad flags", eventfd(0, 0x10));
    return 0;
}
