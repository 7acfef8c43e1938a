// create/write/read, lseek SEEK_SET/CUR/END, and a write past EOF leaves a zero-filled hole.
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(void)
{
    int fd = open("data.txt", O_CREAT | O_RDWR, 0644);
    printf("open ok=%d\n", fd >= 0);
    printf("write=%zd\n", write(fd, "hello world\n", 12));
    printf("lseek cur=%lld\n", (long long)lseek(fd, 0, SEEK_CUR));
    printf("lseek set 6=%lld\n", (long long)lseek(fd, 6, SEEK_SET));
    char buf[64] = {0};
    printf("read=%zd [%.5s]\n", read(fd, buf, 5), buf);
    printf("lseek end=%lld\n", (long long)lseek(fd, 0, SEEK_END));
    printf("read at eof=%zd\n", read(fd, buf, sizeof buf));
    printf("lseek cur -6=%lld\n", (long long)lseek(fd, -6, SEEK_CUR));
    printf("lseek end+100=%lld\n", (long long)lseek(fd, 100, SEEK_END));
    printf("write after hole=%zd\n", write(fd, "END", 3));
    struct stat st;
    fstat(fd, &st);
    printf("size=%lld\n", (long long)st.st_size);
    lseek(fd, 0, SEEK_SET);
    char all[200];
    ssize_t n = read(fd, all, sizeof all);
    int zeros = 0;
    for (ssize_t i = 12; i < 112 && i < n; i++)
        zeros += all[i] == 0;
    printf("read all=%zd hole zeros=%d tail=[%.3s] head=[%.11s]\n", n, zeros, all + 112, all);
    printf("lseek beyond 4GiB=%lld\n", (long long)lseek(fd, 5000000000LL, SEEK_SET));
    printf("read there=%zd\n", read(fd, buf, 10));
    printf("close=%d\n", close(fd));
    return 0;
}
