// fork returns 0 in the child and the child's pid (> 0) in the parent; the child's getpid and getppid agree; waitpid returns the child; vfork + _exit works.
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    int fds[2];
    if (pipe(fds) != 0) { perror("pipe"); return 1; }
    pid_t parent = getpid();
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) { perror("fork"); return 1; }
    if (pid == 0) {
        pid_t me = getpid();
        close(fds[0]);
        write(fds[1], &me, sizeof me);
        printf("child: fork returned 0\n");
        printf("child: getppid()==parent %d\n", getppid() == parent);
        printf("child: getpid()!=parent %d\n", me != parent);
        exit(3);
    }
    close(fds[1]);
    pid_t reported = -1;
    ssize_t n = read(fds[0], &reported, sizeof reported);
    int st = 0;
    pid_t w = waitpid(pid, &st, 0);
    printf("parent: child pid > 0 %d\n", pid > 0);
    printf("parent: child pid != own pid %d\n", pid != parent);
    printf("parent: child's getpid()==fork's return %d (read %d)\n", reported == pid, (int)n);
    printf("parent: waitpid returned the child %d\n", w == pid);
    printf("parent: exited=%d status=%d\n", WIFEXITED(st), WEXITSTATUS(st));
    printf("parent: getpid unchanged %d\n", getpid() == parent);

    fflush(stdout);
    pid_t v = vfork();
    if (v == 0)
        _exit(42);
    w = waitpid(v, &st, 0);
    printf("vfork: returned child %d exited=%d status=%d\n", w == v && v > 0, WIFEXITED(st), WEXITSTATUS(st));
    return 0;
}
