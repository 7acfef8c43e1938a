// waitid: WEXITED reports exit status and signals in siginfo (si_signo, si_code, si_status, si_pid), WNOWAIT leaves the child waitable, WNOHANG with nothing ready zeroes si_pid, P_PID for an unknown pid is ECHILD.
#include "../common/errname.h"
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    int go[2];
    pipe(go);
    pid_t a = fork();
    if (a == 0) {
        char c;
        read(go[0], &c, 1);
        _exit(5);
    }
    siginfo_t si;
    memset(&si, 0xff, sizeof si);
    SHOW("WNOHANG, nothing ready", waitid(P_PID, a, &si, WEXITED | WNOHANG));
    printf("si_pid is 0: %d\n", si.si_pid == 0);
    write(go[1], "x", 1);
    SHOW("WNOWAIT", waitid(P_PID, a, &si, WEXITED | WNOWAIT));
    printf("signo SIGCHLD %d, code CLD_EXITED %d, status %d, pid matches %d\n", si.si_signo == SIGCHLD,
           si.si_code == CLD_EXITED, si.si_status, si.si_pid == a);
    SHOW("reap", waitid(P_PID, a, &si, WEXITED));
    printf("status again %d\n", si.si_status);
    SHOW("gone now", waitid(P_PID, a, &si, WEXITED));
    pid_t b = fork();
    if (b == 0) {
        pause();
        _exit(0);
    }
    kill(b, SIGTERM);
    SHOW("killed child", waitid(P_ALL, 0, &si, WEXITED));
    printf("code CLD_KILLED %d, status is SIGTERM %d\n", si.si_code == CLD_KILLED, si.si_status == SIGTERM);
    SHOW("bad idtype", waitid(77, 0, &si, WEXITED));
    return 0;
}
