// longjmp out of a qsort comparator (and out of nested qsorts) leaves the
// program able to sort, setjmp and fork again afterwards.
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static jmp_buf escape;
static int calls;

static int bail_on_third(const void *a, const void *b)
{
    if (++calls == 3)
        longjmp(escape, 42);
    return *(const int *)a - *(const int *)b;
}

static int by_value(const void *a, const void *b)
{
    return *(const int *)a - *(const int *)b;
}

static int inner_sort_then_bail(const void *a, const void *b)
{
    int v[] = {9, 8, 7};
    qsort(v, 3, sizeof v[0], bail_on_third);
    return by_value(a, b);
}

int main(void)
{
    int v[] = {5, 3, 9, 1, 7, 2};
    int r = setjmp(escape);
    if (r == 0)
        qsort(v, 6, sizeof v[0], bail_on_third);
    printf("escaped with %d after %d calls\n", r, calls);

    calls = 0;
    r = setjmp(escape);
    if (r == 0)
        qsort(v, 6, sizeof v[0], inner_sort_then_bail);
    printf("escaped from a nested sort with %d\n", r);

    qsort(v, 6, sizeof v[0], by_value);
    for (int i = 0; i < 6; i++)
        printf("%d%c", v[i], i == 5 ? '\n' : ' ');

    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0)
        _exit(5);
    int status;
    waitpid(pid, &status, 0);
    printf("fork after the escapes: child exited %d\n", WEXITSTATUS(status));
    return 0;
}
