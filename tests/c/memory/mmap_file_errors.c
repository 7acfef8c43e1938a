// Bad file mappings: unaligned address or offset, directories and pipes, write-only files, writable MAP_SHARED of a read-only file (and mprotect to add PROT_WRITE), length zero.
#include "../common/errname.h"
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAPERR(label, call)                                                  \
    do {                                                                     \
        errno = 0;                                                           \
        void *r_ = (call);                                                   \
        int e_ = errno;                                                      \
        printf("%s: %s\n", label, r_ == MAP_FAILED ? errname(e_) : "mapped"); \
    } while (0)

int main(void)
{
    long pg = sysconf(_SC_PAGESIZE);
    int fd = open("f", O_CREAT | O_RDWR | O_TRUNC, 0644);
    char buf[8192];
    memset(buf, 'x', sizeof buf);
    write(fd, buf, sizeof buf);
    char *base = mmap(NULL, 4 * pg, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    MAPERR("MAP_FIXED at an unaligned address", mmap(base + 1, pg, PROT_READ, MAP_SHARED | MAP_FIXED, fd, 0));
    MAPERR("unaligned offset", mmap(NULL, pg, PROT_READ, MAP_SHARED, fd, 100));
    MAPERR("length zero", mmap(NULL, 0, PROT_READ, MAP_SHARED, fd, 0));
    MAPERR("neither shared nor private", mmap(NULL, pg, PROT_READ, 0, fd, 0));
    mkdir("d", 0755);
    int dfd = open("d", O_RDONLY | O_DIRECTORY);
    MAPERR("a directory", mmap(NULL, pg, PROT_READ, MAP_PRIVATE, dfd, 0));
    int pfd[2];
    pipe(pfd);
    MAPERR("a pipe", mmap(NULL, pg, PROT_READ, MAP_SHARED, pfd[0], 0));
    MAPERR("a closed fd", mmap(NULL, pg, PROT_READ, MAP_SHARED, 99, 0));
    int wo = open("f", O_WRONLY);
    MAPERR("a write-only file", mmap(NULL, pg, PROT_READ, MAP_SHARED, wo, 0));
    int ro = open("f", O_RDONLY);
    MAPERR("shared writable of a read-only file", mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0));
    MAPERR("private writable of a read-only file", mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE, ro, 0));
    char *r = mmap(NULL, pg, PROT_READ, MAP_SHARED, ro, 0);
    printf("shared read-only of a read-only file: %s, first byte %c\n", r == MAP_FAILED ? "failed" : "mapped", r == MAP_FAILED ? '?' : r[0]);
    SHOW("mprotect to add PROT_WRITE", mprotect(r, pg, PROT_READ | PROT_WRITE));
    SHOW("mprotect to PROT_NONE", mprotect(r, pg, PROT_NONE));
    SHOW("mprotect back to PROT_READ", mprotect(r, pg, PROT_READ));
    printf("still readable: %c\n", r[1]);
    /* read() into a read-only mapping: EFAULT */
    SHOW("pread() into a read-only mapping", pread(fd, r, 4, 0));
    SHOW("munmap", munmap(r, pg));
    return 0;
}
