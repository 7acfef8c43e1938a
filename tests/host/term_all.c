/* Driven by crates/cli/tests/host_signals.rs: SIGTERM sent to `lind run`
 * reaches every cage. Parent and child each block until it arrives and
 * then exit through the default action. */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        printf("child ready\n");
        fflush(stdout);
        pause();
        return 0;
    }
    int status;
    waitpid(pid, &status, 0);
    return 0;
}
