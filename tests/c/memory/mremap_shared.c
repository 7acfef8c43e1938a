// mremap of MAP_SHARED file, memfd, shm_open and anonymous mappings: grown (in place and moved after ftruncate), moved with MREMAP_FIXED, duplicated (old length 0), kept with MREMAP_DONTUNMAP; the new pages stay the same pages (a forked child writes through them, the parent sees it with read() or another mapping); growth past a shared anonymous object's end raises SIGBUS; private file pages keep their writes when moved; bad flag combinations are EINVAL.
#define _GNU_SOURCE
#include "../common/errname.h"
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif

static long pg;

/* A forked child writes `text` at `p + off`; the parent waits. */
static void child_writes(char *p, long off, const char *text)
{
    pid_t c = fork();
    if (c == 0) {
        memcpy(p + off, text, strlen(text));
        _exit(0);
    }
    int st;
    waitpid(c, &st, 0);
}

static void show_read(const char *what, int fd, long off, size_t n)
{
    char buf[32] = {0};
    pread(fd, buf, n, off);
    printf("%s: [%s]\n", what, buf);
}

/* A free, page-aligned range of `n` pages, and one more page mapped after
 * it as a wall. */
static char *hole_before_wall(long n)
{
    char *r = mmap(NULL, (n + 1) * pg, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(r, n * pg);
    return r;
}

int main(void)
{
    pg = sysconf(_SC_PAGESIZE);

    /* A file mapping grown after ftruncate, moved because of a wall. */
    int fd = open("mremap_shared.dat", O_CREAT | O_RDWR | O_TRUNC, 0644);
    ftruncate(fd, 2 * pg);
    char *at = hole_before_wall(2);
    char *f = mmap(at, 2 * pg, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0);
    memcpy(f + 10, "first", 5);
    errno = 0;
    void *r = mremap(f, 2 * pg, 4 * pg, 0);
    int e = errno;
    printf("file grow against a wall without MAYMOVE: %s\n", r == MAP_FAILED ? errname(e) : "grew");
    ftruncate(fd, 4 * pg);
    char *g = mremap(f, 2 * pg, 4 * pg, MREMAP_MAYMOVE);
    printf("file grow with MAYMOVE: ok=%d moved=%d kept=[%.5s]\n", g != MAP_FAILED, g != f, g + 10);
    child_writes(g, 3 * pg + 7, "child-wrote");
    show_read("read() after the child wrote through the grown mapping", fd, 3 * pg + 7, 11);
    pwrite(fd, "viawrite", 8, 2 * pg);
    printf("write() seen through the new pages: [%.8s]\n", g + 2 * pg);
    errno = 0;
    e = msync(f, pg, MS_SYNC);
    int e2 = errno;
    printf("old address after the move: %s\n", e == 0 ? "still mapped" : errname(e2));

    /* Grown in place: the pages after are free. */
    ftruncate(fd, 8 * pg);
    at = hole_before_wall(8);
    char *h = mmap(at, 2 * pg, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0);
    char *h2 = mremap(h, 2 * pg, 6 * pg, 0);
    printf("file grow in place: ok=%d same=%d sees=[%.8s]\n", h2 != MAP_FAILED, h2 == h, h2 + 2 * pg);
    child_writes(h2, 5 * pg + 1, "inplace");
    show_read("read() of the in-place growth", fd, 5 * pg + 1, 7);
    char *h3 = mremap(h2, 6 * pg, pg, 0);
    printf("shrink: same=%d\n", h3 == h2);

    /* MREMAP_FIXED onto another mapping, which it replaces. */
    char *target = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    target[0] = 'T';
    char *k = mremap(g, 4 * pg, 4 * pg, MREMAP_MAYMOVE | MREMAP_FIXED, target);
    printf("MREMAP_FIXED: at target=%d sees=[%.5s] [%.11s]\n", k == target, k + 10, k + 3 * pg + 7);
    child_writes(k, pg, "fixed");
    show_read("read() after the child wrote through the fixed move", fd, pg, 5);

    /* Old length 0: a second mapping of the same shared pages. */
    char *dup = mremap(k, 0, 2 * pg, MREMAP_MAYMOVE);
    printf("duplicate: ok=%d other=%d sees=[%.5s]\n", dup != MAP_FAILED, dup != k, dup + 10);
    dup[20] = 'D';
    printf("write through the duplicate seen by the original: %c\n", k[20]);

    /* MREMAP_DONTUNMAP: the old range still maps the file. */
    char *m = mremap(k, 4 * pg, 4 * pg, MREMAP_MAYMOVE | MREMAP_DONTUNMAP);
    if (m == MAP_FAILED) {
        e = errno;
        printf("DONTUNMAP: %s\n", errname(e));
    } else {
        memcpy(m + 30, "moved", 5);
        printf("DONTUNMAP: moved=%d old sees=[%.5s]\n", m != k, k + 30);
        munmap(m, 4 * pg);
    }
    munmap(k, 4 * pg);
    munmap(dup, 2 * pg);
    munmap(h3, pg);

    /* A private file mapping keeps its written pages when moved. */
    char *p = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    memcpy(p + 10, "PRIVATE", 7);
    target = mmap(NULL, 3 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *p2 = mremap(p, 2 * pg, 3 * pg, MREMAP_MAYMOVE | MREMAP_FIXED, target);
    printf("private file moved: [%.7s] file tail [%.8s]\n", p2 + 10, p2 + 2 * pg);
    show_read("file under the private write", fd, 10, 5);
    munmap(p2, 3 * pg);
    close(fd);
    unlink("mremap_shared.dat");

    /* memfd: grown after ftruncate, moved against a wall. */
    int mfd = memfd_create("grow", 0);
    ftruncate(mfd, pg);
    at = hole_before_wall(1);
    char *q = mmap(at, pg, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, mfd, 0);
    q[0] = 'q';
    ftruncate(mfd, 3 * pg);
    char *q2 = mremap(q, pg, 3 * pg, MREMAP_MAYMOVE);
    printf("memfd grow: moved=%d kept=%c\n", q2 != q, q2[0]);
    child_writes(q2, 2 * pg + 3, "memfd");
    show_read("memfd read()", mfd, 2 * pg + 3, 5);
    munmap(q2, 3 * pg);
    close(mfd);

    /* shm_open: the moved mapping and a second mapping see each other. */
    shm_unlink("/mremap_shared");
    int sfd = shm_open("/mremap_shared", O_CREAT | O_RDWR | O_EXCL, 0600);
    ftruncate(sfd, 2 * pg);
    char *s = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_SHARED, sfd, 0);
    char *other = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_SHARED, sfd, 0);
    target = mmap(NULL, 2 * pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *s2 = mremap(s, 2 * pg, 2 * pg, MREMAP_MAYMOVE | MREMAP_FIXED, target);
    child_writes(s2, pg + 5, "shm");
    printf("shm moved: at target=%d other mapping sees [%.3s]\n", s2 == target, other + pg + 5);
    shm_unlink("/mremap_shared");
    close(sfd);

    /* Shared anonymous memory: moved, still shared with a child; grown
     * past its object's end, the new pages raise SIGBUS. */
    char *a = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    a[0] = 'a';
    target = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *a2 = mremap(a, pg, pg, MREMAP_MAYMOVE | MREMAP_FIXED, target);
    child_writes(a2, 1, "nonymous");
    printf("shared anonymous moved: [%.9s]\n", a2);
    char *a3 = mremap(a2, pg, 2 * pg, MREMAP_MAYMOVE);
    printf("shared anonymous grown: kept=%c\n", a3[0]);
    pid_t c = fork();
    if (c == 0) {
        a3[pg] = 1;
        _exit(0);
    }
    int st;
    waitpid(c, &st, 0);
    printf("touching the growth: %s\n", WIFSIGNALED(st) && WTERMSIG(st) == SIGBUS ? "SIGBUS" : "no signal");

    /* Bad input. */
    errno = 0;
    r = mremap(a3, pg, pg, MREMAP_FIXED, target);
    e = errno;
    printf("FIXED without MAYMOVE: %s\n", r == MAP_FAILED ? errname(e) : "ok");
    errno = 0;
    r = mremap(a3, 2 * pg, 2 * pg, MREMAP_MAYMOVE | MREMAP_FIXED, a3 + pg);
    e = errno;
    printf("FIXED overlapping the old range: %s\n", r == MAP_FAILED ? errname(e) : "ok");
    errno = 0;
    r = mremap(a3, pg, 2 * pg, MREMAP_MAYMOVE | MREMAP_DONTUNMAP);
    e = errno;
    printf("DONTUNMAP changing the length: %s\n", r == MAP_FAILED ? errname(e) : "ok");
    char *priv = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    errno = 0;
    r = mremap(priv, 0, pg, MREMAP_MAYMOVE);
    e = errno;
    printf("old length 0 of private memory: %s\n", r == MAP_FAILED ? errname(e) : "ok");
    priv[0] = 'x';
    char *pm = mremap(priv, pg, pg, MREMAP_MAYMOVE | MREMAP_DONTUNMAP);
    printf("private DONTUNMAP: moved=%c old=%d\n", pm == MAP_FAILED ? '?' : pm[0], pm == MAP_FAILED ? -1 : priv[0]);
    return 0;
}
