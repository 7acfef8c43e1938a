// One 64 MiB malloc: touch every page, verify a pattern, free it, and allocate it again.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define SZ (64u << 20)

int main(void)
{
    for (int round = 0; round < 2; round++) {
        uint32_t *p = malloc(SZ);
        if (!p) {
            printf("malloc 64 MiB failed\n");
            return 1;
        }
        size_t n = SZ / 4;
        for (size_t i = 0; i < n; i += 1024)
            p[i] = (uint32_t)i ^ 0x5a5a5a5au;
        p[n - 1] = 0xdeadbeef;
        int ok = 1;
        for (size_t i = 0; i < n; i += 1024)
            if (p[i] != ((uint32_t)i ^ 0x5a5a5a5au))
                ok = 0;
        printf("round %d: 64 MiB ok=%d last=%08x\n", round, ok, p[n - 1]);
        free(p);
    }
    void *many[8];
    for (int i = 0; i < 8; i++) {
        many[i] = malloc(8u << 20);
        if (!many[i]) {
            printf("8 MiB #%d failed\n", i);
            return 1;
        }
        ((char *)many[i])[(8u << 20) - 1] = (char)i;
    }
    int ok = 1;
    for (int i = 0; i < 8; i++) {
        ok &= ((char *)many[i])[(8u << 20) - 1] == (char)i;
        free(many[i]);
    }
    printf("8 x 8 MiB ok=%d\n", ok);
    return 0;
}
