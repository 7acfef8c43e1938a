// Write 8 MiB in odd-sized chunks, read it back in other chunk sizes, compare FNV-1a checksums.
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define SIZE (8u << 20)

static uint32_t fnv(uint32_t h, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}

int main(void)
{
    unsigned char *buf = malloc(SIZE);
    uint32_t x = 2463534242u;
    for (size_t i = 0; i < SIZE; i++) {
        x ^= x << 13; x ^= x >> 17; x ^= x << 5;
        buf[i] = (unsigned char)x;
    }
    uint32_t h1 = fnv(2166136261u, buf, SIZE);
    int fd = open("big", O_CREAT | O_RDWR | O_TRUNC, 0644);
    size_t off = 0, chunk = 1;
    while (off < SIZE) {
        size_t n = chunk < SIZE - off ? chunk : SIZE - off;
        ssize_t w = write(fd, buf + off, n);
        if (w <= 0) {
            printf("write failed at %zu\n", off);
            return 1;
        }
        off += (size_t)w;
        chunk = chunk * 3 + 7;
        if (chunk > 1000000)
            chunk = 4093;
    }
    struct stat st;
    fstat(fd, &st);
    printf("size=%lld\n", (long long)st.st_size);
    lseek(fd, 0, SEEK_SET);
    unsigned char *rb = malloc(65536);
    uint32_t h2 = 2166136261u;
    size_t total = 0;
    for (;;) {
        ssize_t n = read(fd, rb, 65536 - (total % 1000));
        if (n <= 0)
            break;
        h2 = fnv(h2, rb, (size_t)n);
        total += (size_t)n;
    }
    printf("read total=%zu checksum match=%d checksum=%08x\n", total, h1 == h2, h1);
    unsigned char one;
    pread(fd, &one, 1, SIZE - 1);
    printf("last byte ok=%d\n", one == buf[SIZE - 1]);
    close(fd);
    printf("unlink=%d\n", unlink("big"));
    return 0;
}
