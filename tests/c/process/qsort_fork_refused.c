// LIND-ONLY
// Lind does not instrument qsort for Asyncify (see crates/cli/src/asyncify.rs),
// so fork inside a comparator fails with ENOSYS (natively it works) instead
// of unwinding through frames that cannot be rewound; setjmp there saves
// nothing. Outside the sort, fork works again.
#include <errno.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int tried;

static int fork_once(const void *a, const void *b)
{
    if (!tried) {
        tried = 1;
        pid_t pid = fork();
        if (pid == 0)
            _exit(0);
        printf("fork in comparator: %s\n", pid < 0 ? strerror(errno) : "succeeded");
    }
    return *(const int *)a - *(const int *)b;
}

int main(void)
{
    int v[] = {3, 1, 2};
    qsort(v, 3, sizeof v[0], fork_once);
    printf("sorted: %d %d %d\n", v[0], v[1], v[2]);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0)
        _exit(4);
    int status;
    waitpid(pid, &status, 0);
    printf("fork after the sort: child exited %d\n", WEXITSTATUS(status));
    return 0;
}
