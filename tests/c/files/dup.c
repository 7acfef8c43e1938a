// dup/dup2/dup3 return the expected fds, share the file offset, and dup3 sets O_CLOEXEC.
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int main(void)
{
    int fd = open("d", O_CREAT | O_RDWR | O_TRUNC, 0644);
    printf("fd=%d\n", fd);
    int a = dup(fd);
    printf("dup=%d\n", a);
    write(fd, "abc", 3);
    printf("offset via dup=%lld\n", (long long)lseek(a, 0, SEEK_CUR));
    int b = dup2(fd, 10);
    printf("dup2 to 10=%d\n", b);
    lseek(b, 1, SEEK_SET);
    printf("offset via original after seek on dup2=%lld\n", (long long)lseek(fd, 0, SEEK_CUR));
    printf("dup2 same fd=%d\n", dup2(fd, fd));
    int c = dup3(fd, 12, O_CLOEXEC);
    printf("dup3=%d cloexec=%d dup2 cloexec=%d\n", c, (fcntl(c, F_GETFD) & FD_CLOEXEC) != 0, (fcntl(b, F_GETFD) & FD_CLOEXEC) != 0);
    printf("dup3 same fd ret=%d\n", dup3(fd, fd, 0));
    close(fd);
    write(c, "Z", 1);
    char buf[8] = {0};
    pread(a, buf, 8, 0);
    printf("content after close of original=[%s]\n", buf);
    int d = open("d", O_RDONLY);
    printf("lowest free fd reused=%d\n", d);
    /* dup2 onto an open fd closes it silently */
    int e = dup2(d, a);
    ssize_t n = read(a, buf, 2);
    printf("dup2 onto open fd=%d, read=%zd\n", e, n);
    return 0;
}
