// 4 MiB to stdout through stdio and write(2) in large chunks must arrive complete and in order.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
    size_t n = 2u << 20;
    char *buf = malloc(n);
    for (size_t i = 0; i < n; i++)
        buf[i] = (i % 64 == 63) ? '\n' : (char)('a' + (i * 7) % 26);
    size_t w = fwrite(buf, 1, n, stdout);
    fflush(stdout);
    size_t off = 0;
    while (off < n) {
        ssize_t k = write(1, buf + off, n - off);
        if (k <= 0)
            return 1;
        off += (size_t)k;
    }
    printf("fwrite=%zu write total=%zu\n", w, off);
    return 0;
}
