// writev gathers three buffers, readv scatters into uneven buffers.
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

int main(void)
{
    int fd = open("v", O_CREAT | O_RDWR | O_TRUNC, 0644);
    struct iovec w[3] = {{"Hello, ", 7}, {"", 0}, {"vectored world!", 15}};
    printf("writev=%zd\n", writev(fd, w, 3));
    lseek(fd, 0, SEEK_SET);
    char a[4] = {0}, b[10] = {0}, c[32] = {0};
    struct iovec r[3] = {{a, 3}, {b, 9}, {c, 31}};
    printf("readv=%zd a=[%s] b=[%s] c=[%s]\n", readv(fd, r, 3), a, b, c);
    printf("writev to stdout:\n");
    fflush(stdout);
    struct iovec o[2] = {{"line one\n", 9}, {"line two\n", 9}};
    printf("ret=%zd\n", writev(1, o, 2));
    close(fd);
    return 0;
}
