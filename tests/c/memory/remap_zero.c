// munmap then mmap again (also MAP_FIXED over the old address): the new pages must be zero.
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

static int zero(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return 0;
    return 1;
}

int main(void)
{
    size_t len = 256 << 10;
    int ok_all = 1;
    for (int round = 0; round < 20; round++) {
        unsigned char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) {
            printf("mmap failed\n");
            return 1;
        }
        if (!zero(p, len))
            ok_all = 0;
        memset(p, 0xEE, len);
        munmap(p, len);
    }
    printf("fresh mappings zero after munmap of dirty ones=%d\n", ok_all);
    unsigned char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memset(p, 0x77, len);
    unsigned char *q = mmap(p, len / 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    printf("MAP_FIXED same address=%d zero=%d rest kept=%d\n", q == p, zero(q, len / 2), p[len / 2] == 0x77 && p[len - 1] == 0x77);
    munmap(p + len / 4, len / 4);
    unsigned char *r = mmap(p + len / 4, len / 4, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    printf("refill hole=%d zero=%d\n", r == p + len / 4, zero(r, len / 4));
    munmap(p, len);
    return 0;
}
