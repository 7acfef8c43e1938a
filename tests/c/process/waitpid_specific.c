// waitpid for a specific pid among five children picks exactly that one, even when others have already exited; waitpid(-1) then collects the rest.
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define N 5

int main(void)
{
    pid_t kids[N];
    int go[N][2];
    fflush(stdout);
    for (int i = 0; i < N; i++) {
        pipe(go[i]);
        kids[i] = fork();
        if (kids[i] == 0) {
            close(go[i][1]);
            char c;
            ssize_t n = read(go[i][0], &c, 1); /* EOF or a byte: then exit */
            _exit(10 + i + (n == 1 ? 100 : 0));
        }
        close(go[i][0]);
    }
    /* Let children 0, 1 and 4 exit (by byte), but wait for 3 first: it still runs. */
    write(go[0][1], "x", 1);
    write(go[1][1], "x", 1);
    write(go[4][1], "x", 1);
    int st;
    printf("child 3 still running: WNOHANG gives %d\n", waitpid(kids[3], &st, WNOHANG));
    close(go[3][1]); /* EOF for child 3 */
    pid_t w = waitpid(kids[3], &st, 0);
    printf("waitpid(child 3) -> child 3: %d status=%d\n", w == kids[3], WEXITSTATUS(st));
    w = waitpid(kids[1], &st, 0);
    printf("waitpid(child 1) -> child 1: %d status=%d\n", w == kids[1], WEXITSTATUS(st));
    close(go[2][1]);
    /* Collect the rest with waitpid(-1): 0, 2 and 4 in some order. */
    int seen = 0;
    long sum = 0;
    while ((w = waitpid(-1, &st, 0)) > 0) {
        for (int i = 0; i < N; i++)
            if (w == kids[i])
                seen |= 1 << i;
        sum += WEXITSTATUS(st);
    }
    printf("rest: seen mask=%#x sum=%ld\n", seen, sum);
    close(go[0][1]);
    close(go[1][1]);
    close(go[4][1]);

    /* waitpid(0, ...) waits for a child in our process group; waitpid(-pgid) too. */
    pid_t a = fork();
    if (a == 0)
        _exit(21);
    w = waitpid(0, &st, 0);
    printf("waitpid(0) -> the child: %d status=%d\n", w == a, WEXITSTATUS(st));
    a = fork();
    if (a == 0)
        _exit(22);
    w = waitpid(-getpgrp(), &st, 0);
    printf("waitpid(-pgrp) -> the child: %d status=%d\n", w == a, WEXITSTATUS(st));
    return 0;
}
