// A signal handler installed with SA_RESTART still interrupts poll, select, epoll_wait and ppoll (EINTR, as Linux never restarts them); a blocked accept is interrupted too, and restarted with SA_RESTART.
#define _GNU_SOURCE
#include "../common/errname.h"
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t hits;
static void on_alarm(int s) { (void)s; hits++; }

static void arm(int ms)
{
    struct itimerval it = {.it_value = {0, ms * 1000}};
    setitimer(ITIMER_REAL, &it, NULL);
}

int main(void)
{
    struct sigaction sa = {.sa_handler = on_alarm, .sa_flags = SA_RESTART};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, NULL);
    int p[2];
    pipe(p);
    struct pollfd pf = {.fd = p[0], .events = POLLIN};
    arm(30);
    SHOW("poll", poll(&pf, 1, 5000));
    fd_set r;
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    arm(30);
    SHOW("select", select(p[0] + 1, &r, NULL, NULL, NULL));
    int ep = epoll_create1(0);
    struct epoll_event e = {.events = EPOLLIN};
    epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &e);
    arm(30);
    SHOW("epoll_wait", epoll_wait(ep, &e, 1, 5000));
    arm(30);
    SHOW("ppoll", ppoll(&pf, 1, NULL, NULL));
    /* ppoll's mask: SIGALRM blocked outside, let through inside. */
    sigset_t block, none;
    sigemptyset(&block);
    sigaddset(&block, SIGALRM);
    sigemptyset(&none);
    sigprocmask(SIG_BLOCK, &block, NULL);
    arm(30);
    SHOW("ppoll with mask", ppoll(&pf, 1, NULL, &none));
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    printf("mask restored: %d\n", sigismember(&now, SIGALRM));
    sigprocmask(SIG_UNBLOCK, &block, NULL);
    printf("handler ran: %d\n", hits);

    /* accept: interrupted without SA_RESTART, restarted with it. */
    unlink("eintr_sock");
    int l = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    strcpy(a.sun_path, "eintr_sock");
    bind(l, (struct sockaddr *)&a, sizeof a);
    listen(l, 1);
    sa.sa_flags = 0;
    sigaction(SIGALRM, &sa, NULL);
    arm(30);
    SHOW("accept", accept(l, NULL, NULL));
    sa.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &sa, NULL);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        usleep(150000);
        int c = socket(AF_UNIX, SOCK_STREAM, 0);
        connect(c, (struct sockaddr *)&a, sizeof a);
        _exit(0);
    }
    arm(30);
    int s = accept(l, NULL, NULL);
    printf("restarted accept: %d hits=%d\n", s >= 0, hits);
    waitpid(pid, NULL, 0);
    unlink("eintr_sock");
    return 0;
}
