// Anonymous mmap: zeroed, writable, page aligned; munmap; bad arguments (len 0) give EINVAL.
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

int main(void)
{
    size_t len = 1 << 20;
    unsigned char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("mmap ok=%d\n", p != MAP_FAILED);
    long pg = sysconf(_SC_PAGESIZE);
    printf("page aligned=%d\n", ((uintptr_t)p % (uintptr_t)pg) == 0);
    int zero = 1;
    for (size_t i = 0; i < len; i++)
        if (p[i])
            zero = 0;
    printf("zeroed=%d\n", zero);
    for (size_t i = 0; i < len; i++)
        p[i] = (unsigned char)(i % 251);
    unsigned sum = 0;
    for (size_t i = 0; i < len; i++)
        sum += p[i];
    printf("sum=%u\n", sum);
    printf("munmap=%d\n", munmap(p, len));
    errno = 0;
    void *q = mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("len 0 failed=%d EINVAL=%d\n", q == MAP_FAILED, errno == EINVAL);
    unsigned char *many[32];
    for (int i = 0; i < 32; i++) {
        many[i] = mmap(NULL, 65536 * (i + 1), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        many[i][0] = (unsigned char)i;
        many[i][65536 * (i + 1) - 1] = (unsigned char)(i + 1);
    }
    int ok = 1;
    for (int i = 0; i < 32; i++) {
        ok &= many[i][0] == i && many[i][65536 * (i + 1) - 1] == i + 1;
        for (int j = 0; j < i; j++)
            if (many[j] == many[i])
                ok = 0;
    }
    for (int i = 0; i < 32; i += 2)
        munmap(many[i], 65536 * (i + 1));
    for (int i = 1; i < 32; i += 2)
        ok &= many[i][0] == i;
    printf("32 mappings distinct and intact=%d\n", ok);
    return 0;
}
