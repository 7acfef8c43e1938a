// A child whose parent exits is reparented: its getppid() changes away from the dead parent (booleans only).
// Who adopts it is not checked: natively init or a subreaper, under lind the first cage (pid 1).
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
    int report[2], hold[2];
    pipe(report);
    pipe(hold);
    fflush(stdout);
    pid_t a = fork();
    if (a == 0) {
        pid_t me = getpid();
        pid_t b = fork();
        if (b == 0) {
            /* B: first check that A is our parent, then wait (bounded) for A to die. */
            close(report[0]);
            close(hold[0]);
            char r[2];
            r[0] = getppid() == me ? '1' : '0';
            write(hold[1], "g", 1); /* now A may exit */
            int changed = 0;
            struct timespec ts = {0, 1000000};
            for (int i = 0; i < 3000 && !changed; i++) {
                if (getppid() != me)
                    changed = 1;
                else
                    nanosleep(&ts, NULL);
            }
            r[1] = changed ? '1' : '0';
            write(report[1], r, 2);
            _exit(0);
        }
        /* A: wait until B has looked at its parent, then exit without waiting for it. */
        close(hold[1]);
        char x;
        read(hold[0], &x, 1);
        _exit(b > 0 ? 5 : 6);
    }
    close(report[1]);
    close(hold[0]);
    close(hold[1]);
    int st;
    pid_t w = waitpid(a, &st, 0);
    printf("waited for A: %d status=%d\n", w == a, WEXITSTATUS(st));
    char r[3] = {'?', '?', 0};
    ssize_t n, got = 0;
    while (got < 2 && (n = read(report[0], r + got, 2 - got)) > 0)
        got += n;
    printf("B saw A as its parent: %c\n", r[0]);
    printf("B's getppid() changed after A exited: %c\n", r[1]);
    /* Wait until B has finished (its end of the report pipe closes at exit). */
    char x;
    while (read(report[0], &x, 1) > 0)
        ;
    return 0;
}
