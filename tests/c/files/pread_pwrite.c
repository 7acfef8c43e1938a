// pread/pwrite use explicit offsets and leave the file offset unchanged.
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
    int fd = open("p", O_CREAT | O_RDWR | O_TRUNC, 0644);
    write(fd, "abcdefghij", 10);
    lseek(fd, 3, SEEK_SET);
    ssize_t n = pwrite(fd, "XY", 2, 7);
    printf("pwrite=%zd offset=%lld\n", n, (long long)lseek(fd, 0, SEEK_CUR));
    char buf[16] = {0};
    n = pread(fd, buf, 5, 5);
    printf("pread=%zd [%s] offset=%lld\n", n, buf, (long long)lseek(fd, 0, SEEK_CUR));
    memset(buf, 0, sizeof buf);
    printf("read=%zd [%s]\n", read(fd, buf, 3), buf);
    printf("pwrite past end=%zd\n", pwrite(fd, "Z", 1, 20));
    memset(buf, '.', sizeof buf);
    n = pread(fd, buf, 16, 8);
    printf("pread tail=%zd:", n);
    for (int i = 0; i < n; i++)
        printf(" %02x", (unsigned char)buf[i]);
    printf("\n");
    printf("pread at 100=%zd\n", pread(fd, buf, 4, 100));
    printf("pread 64-bit offset=%zd\n", pread(fd, buf, 4, 1LL << 33));
    close(fd);
    return 0;
}
