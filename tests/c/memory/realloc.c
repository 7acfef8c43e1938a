// realloc grows a block from 1 byte to 16 MiB step by step preserving contents, then shrinks it.
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    size_t n = 1;
    unsigned char *p = malloc(n);
    p[0] = 0;
    int ok = 1;
    int steps = 0;
    while (n < (16u << 20)) {
        size_t nn = n * 2 + 3;
        unsigned char *q = realloc(p, nn);
        if (!q) {
            printf("realloc(%zu) failed\n", nn);
            return 1;
        }
        for (size_t i = 0; i < n; i++)
            if (q[i] != (unsigned char)(i * 7 + 1) && !(i == 0 && q[0] == 0 && n == 1))
                ok = 0;
        for (size_t i = 0; i < nn; i++)
            q[i] = (unsigned char)(i * 7 + 1);
        p = q;
        n = nn;
        steps++;
    }
    printf("grew in %d steps to %zu bytes, contents preserved=%d\n", steps, n, ok);
    p = realloc(p, 10);
    int ok2 = 1;
    for (size_t i = 0; i < 10; i++)
        if (p[i] != (unsigned char)(i * 7 + 1))
            ok2 = 0;
    printf("shrink to 10 preserved=%d\n", ok2);
    void *z = realloc(NULL, 100);
    printf("realloc(NULL,100) ok=%d\n", z != NULL);
    free(z);
    free(p);
    return 0;
}
