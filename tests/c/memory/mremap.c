// mremap: grow in place or moved (MREMAP_MAYMOVE) keeping the contents, shrink in place, ENOMEM when it cannot grow without moving, EINVAL/EFAULT on bad input; mincore reports touched pages resident and refuses unmapped or unaligned ranges.
#define _GNU_SOURCE
#include "../common/errname.h"
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(void)
{
    long pg = sysconf(_SC_PAGESIZE);
    /* Five pages: the first four are remapped, the fifth is a wall that
     * keeps them from growing in place. */
    char *a = mmap(NULL, 5 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    for (int i = 0; i < 5; i++)
        a[i * pg] = (char)('A' + i);
    errno = 0;
    void *r = mremap(a, 4 * pg, 8 * pg, 0);
    int e = errno;
    printf("grow without MAYMOVE: %s\n", r == MAP_FAILED ? errname(e) : "grew");
    char *b = mremap(a, 4 * pg, 8 * pg, MREMAP_MAYMOVE);
    printf("grow with MAYMOVE ok=%d moved=%d contents=%c%c%c%c new zero=%d wall kept=%c\n", b != MAP_FAILED, b != a, b[0], b[pg], b[2 * pg], b[3 * pg], b[7 * pg] == 0, a[4 * pg]);
    b[7 * pg] = 'Z';
    char *c = mremap(b, 8 * pg, 2 * pg, 0);
    printf("shrink in place=%d contents=%c%c\n", c == b, c[0], c[pg]);
    char *d = mremap(c, 2 * pg, 3 * pg, 0);
    printf("grow back in place=%d third page zero=%d\n", d == c, d != MAP_FAILED && d[2 * pg] == 0);
    errno = 0;
    r = mremap(d + 1, pg, 2 * pg, MREMAP_MAYMOVE);
    e = errno;
    printf("unaligned: %s\n", r == MAP_FAILED ? errname(e) : "ok");
    errno = 0;
    r = mremap(d, pg, 0, MREMAP_MAYMOVE);
    e = errno;
    printf("new length zero: %s\n", r == MAP_FAILED ? errname(e) : "ok");
    errno = 0;
    r = mremap(d, pg, 2 * pg, 0x40);
    e = errno;
    printf("unknown flag: %s\n", r == MAP_FAILED ? errname(e) : "ok");

    unsigned char vec[3];
    d[0] = 1;
    d[pg] = 1;
    d[2 * pg] = 1;
    SHOW("mincore", mincore(d, 3 * pg, vec));
    printf("touched pages resident: %d %d %d\n", vec[0] & 1, vec[1] & 1, vec[2] & 1);
    SHOW("mincore unaligned", mincore(d + 1, pg, vec));
    munmap(d, 3 * pg);
    SHOW("mincore unmapped", mincore(d, pg, vec));
    return 0;
}
