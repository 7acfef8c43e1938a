// With the default SIGPIPE disposition, a child writing to a pipe without readers is killed: the parent sees WTERMSIG == SIGPIPE; blocking SIGPIPE gives EPIPE instead.
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    int p[2];
    pipe(p);
    close(p[0]);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        signal(SIGPIPE, SIG_DFL);
        write(p[1], "x", 1);
        _exit(3); /* not reached */
    }
    int st;
    waitpid(pid, &st, 0);
    printf("writer: exited=%d signaled=%d sigpipe=%d\n", WIFEXITED(st), WIFSIGNALED(st),
           WIFSIGNALED(st) && WTERMSIG(st) == SIGPIPE);

    /* The reader is a child that exits while the writer child keeps writing. */
    int q[2];
    pipe(q);
    pid_t reader = fork();
    if (reader == 0) {
        close(q[1]);
        char buf[100];
        read(q[0], buf, sizeof buf);
        _exit(0);
    }
    close(q[0]);
    pid_t writer = fork();
    if (writer == 0) {
        signal(SIGPIPE, SIG_DFL);
        char buf[4096] = {0};
        for (;;)
            write(q[1], buf, sizeof buf);
    }
    close(q[1]);
    waitpid(reader, &st, 0);
    waitpid(writer, &st, 0);
    printf("endless writer: signaled=%d sigpipe=%d\n", WIFSIGNALED(st), WIFSIGNALED(st) && WTERMSIG(st) == SIGPIPE);

    /* SIGPIPE blocked: the write fails with EPIPE and the signal stays pending. */
    pid = fork();
    if (pid == 0) {
        signal(SIGPIPE, SIG_DFL);
        sigset_t s;
        sigemptyset(&s);
        sigaddset(&s, SIGPIPE);
        sigprocmask(SIG_BLOCK, &s, NULL);
        ssize_t r = write(p[1], "y", 1);
        int e = errno;
        sigset_t pend;
        sigpending(&pend);
        _exit(r < 0 && e == EPIPE ? (sigismember(&pend, SIGPIPE) ? 20 : 21) : 22);
    }
    waitpid(pid, &st, 0);
    printf("blocked SIGPIPE: exited=%d status=%d (20 = EPIPE and pending)\n", WIFEXITED(st), WEXITSTATUS(st));
    return 0;
}
