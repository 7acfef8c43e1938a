// Bad arguments to mmap, munmap, mprotect, mremap and madvise fail with Linux's errnos (EINVAL for unaligned addresses and empty lengths, ENOMEM for lengths that overflow and for ranges that are not mapped), never a crash.
#define _GNU_SOURCE
#include "../common/errname.h"
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#define SHOWP(what, expr)                                                    \
    do {                                                                     \
        errno = 0;                                                           \
        void *p_ = (expr);                                                   \
        int e_ = errno;                                                      \
        printf("%s: %s\n", what, p_ == MAP_FAILED ? errname(e_) : "mapped"); \
    } while (0)

int main(void)
{
    long pg = sysconf(_SC_PAGESIZE);
    const int rw = PROT_READ | PROT_WRITE, anon = MAP_PRIVATE | MAP_ANONYMOUS;
    char *p = mmap(NULL, 4 * pg, rw, anon, -1, 0);
    printf("setup: %d\n", p != MAP_FAILED);

    SHOWP("mmap MAP_FIXED unaligned", mmap(p + 1, pg, rw, anon | MAP_FIXED, -1, 0));
    SHOWP("mmap length 0", mmap(NULL, 0, rw, anon, -1, 0));
    SHOWP("mmap length SIZE_MAX", mmap(NULL, SIZE_MAX, rw, anon, -1, 0));
    SHOWP("mmap length -page", mmap(NULL, (size_t)-pg, rw, anon, -1, 0));
    SHOWP("mmap neither private nor shared", mmap(NULL, pg, rw, MAP_ANONYMOUS, -1, 0));
    SHOWP("mmap unknown protection bits", mmap(NULL, pg, rw | 0x1000, anon, -1, 0));
    SHOWP("mmap of a bad descriptor", mmap(NULL, pg, PROT_READ, MAP_PRIVATE, 99, 0));

    SHOW("munmap unaligned", munmap(p + 1, pg));
    SHOW("munmap length 0", munmap(p, 0));
    SHOW("munmap length SIZE_MAX", munmap(p, SIZE_MAX));

    SHOW("mprotect unaligned", mprotect(p + 1, pg, PROT_READ));
    SHOW("mprotect length SIZE_MAX", mprotect(p, SIZE_MAX, PROT_READ));
    SHOW("mprotect unknown bits", mprotect(p, pg, 0x1000));
    /* A hole in the middle: the range is not wholly mapped. */
    munmap(p + pg, pg);
    SHOW("mprotect across a hole", mprotect(p, 3 * pg, PROT_READ));
    SHOW("mprotect of the hole", mprotect(p + pg, pg, PROT_READ));
    SHOW("mprotect mapped part", mprotect(p, pg, PROT_READ));
    SHOW("munmap of the hole again", munmap(p + pg, pg));

    SHOWP("mremap unaligned", mremap(p + 1, pg, 2 * pg, MREMAP_MAYMOVE));
    SHOWP("mremap to length 0", mremap(p, pg, 0, MREMAP_MAYMOVE));
    SHOWP("mremap unknown flags", mremap(p, pg, 2 * pg, 0x100));
    SHOWP("mremap of the hole", mremap(p + pg, pg, 2 * pg, MREMAP_MAYMOVE));

    SHOW("madvise unaligned", madvise(p + 1, pg, MADV_DONTNEED));
    SHOW("madvise of the hole", madvise(p + pg, pg, MADV_DONTNEED));
    SHOW("msync unaligned", msync(p + 1, pg, MS_SYNC));
    SHOW("msync of the hole", msync(p + pg, pg, MS_SYNC));

    /* The survivors still work. */
    p[2 * pg] = 7;
    printf("memory after all that: %d\n", p[2 * pg] == 7 && p[0] == 0);
    return 0;
}
