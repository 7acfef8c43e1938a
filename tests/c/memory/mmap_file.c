// mmap of a file with MAP_PRIVATE (reads contents, private writes do not reach the file) and MAP_SHARED reads.
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int main(void)
{
    int fd = open("m", O_CREAT | O_RDWR | O_TRUNC, 0644);
    static char data[200000 + 123];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (char)('a' + i % 26);
    write(fd, data, sizeof data);
    char *p = mmap(NULL, sizeof data, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    printf("mmap private ok=%d\n", p != MAP_FAILED);
    printf("contents match=%d first=[%.10s] last=%c\n", memcmp(p, data, sizeof data) == 0, p, p[sizeof data - 1]);
    /* the tail of the last page beyond EOF reads as zero */
    long pg = sysconf(_SC_PAGESIZE);
    size_t mapped_end = (sizeof data + pg - 1) / pg * pg;
    int tail_zero = 1;
    for (size_t i = sizeof data; i < mapped_end; i++)
        if (p[i])
            tail_zero = 0;
    printf("tail beyond EOF zero=%d\n", tail_zero);
    memcpy(p, "PRIVATE", 7);
    char buf[8] = {0};
    pread(fd, buf, 7, 0);
    printf("file unchanged by private write: [%s]\n", buf);
    printf("mapping sees own write: [%.7s]\n", p);
    munmap(p, sizeof data);
    /* offset mapping (page-aligned offset) */
    char *q = mmap(NULL, 100, PROT_READ, MAP_PRIVATE, fd, pg);
    printf("offset mapping ok=%d matches=%d\n", q != MAP_FAILED, q != MAP_FAILED && memcmp(q, data + pg, 100) == 0);
    munmap(q, 100);
    char *s = mmap(NULL, sizeof data, PROT_READ, MAP_SHARED, fd, 0);
    printf("shared read-only mapping ok=%d matches=%d\n", s != MAP_FAILED, s != MAP_FAILED && memcmp(s, data, 100) == 0);
    if (s != MAP_FAILED)
        munmap(s, sizeof data);
    close(fd);
    /* mapping survives close of the fd */
    fd = open("m", O_RDONLY);
    char *r = mmap(NULL, 26, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    printf("after close: [%.26s]\n", r);
    munmap(r, 26);
    return 0;
}
