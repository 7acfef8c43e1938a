// Nested forks: a chain of 6 generations passes exit codes up; a binary tree of depth 4 counts its 31 nodes through exit statuses.
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

/* Each generation forks the next and exits with (its child's status + 1). */
static int chain(int depth)
{
    if (depth == 0)
        return 0;
    pid_t pid = fork();
    if (pid < 0) _exit(200);
    if (pid == 0)
        _exit(chain(depth - 1));
    int st;
    if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
        return 250;
    return WEXITSTATUS(st) + 1;
}

/* A node forks two children and exits with 1 + the sum of their statuses. */
static int tree(int depth)
{
    if (depth == 0)
        return 1;
    pid_t kids[2];
    for (int i = 0; i < 2; i++) {
        kids[i] = fork();
        if (kids[i] < 0) _exit(200);
        if (kids[i] == 0)
            _exit(tree(depth - 1));
    }
    int total = 1;
    for (int i = 0; i < 2; i++) {
        int st;
        if (waitpid(kids[i], &st, 0) != kids[i] || !WIFEXITED(st))
            return 250;
        total += WEXITSTATUS(st);
    }
    return total;
}

int main(void)
{
    printf("chain of 6: %d\n", chain(6));
    printf("tree of depth 4: %d nodes\n", tree(4));
    /* A grandchild reports to the top through a pipe inherited over two forks. */
    int fds[2];
    pipe(fds);
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        pid_t g = fork();
        if (g == 0) {
            close(fds[0]);
            write(fds[1], "from grandchild", 15);
            _exit(0);
        }
        waitpid(g, NULL, 0);
        _exit(0);
    }
    close(fds[1]);
    char buf[64];
    ssize_t n, total = 0;
    while ((n = read(fds[0], buf + total, sizeof buf - 1 - total)) > 0)
        total += n;
    buf[total] = 0;
    int st;
    waitpid(c, &st, 0);
    printf("pipe: \"%s\" child status=%d\n", buf, WEXITSTATUS(st));
    return 0;
}
