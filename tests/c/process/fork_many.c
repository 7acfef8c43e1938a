// 100 sequential fork + exit(i) + waitpid: every exit code comes back and their sum is right.
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    long sum = 0;
    int ok = 0, badpid = 0;
    pid_t me = getpid();
    for (int i = 0; i < 100; i++) {
        pid_t pid = fork();
        if (pid < 0) { perror("fork"); return 1; }
        if (pid == 0)
            _exit(i * 7 % 256);
        if (pid <= 0 || pid == me)
            badpid++;
        int st;
        if (waitpid(pid, &st, 0) == pid && WIFEXITED(st)) {
            sum += WEXITSTATUS(st);
            ok += WEXITSTATUS(st) == i * 7 % 256;
        }
    }
    long want = 0;
    for (int i = 0; i < 100; i++)
        want += i * 7 % 256;
    printf("matching statuses=%d bad pids=%d sum=%ld want=%ld\n", ok, badpid, sum, want);
    int st;
    printf("no children left: %d\n", waitpid(-1, &st, WNOHANG) == -1);
    return 0;
}
