// A pipeline of three processes: child 1 writes 64 MiB of a xorshift stream in uneven chunks, child 2 transforms every byte, the parent checksums; all reads are partial-read safe.
// TIMEOUT: 120
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#define TOTAL (64u << 20)

static int write_full(int fd, const unsigned char *buf, size_t n)
{
    while (n > 0) {
        ssize_t r = write(fd, buf, n);
        if (r <= 0)
            return -1;
        buf += r;
        n -= r;
    }
    return 0;
}

int main(void)
{
    int a[2], b[2];
    pipe(a);
    fflush(stdout);
    pid_t gen = fork();
    if (gen == 0) {
        close(a[0]);
        static unsigned char buf[100000];
        uint64_t x = 88172645463325252ull;
        size_t sent = 0, chunk = 1;
        while (sent < TOTAL) {
            chunk = chunk * 5 % 65521 + 1; /* 1 .. 65521 bytes, varying */
            size_t n = chunk;
            if (n > TOTAL - sent)
                n = TOTAL - sent;
            for (size_t i = 0; i < n; i++) {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                buf[i] = (unsigned char)(x >> 24);
            }
            if (write_full(a[1], buf, n) != 0)
                _exit(2);
            sent += n;
        }
        _exit(0);
    }
    close(a[1]);
    pipe(b);
    pid_t xf = fork();
    if (xf == 0) {
        close(b[0]);
        static unsigned char buf[32768];
        uint64_t pos = 0;
        ssize_t n;
        size_t want = 1;
        while ((n = read(a[0], buf, want)) > 0) {
            for (ssize_t i = 0; i < n; i++, pos++)
                buf[i] = (unsigned char)(buf[i] * 167u + (unsigned char)pos) ^ 0x5a;
            if (write_full(b[1], buf, n) != 0)
                _exit(2);
            want = want * 3 % sizeof buf + 1;
        }
        _exit(n == 0 ? 0 : 3);
    }
    close(a[0]);
    close(b[1]);
    static unsigned char buf[65536];
    uint64_t h = 1469598103934665603ull, total = 0;
    ssize_t n;
    while ((n = read(b[0], buf, sizeof buf)) > 0) {
        for (ssize_t i = 0; i < n; i++) {
            h ^= buf[i];
            h *= 1099511628211ull;
        }
        total += n;
    }
    int s1, s2;
    waitpid(gen, &s1, 0);
    waitpid(xf, &s2, 0);
    printf("bytes=%llu fnv1a=%016llx\n", (unsigned long long)total, (unsigned long long)h);
    printf("generator status=%d transformer status=%d\n", WEXITSTATUS(s1), WEXITSTATUS(s2));
    return 0;
}
