// posix_spawn in a parent with signal handlers: SIGCHLD's handler runs for
// the child's end (not in the child), POSIX_SPAWN_SETSIGDEF resets the
// listed signals only, POSIX_SPAWN_SETSIGMASK sets the child's mask, ignored
// signals stay ignored across the exec; a failed spawn reaps its child.
// SELF: self
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static volatile sig_atomic_t chld, usr1;

static void on_chld(int sig) { (void)sig; chld++; }
static void on_usr1(int sig) { (void)sig; usr1++; }

static const char *disposition(int sig)
{
    struct sigaction sa;
    sigaction(sig, NULL, &sa);
    if (sa.sa_handler == SIG_IGN)
        return "ignored";
    if (sa.sa_handler == SIG_DFL)
        return "default";
    return "handler";
}

int main(int argc, char **argv)
{
    if (argc > 1) {
        sigset_t now;
        sigprocmask(SIG_SETMASK, NULL, &now);
        printf("child: SIGHUP %s, SIGUSR2 %s, SIGUSR1 %s, SIGCHLD %s; SIGUSR1 %s, SIGTERM %s\n",
               disposition(SIGHUP), disposition(SIGUSR2), disposition(SIGUSR1),
               disposition(SIGCHLD), sigismember(&now, SIGUSR1) ? "blocked" : "unblocked",
               sigismember(&now, SIGTERM) ? "blocked" : "unblocked");
        fflush(stdout);
        // A SIGUSR1 sent to ourselves must not reach the parent's handler.
        if (!sigismember(&now, SIGUSR1)) {
            signal(SIGUSR1, SIG_IGN);
            raise(SIGUSR1);
        }
        return 5;
    }
    // Children write to the same stdout: flush at each line, as lind does.
    setvbuf(stdout, NULL, _IOLBF, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_flags = SA_RESTART;
    sa.sa_handler = on_chld;
    sigaction(SIGCHLD, &sa, NULL);
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, NULL);
    signal(SIGHUP, SIG_IGN);
    signal(SIGUSR2, SIG_IGN);

    char *args[] = {"self", "child", NULL};
    pid_t pid;
    int st = -1;
    int r = posix_spawn(&pid, "./self", NULL, NULL, args, environ);
    if (r == 0)
        waitpid(pid, &st, 0);
    for (int i = 0; i < 2000 && !chld; i++)
        usleep(1000);
    printf("plain: r=%d exit=%d sigchld=%s usr1=%d\n", r, WIFEXITED(st) ? WEXITSTATUS(st) : -1,
           chld ? "yes" : "no", (int)usr1);

    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t def, mask;
    sigemptyset(&def);
    sigaddset(&def, SIGUSR2);
    sigemptyset(&mask);
    sigaddset(&mask, SIGUSR1);
    sigaddset(&mask, SIGTERM);
    posix_spawnattr_setsigdefault(&attr, &def);
    posix_spawnattr_setsigmask(&attr, &mask);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
    chld = 0;
    st = -1;
    r = posix_spawn(&pid, "./self", NULL, &attr, args, environ);
    if (r == 0)
        waitpid(pid, &st, 0);
    for (int i = 0; i < 2000 && !chld; i++)
        usleep(1000);
    printf("attrs: r=%d exit=%d sigchld=%s\n", r, WIFEXITED(st) ? WEXITSTATUS(st) : -1,
           chld ? "yes" : "no");
    posix_spawnattr_destroy(&attr);

    // The parent's own dispositions and mask are as before.
    sigset_t now;
    sigprocmask(SIG_SETMASK, NULL, &now);
    printf("parent: SIGCHLD %s, SIGUSR1 %s, SIGUSR2 %s, mask empty %s\n", disposition(SIGCHLD),
           disposition(SIGUSR1), disposition(SIGUSR2), sigismember(&now, SIGUSR1) ? "no" : "yes");

    r = posix_spawn(&pid, "./missing", NULL, NULL, args, environ);
    int e = errno;
    (void)e;
    printf("missing: %s\n", r == ENOENT ? "ENOENT" : "other");
    // posix_spawn reaped the child it could not exec.
    errno = 0;
    pid_t w = waitpid(-1, &st, WNOHANG);
    int werr = errno;
    printf("left to wait for: %s\n", w < 0 && werr == ECHILD ? "none" : "some");
    return 0;
}
