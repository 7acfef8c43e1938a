// calloc returns zeroed memory, also when reusing freed dirty blocks; overflowing nmemb*size fails.
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int all_zero(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return 0;
    return 1;
}

int main(void)
{
    size_t sizes[] = {1, 16, 100, 4096, 65536, 1 << 20, 5 << 20};
    for (int round = 0; round < 3; round++) {
        for (unsigned i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
            unsigned char *d = malloc(sizes[i]);
            memset(d, 0xAB, sizes[i]);
            free(d);
            unsigned char *c = calloc(sizes[i], 1);
            printf("round %d calloc(%zu) zero=%d\n", round, sizes[i], c && all_zero(c, sizes[i]));
            memset(c, 0xCD, sizes[i]);
            free(c);
        }
    }
    unsigned char *c = calloc(1000, 1000);
    printf("calloc(1000,1000) zero=%d\n", c && all_zero(c, 1000000));
    free(c);
    errno = 0;
    void *(*volatile pcalloc)(size_t, size_t) = calloc;
    void *o = pcalloc(SIZE_MAX / 2, 4);
    printf("overflow calloc NULL=%d ENOMEM=%d\n", o == NULL, errno == ENOMEM);
    return 0;
}
