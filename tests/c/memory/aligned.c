// Alignment guarantees: malloc is 16-byte aligned; posix_memalign/aligned_alloc honour 64..65536-byte alignment.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
    int ok = 1;
    for (size_t sz = 1; sz < 5000; sz = sz * 3 + 1) {
        void *p = malloc(sz);
        ok &= ((uintptr_t)p % 16) == 0;
        memset(p, 1, sz);
        free(p);
    }
    printf("malloc 16-aligned=%d\n", ok);
    size_t aligns[] = {64, 256, 4096, 65536};
    for (int i = 0; i < 4; i++) {
        void *p = NULL;
        int r = posix_memalign(&p, aligns[i], 1000);
        printf("posix_memalign(%zu)=%d aligned=%d\n", aligns[i], r, p && ((uintptr_t)p % aligns[i]) == 0);
        memset(p, 2, 1000);
        free(p);
        void *q = aligned_alloc(aligns[i], aligns[i] * 2);
        printf("aligned_alloc(%zu) aligned=%d\n", aligns[i], q && ((uintptr_t)q % aligns[i]) == 0);
        free(q);
    }
    void *bad = (void *)1;
    printf("posix_memalign(3) EINVAL=%d\n", posix_memalign(&bad, 3, 16) == 22);
    return 0;
}
