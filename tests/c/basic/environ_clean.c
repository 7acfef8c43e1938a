// The whole environment is exactly what the harness passes (ENV directive), nothing inherited from the host.
#define _GNU_SOURCE
// ENV: ALPHA=1 BETA="two words" GAMMA=
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(void)
{
    int n = 0;
    while (environ[n])
        n++;
    char **copy = malloc((n + 1) * sizeof *copy);
    memcpy(copy, environ, (n + 1) * sizeof *copy);
    qsort(copy, n, sizeof *copy, cmp);
    printf("%d variables\n", n);
    for (int i = 0; i < n; i++)
        printf("  %s\n", copy[i]);
    int r = clearenv();
    printf("clearenv=%d count after=%d\n", r, environ == NULL || environ[0] == NULL ? 0 : -1);
    return 0;
}
