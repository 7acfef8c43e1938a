// posix_spawn from a second thread while a third computes: the child is a
// one-thread copy that starts with the spawning thread's signal mask, and a
// missing program is still ENOENT (the child's errno is the spawning thread's).
// CFLAGS: -pthread
// SELF: self
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static volatile int stop;
static volatile unsigned long spins;

static void *compute(void *arg)
{
    (void)arg;
    while (!stop)
        spins++;
    return NULL;
}

static void *spawner(void *arg)
{
    (void)arg;
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &usr1, NULL);
    for (int i = 0; i < 3; i++) {
        char code[8];
        snprintf(code, sizeof code, "%d", 10 + i);
        char *args[] = {"self", "child", code, NULL};
        pid_t pid;
        int r = posix_spawn(&pid, "./self", NULL, NULL, args, environ);
        int st = -1;
        if (r == 0)
            waitpid(pid, &st, 0);
        printf("thread spawn %d: r=%d exit=%d\n", i, r, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
        fflush(stdout);
    }
    char *args[] = {"missing", NULL};
    pid_t pid;
    int r = posix_spawn(&pid, "./missing", NULL, NULL, args, environ);
    printf("thread spawn of a missing program: %s\n", r == ENOENT ? "ENOENT" : "other");
    errno = 0;
    r = posix_spawnp(&pid, "no-such-program-anywhere", NULL, NULL, args, environ);
    printf("thread spawnp of a missing program: %s\n", r == ENOENT ? "ENOENT" : "other");
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc > 2) {
        sigset_t now;
        sigprocmask(SIG_SETMASK, NULL, &now);
        printf("child %s: SIGUSR1 %s\n", argv[2], sigismember(&now, SIGUSR1) ? "blocked" : "unblocked");
        return atoi(argv[2]);
    }
    // Children write to the same stdout: flush at each line, as lind does.
    setvbuf(stdout, NULL, _IOLBF, 0);
    setenv("PATH", "/nowhere", 1);
    pthread_t c, s;
    pthread_create(&c, NULL, compute, NULL);
    pthread_create(&s, NULL, spawner, NULL);
    pthread_join(s, NULL);
    stop = 1;
    pthread_join(c, NULL);
    // The main thread's own mask was never changed.
    char *args[] = {"self", "child", "3", NULL};
    pid_t pid;
    int st = -1;
    int r = posix_spawn(&pid, "./self", NULL, NULL, args, environ);
    if (r == 0)
        waitpid(pid, &st, 0);
    printf("main spawn: r=%d exit=%d\n", r, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    return 0;
}
