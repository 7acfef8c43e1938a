// Signal handlers: signal()/raise, SA_SIGINFO via kill, SIGCHLD woken out of sigsuspend, siglongjmp out of a handler restoring the mask, EINTR from a blocking read without SA_RESTART.
// TIMEOUT: 20
#include <stdio.h>
#include <signal.h>
#include <unistd.h>
#include <string.h>
#include <errno.h>
#include <setjmp.h>
#include <sys/wait.h>
static volatile sig_atomic_t got, got_info, chld;
static sigjmp_buf jb;
static void h(int s) { got = s; }
static void hi(int s, siginfo_t *si, void *u) { got_info = si->si_signo * 100 + (si->si_code == SI_USER); }
static void hc(int s) { chld++; }
static void hj(int s) { siglongjmp(jb, s); }
int main(void) {
    signal(SIGUSR1, h);
    raise(SIGUSR1);
    printf("handler ran: %d\n", got == SIGUSR1);
    struct sigaction sa = {0}; sa.sa_sigaction = hi; sa.sa_flags = SA_SIGINFO; sigaction(SIGUSR2, &sa, 0);
    kill(getpid(), SIGUSR2);
    printf("siginfo handler: %d\n", got_info);
    signal(SIGCHLD, hc);
    sigset_t blk, old; sigemptyset(&blk); sigaddset(&blk, SIGCHLD); sigprocmask(SIG_BLOCK, &blk, &old);
    pid_t p = fork(); if (p == 0) _exit(3);
    sigset_t none; sigemptyset(&none);
    while (!chld) sigsuspend(&none);
    int st; waitpid(p, &st, 0);
    printf("SIGCHLD via sigsuspend: %d, exit %d\n", chld, WEXITSTATUS(st));
    signal(SIGALRM, hj);
    int r = sigsetjmp(jb, 1);
    if (r == 0) { raise(SIGALRM); printf("not reached\n"); }
    printf("siglongjmp out of handler: %d\n", r);
    /* EINTR vs SA_RESTART on a blocking pipe read */
    int fds[2]; pipe(fds);
    pid_t k = fork();
    if (k == 0) { usleep(50000); kill(getppid(), SIGUSR1); usleep(50000); write(fds[1], "x", 1); _exit(0); }
    struct sigaction nr = {0}; nr.sa_handler = h; sigaction(SIGUSR1, &nr, 0);
    char c; got = 0; ssize_t n = read(fds[0], &c, 1);
    printf("read without SA_RESTART: n=%zd errno=%s got=%d\n", n, n < 0 ? strerror(errno) : "-", got);
    n = read(fds[0], &c, 1); printf("second read n=%zd\n", n);
    waitpid(k, 0, 0);
    return 0;
}
