// A fork bomb under setrlimit(RLIMIT_NPROC, 20): forks stop with EAGAIN within 20 processes and everything is reaped.
// Linux does not apply RLIMIT_NPROC to root (CAP_SYS_RESOURCE/CAP_SYS_ADMIN), so a native run as root first
// switches to uid 65534 (nobody) when it can; lind has no setuid yet (ENOSYS, ignored) and counts every cage.
// Only booleans are printed, so other processes of the same user natively (which count too) do not matter.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define LIMIT 20

int main(void)
{
    if (geteuid() == 0) {
        setgid(65534);
        setuid(65534);
    }
    struct rlimit rl = {LIMIT, LIMIT};
    if (setrlimit(RLIMIT_NPROC, &rl) != 0) { perror("setrlimit"); return 1; }
    getrlimit(RLIMIT_NPROC, &rl);
    printf("limit set: %d\n", rl.rlim_cur == LIMIT);

    /* Children block on a pipe until the parent closes the write end. */
    int hold[2];
    pipe(hold);
    pid_t kids[100];
    int made = 0, eagain = 0, other = 0;
    fflush(stdout);
    for (int i = 0; i < 100; i++) {
        pid_t p = fork();
        if (p == 0) {
            close(hold[1]);
            char c;
            read(hold[0], &c, 1);
            _exit(0);
        }
        if (p < 0) {
            if (errno == EAGAIN)
                eagain = 1;
            else
                other = 1;
            break;
        }
        kids[made++] = p;
    }
    printf("fork failed with EAGAIN: %d (other errno: %d)\n", eagain, other);
    printf("at most %d processes: %d\n", LIMIT, made < LIMIT);
    close(hold[1]);
    int reaped = 0;
    for (int i = 0; i < made; i++)
        reaped += waitpid(kids[i], NULL, 0) == kids[i];
    printf("all reaped: %d\n", reaped == made);

    /* A real (recursive) bomb: every process forks until it cannot; the limit stops it. */
    pid_t top = fork();
    if (top == 0) {
        int children = 0;
        for (int gen = 0; gen < 30; gen++) {
            pid_t p = fork();
            if (p < 0)
                break;
            if (p == 0) {
                children = 0;
                continue; /* the child keeps bombing */
            }
            children++;
            break;
        }
        /* Wait for whatever this process made, then leave. */
        while (wait(NULL) > 0)
            ;
        _exit(0);
    }
    int st;
    waitpid(top, &st, 0);
    printf("recursive bomb ended cleanly: %d\n", WIFEXITED(st) && WEXITSTATUS(st) == 0);
    printf("can fork again afterwards: ");
    fflush(stdout);
    pid_t p = fork();
    if (p == 0)
        _exit(0);
    printf("%d\n", p > 0 && waitpid(p, NULL, 0) == p);
    return 0;
}
