// 200k malloc/free/realloc operations driven by a PRNG; every block's contents are verified and checksummed.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 4096
#define OPS 200000

static uint64_t rng = 88172645463325252ULL;
static uint32_t next(void)
{
    rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17;
    return (uint32_t)(rng >> 16);
}

int main(void)
{
    static unsigned char *p[SLOTS];
    static size_t sz[SLOTS];
    static unsigned char tag[SLOTS];
    uint64_t check = 0;
    long bad = 0, allocs = 0, frees = 0, reallocs = 0;
    for (int op = 0; op < OPS; op++) {
        uint32_t r = next();
        int i = r % SLOTS;
        if (p[i]) {
            for (size_t k = 0; k < sz[i]; k += 1 + sz[i] / 64)
                if (p[i][k] != tag[i])
                    bad++;
            check = check * 31 + sz[i] + tag[i];
            if ((r >> 12) % 4 == 0) {
                size_t ns = (next() % 3 == 0) ? next() % 70000 : next() % 300 + 1;
                unsigned char *q = realloc(p[i], ns);
                if (!q) { printf("realloc failed\n"); return 1; }
                size_t keep = ns < sz[i] ? ns : sz[i];
                for (size_t k = 0; k < keep; k += 1 + keep / 64)
                    if (q[k] != tag[i])
                        bad++;
                memset(q, tag[i], ns);
                p[i] = q;
                sz[i] = ns;
                reallocs++;
            } else {
                free(p[i]);
                p[i] = NULL;
                frees++;
            }
        } else {
            uint32_t c = next() % 100;
            size_t n = c < 70 ? next() % 128 + 1 : c < 97 ? next() % 4096 + 1 : next() % 300000 + 1;
            p[i] = malloc(n);
            if (!p[i]) { printf("malloc failed\n"); return 1; }
            sz[i] = n;
            tag[i] = (unsigned char)(next() | 1);
            memset(p[i], tag[i], n);
            allocs++;
        }
    }
    size_t live = 0;
    for (int i = 0; i < SLOTS; i++) {
        if (p[i]) {
            live += sz[i];
            free(p[i]);
        }
    }
    printf("allocs=%ld frees=%ld reallocs=%ld corrupt=%ld live_bytes=%zu checksum=%016llx\n", allocs, frees,
           reallocs, bad, live, (unsigned long long)check);
    return bad != 0;
}
