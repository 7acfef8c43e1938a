// signalfd: blocked signals are read as signalfd_siginfo records (signo, code, pid, sigqueue value), several per read, poll/epoll readiness, SFD_NONBLOCK (EAGAIN), changing the mask of an existing signalfd, a blocking read woken by a signal from a child, and bad input.
#define _GNU_SOURCE
#include "../common/errname.h"
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    sigset_t m;
    sigemptyset(&m);
    sigaddset(&m, SIGUSR1);
    sigaddset(&m, SIGUSR2);
    sigaddset(&m, SIGRTMIN);
    sigprocmask(SIG_BLOCK, &m, NULL);
    int fd = signalfd(-1, &m, SFD_NONBLOCK | SFD_CLOEXEC);
    printf("created %d\n", fd >= 0);
    struct signalfd_siginfo si[4];
    SHOW("empty read", read(fd, si, sizeof si));
    struct pollfd p = {.fd = fd, .events = POLLIN};
    SHOW("poll empty", poll(&p, 1, 0));

    raise(SIGUSR1);
    union sigval val = {.sival_int = 42};
    sigqueue(getpid(), SIGRTMIN, val);
    SHOW("poll pending", poll(&p, 1, 0));
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.u32 = 1};
    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
    struct epoll_event out;
    SHOW("epoll pending", epoll_wait(ep, &out, 1, 0));
    ssize_t n = read(fd, si, sizeof si);
    printf("read %d records\n", (int)(n / (ssize_t)sizeof si[0]));
    for (int i = 0; i < n / (ssize_t)sizeof si[0]; i++) {
        int rt = (int)si[i].ssi_signo == SIGRTMIN;
        printf("signo %s code %s pid ok %d int %d\n", si[i].ssi_signo == SIGUSR1 ? "USR1" : rt ? "RTMIN" : "?",
               si[i].ssi_code == SI_USER ? "SI_USER" : si[i].ssi_code == SI_QUEUE ? "SI_QUEUE" : si[i].ssi_code == SI_TKILL ? "SI_TKILL" : "other",
               (pid_t)si[i].ssi_pid == getpid(), rt ? si[i].ssi_int : 0);
    }
    sigset_t pend;
    sigpending(&pend);
    printf("no longer pending %d\n", !sigismember(&pend, SIGUSR1));

    /* Narrow the mask: SIGUSR2 stays pending, unread. */
    sigset_t only1;
    sigemptyset(&only1);
    sigaddset(&only1, SIGUSR1);
    SHOW("change mask (returns fd)", signalfd(fd, &only1, 0) == fd ? 0 : -1);
    raise(SIGUSR2);
    SHOW("read with narrowed mask", read(fd, si, sizeof si));
    sigpending(&pend);
    printf("USR2 still pending %d\n", sigismember(&pend, SIGUSR2));
    signalfd(fd, &m, 0);
    n = read(fd, si, sizeof si);
    printf("now read %d, USR2 %d\n", (int)(n / (ssize_t)sizeof si[0]), si[0].ssi_signo == SIGUSR2);

    /* A blocking signalfd woken by a child's kill. */
    int bfd = signalfd(-1, &m, 0);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        usleep(50000);
        kill(getppid(), SIGUSR2);
        _exit(0);
    }
    n = read(bfd, si, sizeof si[0]);
    printf("blocking read %d, USR2 %d, from child %d\n", (int)n, si[0].ssi_signo == SIGUSR2,
           (pid_t)si[0].ssi_pid == pid);
    waitpid(pid, NULL, 0);

    SHOW("bad size", signalfd(-1, &m, 4));
    SHOW("bad flags", signalfd(-1, &m, 0x40));
    SHOW("not a signalfd", signalfd(ep, &m, 0));
    SHOW("closed fd", signalfd(99, &m, 0));
    SHOW("short read", read(fd, si, 16));
    return 0;
}
