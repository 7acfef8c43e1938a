// The parent kills running children: kill(pid, 0) probes, SIGKILL/SIGTERM end a child busy in system calls, kill(-pgid) signals a whole process group, a reaped pid is ESRCH.
// TIMEOUT: 20
#include "../common/errname.h"
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

/* A child that reports it is running, then loops in system calls forever. */
static pid_t busy_child(int own_group)
{
    int ready[2];
    pipe(ready);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        if (own_group)
            setpgid(0, own_group == 1 ? 0 : own_group);
        close(ready[0]);
        write(ready[1], "r", 1);
        close(ready[1]);
        for (;;)
            getppid();
    }
    close(ready[1]);
    char c;
    read(ready[0], &c, 1);
    close(ready[0]);
    return pid;
}

static const char *signame(int st)
{
    if (!WIFSIGNALED(st))
        return "-";
    switch (WTERMSIG(st)) {
    case SIGKILL: return "SIGKILL";
    case SIGTERM: return "SIGTERM";
    case SIGINT: return "SIGINT";
    default: return "other";
    }
}

int main(void)
{
    int st;
    /* A shell starts background jobs with SIGINT ignored, and children
     * inherit that: the group below must be able to die of it. */
    signal(SIGINT, SIG_DFL);
    pid_t pid = busy_child(0);
    SHOW("kill(child, 0)", kill(pid, 0));
    SHOW("kill(child, SIGKILL)", kill(pid, SIGKILL));
    pid_t w = waitpid(pid, &st, 0);
    printf("busy child after SIGKILL: reaped=%d sig=%s\n", w == pid, signame(st));
    SHOW("kill(reaped child, 0)", kill(pid, 0));
    SHOW("kill(bad signal)", kill(getpid(), 1000));

    pid = busy_child(0);
    SHOW("kill(child, SIGTERM)", kill(pid, SIGTERM));
    w = waitpid(pid, &st, 0);
    printf("busy child after SIGTERM: reaped=%d sig=%s\n", w == pid, signame(st));

    /* Three children in one new group (led by the first); kill(-pgid) ends all of them. */
    pid_t a = busy_child(1);
    setpgid(a, a); /* both sides set it: no race */
    pid_t b = busy_child(a);
    setpgid(b, a);
    pid_t c = busy_child(a);
    setpgid(c, a);
    printf("group: all three in it %d\n", getpgid(a) == a && getpgid(b) == a && getpgid(c) == a);
    SHOW("kill(-group, SIGINT)", kill(-a, SIGINT));
    int sigs = 0;
    for (int i = 0; i < 3; i++) {
        w = waitpid(-a, &st, 0);
        sigs += WIFSIGNALED(st) && WTERMSIG(st) == SIGINT;
    }
    printf("group: %d of 3 ended by SIGINT\n", sigs);
    SHOW("kill(-group) after all are gone", kill(-a, SIGINT));
    printf("parent survived\n");
    return 0;
}
