// A child killed by abort() is WIFSIGNALED with WTERMSIG == SIGABRT (not WIFEXITED); raise(SIGTERM) and raise(SIGKILL) likewise; the parent is unaffected.
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static void report(const char *what, int st)
{
    printf("%s: exited=%d signaled=%d", what, WIFEXITED(st), WIFSIGNALED(st));
    if (WIFSIGNALED(st))
        printf(" termsig=%s", WTERMSIG(st) == SIGABRT ? "SIGABRT"
                             : WTERMSIG(st) == SIGTERM ? "SIGTERM"
                             : WTERMSIG(st) == SIGKILL ? "SIGKILL"
                             : WTERMSIG(st) == SIGUSR1 ? "SIGUSR1"
                                                       : "other");
    printf("\n");
}

int main(void)
{
    int st;
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        abort();
    }
    printf("abort: waitpid returned the child %d\n", waitpid(pid, &st, 0) == pid);
    report("abort", st);

    int sigs[] = {SIGTERM, SIGKILL, SIGUSR1};
    const char *names[] = {"raise(SIGTERM)", "raise(SIGKILL)", "raise(SIGUSR1)"};
    for (int i = 0; i < 3; i++) {
        pid = fork();
        if (pid == 0) {
            raise(sigs[i]);
            _exit(99);
        }
        waitpid(pid, &st, 0);
        report(names[i], st);
    }
    /* An ignored signal does not kill. */
    pid = fork();
    if (pid == 0) {
        signal(SIGTERM, SIG_IGN);
        raise(SIGTERM);
        _exit(7);
    }
    waitpid(pid, &st, 0);
    report("raise(SIGTERM) ignored", st);
    printf("parent still here\n");
    return 0;
}
