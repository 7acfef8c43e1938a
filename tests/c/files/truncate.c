// truncate/ftruncate shrink and grow (zero-filled) files; the file offset is untouched.
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static long long size_of(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 ? (long long)st.st_size : -1;
}

int main(void)
{
    int fd = open("t", O_CREAT | O_RDWR, 0644);
    write(fd, "0123456789", 10);
    int r = ftruncate(fd, 4);
    printf("ftruncate 4=%d size=%lld offset=%lld\n", r, size_of("t"), (long long)lseek(fd, 0, SEEK_CUR));
    r = truncate("t", 4096);
    printf("truncate 4096=%d size=%lld\n", r, size_of("t"));
    char buf[4096];
    lseek(fd, 0, SEEK_SET);
    ssize_t n = read(fd, buf, sizeof buf);
    int nz = 0;
    for (int i = 4; i < n; i++)
        nz += buf[i] != 0;
    printf("read=%zd head=[%.4s] nonzero after 4=%d\n", n, buf, nz);
    r = ftruncate(fd, 0);
    printf("ftruncate 0=%d size=%lld\n", r, size_of("t"));
    ssize_t w = write(fd, "X", 1);
    printf("write at old offset=%zd size=%lld\n", w, size_of("t"));
    r = ftruncate(fd, 3LL << 30);
    printf("ftruncate 3 GiB sparse=%d size=%lld\n", r, size_of("t"));
    r = ftruncate(fd, 5LL << 30);
    printf("ftruncate 5 GiB sparse=%d size=%lld\n", r, size_of("t"));
    printf("lseek end=%lld\n", (long long)lseek(fd, 0, SEEK_END));
    char c = 1;
    ssize_t pr = pread(fd, &c, 1, (5LL << 30) - 1);
    printf("pread near 5 GiB=%zd byte=%d\n", pr, c);
    r = ftruncate(fd, 1);
    printf("ftruncate back=%d size=%lld\n", r, size_of("t"));
    close(fd);
    return 0;
}
