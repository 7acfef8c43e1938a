// Exit statuses 0..255 round-trip through waitpid with WIFEXITED/WEXITSTATUS; exit(256) is 0, exit(-1) is 255; WIFSIGNALED is false for all.
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static int run(int code, int use_exit)
{
    fflush(stdout); /* exit() in the child would flush a copy of the buffer */
    pid_t pid = fork();
    if (pid < 0) { perror("fork"); exit(1); }
    if (pid == 0) {
        if (use_exit)
            exit(code);
        _exit(code);
    }
    int st;
    if (waitpid(pid, &st, 0) != pid)
        return -1000;
    if (!WIFEXITED(st) || WIFSIGNALED(st) || WIFSTOPPED(st))
        return -2000;
    return WEXITSTATUS(st);
}

int main(void)
{
    int ok = 0;
    for (int s = 0; s < 256; s++)
        ok += run(s, s & 1) == s;
    printf("statuses 0..255 correct: %d of 256\n", ok);
    int r1 = run(256, 1), r2 = run(-1, 1), r3 = run(257, 0), r4 = run(1000, 0);
    printf("exit(256)=%d exit(-1)=%d _exit(257)=%d _exit(1000)=%d\n", r1, r2, r3, r4);
    return 0;
}
