// SA_RESTART: a read blocked on a pipe is resumed after the handler instead of failing with EINTR; SA_RESETHAND restores the default action after one delivery; SA_NODEFER lets a handler be re-entered; blocked signals stay pending until unblocked.
// TIMEOUT: 20
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t hits, depth, max_depth;
static void count(int s) { hits++; }
static void nested(int s)
{
    depth++;
    if (depth > max_depth) max_depth = depth;
    if (depth < 3) raise(SIGUSR2);
    depth--;
}

int main(void)
{
    int fds[2];
    pipe(fds);
    struct sigaction sa = {0};
    sa.sa_handler = count;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGUSR1, &sa, 0);
    pid_t k = fork();
    if (k == 0) {
        usleep(50000);
        kill(getppid(), SIGUSR1);
        usleep(50000);
        write(fds[1], "ok", 2);
        _exit(0);
    }
    char buf[3] = {0};
    ssize_t n = read(fds[0], buf, 2);
    waitpid(k, 0, 0);
    printf("restarted read: n=%zd buf=%s handler ran %d\n", n, buf, hits);

    sa.sa_flags = SA_RESETHAND;
    sigaction(SIGUSR1, &sa, 0);
    raise(SIGUSR1);
    struct sigaction now;
    sigaction(SIGUSR1, 0, &now);
    printf("SA_RESETHAND: ran %d, now default %d\n", hits, now.sa_handler == SIG_DFL);

    sa.sa_handler = nested;
    sa.sa_flags = SA_NODEFER;
    sigaction(SIGUSR2, &sa, 0);
    raise(SIGUSR2);
    printf("SA_NODEFER nesting depth %d\n", max_depth);

    sa.sa_handler = count;
    sa.sa_flags = 0;
    sigaction(SIGUSR1, &sa, 0);
    sigset_t set, pend;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, 0);
    hits = 0;
    raise(SIGUSR1);
    raise(SIGUSR1);
    sigpending(&pend);
    printf("while blocked: ran %d, pending %d\n", hits, sigismember(&pend, SIGUSR1));
    sigprocmask(SIG_UNBLOCK, &set, 0);
    printf("after unblocking: ran %d (standard signals coalesce)\n", hits);
    return 0;
}
