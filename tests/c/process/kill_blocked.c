// Signals end children that are blocked: in read() on an empty pipe (SIGKILL, SIGTERM), in nanosleep (SIGKILL), in wait4 for their own child, or computing without system calls.
// TIMEOUT: 20
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { READ, SLEEP, WAIT, COMPUTE };

/* A child that says it is ready, then blocks in the given way. */
static pid_t blocked_child(int how, int *keep)
{
    int p[2], ready[2];
    pipe(p);
    pipe(ready);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        close(p[1]);
        close(ready[0]);
        write(ready[1], "r", 1);
        if (how == READ) {
            char c;
            read(p[0], &c, 1); /* nobody ever writes */
        } else if (how == SLEEP) {
            struct timespec ts = {30, 0};
            nanosleep(&ts, NULL);
        } else if (how == WAIT) {
            if (fork() == 0) {
                char c;
                read(p[0], &c, 1); /* the grandchild blocks until the pipe's writers are gone */
                _exit(0);
            }
            wait(NULL);
        } else {
            volatile unsigned long x = 0;
            for (;;)
                x++;
        }
        _exit(50);
    }
    close(p[0]);
    close(ready[1]);
    char c;
    read(ready[0], &c, 1);
    close(ready[0]);
    *keep = p[1];
    return pid;
}

static void run(const char *what, int how, int sig)
{
    int keep, st;
    pid_t pid = blocked_child(how, &keep);
    struct timespec ts = {0, 20 * 1000000}; /* let it reach the blocking call */
    nanosleep(&ts, NULL);
    kill(pid, sig);
    pid_t w = waitpid(pid, &st, 0);
    printf("%s: reaped=%d signaled=%d right signal=%d\n", what, w == pid, WIFSIGNALED(st),
           WIFSIGNALED(st) && WTERMSIG(st) == sig);
    close(keep);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0); /* show progress even if a case hangs */
    run("SIGKILL in read", READ, SIGKILL);
    run("SIGTERM in read", READ, SIGTERM);
    run("SIGKILL in nanosleep", SLEEP, SIGKILL);
    run("SIGKILL in wait4", WAIT, SIGKILL);
    while (wait(NULL) > 0) /* nothing: the orphaned grandchild is not ours */
        ;
    run("SIGKILL while computing", COMPUTE, SIGKILL);
    return 0;
}
