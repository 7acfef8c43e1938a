// O_CREAT|O_EXCL fails on an existing file, O_CREAT alone opens it, O_TRUNC empties it.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../common/errname.h"

static long long size_of(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 ? (long long)st.st_size : -1;
}

int main(void)
{
    int fd = open("f", O_CREAT | O_EXCL | O_WRONLY, 0644);
    printf("excl create ok=%d\n", fd >= 0);
    write(fd, "some content", 12);
    close(fd);
    errno = 0;
    fd = open("f", O_CREAT | O_EXCL | O_WRONLY, 0644);
    printf("excl again fd=%d errno=%s\n", fd, errname(errno));
    fd = open("f", O_CREAT | O_WRONLY, 0644);
    printf("creat existing ok=%d size=%lld\n", fd >= 0, size_of("f"));
    close(fd);
    fd = open("f", O_WRONLY | O_TRUNC);
    printf("trunc ok=%d size=%lld\n", fd >= 0, size_of("f"));
    close(fd);
    errno = 0;
    fd = open("missing", O_WRONLY | O_TRUNC);
    printf("trunc missing fd=%d errno=%s\n", fd, errname(errno));
    fd = creat("c", 0600);
    printf("creat ok=%d\n", fd >= 0);
    errno = 0;
    ssize_t n = read(fd, (char[4]){0}, 4);
    printf("creat is write-only: read=%zd errno=%s\n", n, errname(errno));
    close(fd);
    /* O_EXCL on a dangling symlink must fail too */
    symlink("nowhere", "dangling");
    errno = 0;
    fd = open("dangling", O_CREAT | O_EXCL | O_WRONLY, 0644);
    printf("excl on dangling symlink fd=%d errno=%s\n", fd, errname(errno));
    printf("target created=%d\n", access("nowhere", F_OK) == 0);
    return 0;
}
