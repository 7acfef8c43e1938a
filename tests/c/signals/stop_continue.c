// SIGSTOP/SIGTSTP/SIGCONT between processes: wait with WUNTRACED and
// WCONTINUED, SIGCHLD with CLD_STOPPED/CLD_CONTINUED/CLD_EXITED siginfo, a
// stopped child makes no progress, SIGKILL ends a stopped child, and a
// caught SIGTSTP does not stop.
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t codes[8], pids_ok = 1, ncodes;
static pid_t child_pid;

static void on_chld(int sig, siginfo_t *si, void *ctx)
{
    (void)sig;
    (void)ctx;
    if (ncodes < 8)
        codes[ncodes++] = si->si_code;
    if (si->si_pid != child_pid)
        pids_ok = 0;
}

static void nap(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {
    }
}

// Bytes the ticking child wrote since the last call.
static int drain(int fd)
{
    char buf[4096];
    int total = 0;
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n <= 0)
            return total;
        total += (int)n;
    }
}

static const char *name(int code)
{
    switch (code) {
    case CLD_EXITED: return "exited";
    case CLD_KILLED: return "killed";
    case CLD_STOPPED: return "stopped";
    case CLD_CONTINUED: return "continued";
    default: return "other";
    }
}

static void tstp(int sig) { (void)sig; write(1, "child: caught SIGTSTP\n", 22); }

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_chld;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigaction(SIGCHLD, &sa, 0);

    int p[2];
    pipe(p);
    fflush(stdout);
    child_pid = fork();
    if (child_pid == 0) {
        close(p[0]);
        for (;;) { // tick: one byte every 5 ms
            write(p[1], "x", 1);
            nap(5);
        }
    }
    close(p[1]);
    fcntl(p[0], F_SETFL, O_NONBLOCK);
    nap(50);
    printf("ticking before stop: %d\n", drain(p[0]) > 0);

    kill(child_pid, SIGSTOP);
    int st;
    pid_t w = waitpid(child_pid, &st, WUNTRACED);
    printf("waitpid WUNTRACED: same pid %d stopped %d by SIGSTOP %d\n", w == child_pid,
           WIFSTOPPED(st), WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP);
    drain(p[0]);
    nap(60);
    printf("bytes while stopped: %d\n", drain(p[0]));
    printf("a second WUNTRACED|WNOHANG wait reports nothing: %d\n",
           waitpid(child_pid, &st, WUNTRACED | WNOHANG) == 0);

    kill(child_pid, SIGCONT);
    w = waitpid(child_pid, &st, WCONTINUED);
    printf("waitpid WCONTINUED: same pid %d continued %d\n", w == child_pid, WIFCONTINUED(st));
    nap(50);
    printf("ticking after continue: %d\n", drain(p[0]) > 0);

    kill(child_pid, SIGTSTP);
    w = waitpid(child_pid, &st, WUNTRACED);
    printf("SIGTSTP stops too: %d by SIGTSTP %d\n", WIFSTOPPED(st), WSTOPSIG(st) == SIGTSTP);

    kill(child_pid, SIGKILL);
    w = waitpid(child_pid, &st, 0);
    printf("SIGKILL ends the stopped child: %d\n", WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);

    nap(20);
    printf("SIGCHLD codes:");
    for (int i = 0; i < ncodes; i++)
        printf(" %s", name(codes[i]));
    printf("\nsiginfo pids right: %d\n", (int)pids_ok);

    // A caught SIGTSTP runs its handler instead of stopping.
    fflush(stdout);
    pid_t c2 = fork();
    if (c2 == 0) {
        signal(SIGTSTP, tstp);
        pause();
        _exit(3);
    }
    nap(30);
    kill(c2, SIGTSTP);
    waitpid(c2, &st, WUNTRACED);
    printf("caught SIGTSTP: exited %d with 3 %d\n", WIFEXITED(st), WIFEXITED(st) && WEXITSTATUS(st) == 3);
    return 0;
}
