// waitpid(WNOHANG) returns 0 while the child runs (blocked on a pipe), and the child's pid once it has exited; a NULL status pointer is fine.
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
    int go[2];
    pipe(go);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        close(go[1]);
        char c;
        read(go[0], &c, 1);
        _exit(c);
    }
    close(go[0]);
    int st = -1;
    pid_t r1 = waitpid(pid, &st, WNOHANG);
    pid_t r2 = waitpid(-1, &st, WNOHANG);
    printf("running: waitpid(pid, WNOHANG)=%d waitpid(-1, WNOHANG)=%d status untouched=%d\n", r1, r2, st == -1);
    write(go[1], "\x11", 1);
    /* Poll until it has exited (bounded: 10 s). */
    pid_t r = 0;
    struct timespec ts = {0, 1000000};
    for (int i = 0; i < 10000 && r == 0; i++) {
        r = waitpid(pid, &st, WNOHANG);
        if (r == 0)
            nanosleep(&ts, NULL);
    }
    printf("after exit: returned the child %d exited=%d status=%d\n", r == pid, WIFEXITED(st), WEXITSTATUS(st));
    printf("then: waitpid(WNOHANG)=%d\n", waitpid(-1, &st, WNOHANG));

    /* NULL status pointer, blocking and WNOHANG. */
    pid = fork();
    if (pid == 0)
        _exit(1);
    printf("NULL status: returned the child %d\n", waitpid(pid, NULL, 0) == pid);
    return 0;
}
