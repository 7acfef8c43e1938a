// wait/waitpid with no (matching) children fail with ECHILD; so does waiting again for a reaped child or for a pid that is not a child.
#include "../common/errname.h"
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    int st;
    SHOW("wait, no children", wait(&st));
    SHOW("waitpid(-1), no children", waitpid(-1, &st, 0));
    SHOW("waitpid(-1, WNOHANG), no children", waitpid(-1, &st, WNOHANG));
    SHOW("waitpid(0), no children", waitpid(0, &st, 0));
    SHOW("waitpid(self)", waitpid(getpid(), &st, 0));
    SHOW("waitpid(parent)", waitpid(getppid() > 1 ? getppid() : 1, &st, 0));
    SHOW("waitpid bad options", waitpid(-1, &st, 0x100000));
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0)
        _exit(9);
    pid_t w = waitpid(pid, &st, 0);
    printf("reaped the child: %d status=%d\n", w == pid, WEXITSTATUS(st));
    SHOW("waitpid(reaped child)", waitpid(pid, &st, 0));
    SHOW("wait after reaping", wait(NULL));
    return 0;
}
