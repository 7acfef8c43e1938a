// LIND-ONLY
// MAP_FIXED and mremap outside the cage's 4 GiB address space fail with ENOMEM; a hint outside it is ignored; munmap past its end is EINVAL.
#define _GNU_SOURCE
#include "../common/errname.h"
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

int main(void)
{
    long pg = sysconf(_SC_PAGESIZE);
    const int rw = PROT_READ | PROT_WRITE, anon = MAP_PRIVATE | MAP_ANONYMOUS;
    char *top = (char *)(uintptr_t)(0x100000000ull - (unsigned long long)pg);
    errno = 0;
    void *a = mmap(top, 2 * pg, rw, anon | MAP_FIXED, -1, 0);
    printf("MAP_FIXED across the end: %s\n", a == MAP_FAILED ? errname(errno) : "mapped");
    errno = 0;
    a = mmap((void *)(uintptr_t)pg, pg, rw, anon | MAP_FIXED_NOREPLACE, -1, 0);
    printf("MAP_FIXED_NOREPLACE over the program: %s\n", a == MAP_FAILED ? errname(errno) : "mapped");
    errno = 0;
    a = mmap(NULL, (size_t)0x80000000u, rw, anon, -1, 0);
    a = mmap(NULL, (size_t)0x80000000u, rw, anon, -1, 0);
    printf("two 2 GiB mappings: %s\n", a == MAP_FAILED ? errname(errno) : "mapped");
    errno = 0;
    char *p = mmap(top, pg, rw, anon, -1, 0);
    printf("hint at the last page: %s\n", p == MAP_FAILED ? errname(errno) : "mapped");
    SHOW("munmap past the end", munmap(top, 2 * pg));
    return 0;
}
