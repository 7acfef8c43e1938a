// After fork the child's memory is a copy: globals, heap, stack and static locals modified on one side are unchanged on the other.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int global = 10;
static char gbuf[64] = "global-before";

static void show(const char *who, int stackv, const char *heap, int *big, size_t nbig)
{
    static int calls;
    calls++;
    long sum = 0;
    for (size_t i = 0; i < nbig; i++)
        sum += big[i];
    printf("%s: global=%d gbuf=%s stack=%d heap=%s bigsum=%ld calls=%d\n", who, global, gbuf, stackv, heap,
           sum, calls);
}

int main(void)
{
    int stackv = 100;
    char *heap = malloc(32);
    strcpy(heap, "heap-before");
    size_t nbig = 4 << 20; /* 16 MiB: more than a few pages */
    int *big = malloc(nbig * sizeof *big);
    for (size_t i = 0; i < nbig; i++)
        big[i] = 1;
    show("before", stackv, heap, big, nbig);
    fflush(stdout);

    pid_t pid = fork();
    if (pid < 0) { perror("fork"); return 1; }
    if (pid == 0) {
        global = 20;
        strcpy(gbuf, "global-child");
        stackv = 200;
        strcpy(heap, "heap-child");
        for (size_t i = 0; i < nbig; i += 4096)
            big[i] = 2;
        char *extra = malloc(1 << 20); /* the child's heap can grow independently */
        memset(extra, 'x', 1 << 20);
        show("child", stackv, heap, big, nbig);
        exit(0);
    }
    /* The parent also changes things, before waiting, so neither side sees the other. */
    global = 30;
    strcpy(gbuf, "global-parent");
    stackv = 300;
    strcpy(heap, "heap-parent");
    big[1] = 5;
    int st;
    waitpid(pid, &st, 0);
    show("parent", stackv, heap, big, nbig);
    printf("child status=%d\n", WEXITSTATUS(st));
    return 0;
}
