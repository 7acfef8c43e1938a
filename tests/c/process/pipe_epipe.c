// Writing to a pipe with no readers fails with EPIPE when SIGPIPE is ignored (SIG_IGN is inherited over fork); a reader that exits closes its end.
#include "../common/errname.h"
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    int p[2];
    pipe(p);
    close(p[0]);
    SHOW("write, read end closed", write(p[1], "x", 1));
    SHOW("write 0 bytes, read end closed", write(p[1], "", 0));
    close(p[1]);

    /* The reader is a child that reads one byte and exits. */
    pipe(p);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        close(p[1]);
        char c;
        read(p[0], &c, 1);
        _exit(0);
    }
    close(p[0]);
    SHOW("write while the reader lives", write(p[1], "a", 1));
    waitpid(pid, NULL, 0);
    SHOW("write after the reader exited", write(p[1], "b", 1));
    close(p[1]);

    /* A child inherits SIG_IGN and gets EPIPE too. */
    pipe(p);
    close(p[0]);
    pid = fork();
    if (pid == 0) {
        errno = 0;
        ssize_t r = write(p[1], "c", 1);
        _exit(r < 0 && errno == EPIPE ? 11 : 12);
    }
    int st;
    waitpid(pid, &st, 0);
    printf("child with inherited SIG_IGN: exited=%d status=%d (11 = EPIPE)\n", WIFEXITED(st), WEXITSTATUS(st));
    /* A big write into a pipe whose reader goes away mid-way returns what was written, or EPIPE. */
    close(p[1]);
    return 0;
}
