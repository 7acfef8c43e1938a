// getrandom fills 32 bytes (not all zero, two calls differ); GRND_NONBLOCK works; a big request is served.
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

int main(void)
{
    unsigned char a[32], b[32];
    memset(a, 0, sizeof a);
    memset(b, 0, sizeof b);
    ssize_t r1 = getrandom(a, sizeof a, 0);
    ssize_t r2 = getrandom(b, sizeof b, GRND_NONBLOCK);
    int nonzero = 0;
    for (int i = 0; i < 32; i++)
        nonzero |= a[i];
    printf("getrandom=%zd,%zd not all zero=%d differ=%d\n", r1, r2, nonzero != 0, memcmp(a, b, 32) != 0);
    static unsigned char big[65536];
    ssize_t r3 = getrandom(big, sizeof big, 0);
    int counts[256] = {0};
    for (ssize_t i = 0; i < r3; i++)
        counts[big[i]]++;
    int seen = 0;
    for (int i = 0; i < 256; i++)
        seen += counts[i] > 0;
    printf("big request >0=%d all byte values seen=%d\n", r3 > 0, seen == 256);
    unsigned char e[16];
    printf("getentropy=%d\n", getentropy(e, sizeof e));
    return 0;
}
