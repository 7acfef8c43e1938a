// O_APPEND: every write goes to the end even after lseek; reads still honour the offset.
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(void)
{
    int fd = open("log.txt", O_CREAT | O_WRONLY | O_TRUNC, 0644);
    write(fd, "first\n", 6);
    close(fd);
    fd = open("log.txt", O_RDWR | O_APPEND);
    printf("initial offset=%lld\n", (long long)lseek(fd, 0, SEEK_CUR));
    lseek(fd, 0, SEEK_SET);
    printf("write=%zd\n", write(fd, "second\n", 7));
    printf("offset after append=%lld\n", (long long)lseek(fd, 0, SEEK_CUR));
    lseek(fd, 2, SEEK_SET);
    char buf[32] = {0};
    printf("read at 2=%zd [%s]\n", read(fd, buf, 4), buf);
    write(fd, "third\n", 6);
    int fd2 = open("log.txt", O_WRONLY | O_APPEND);
    write(fd2, "fourth\n", 7);
    write(fd, "fifth\n", 6);
    close(fd2);
    close(fd);
    fd = open("log.txt", O_RDONLY);
    char all[128] = {0};
    ssize_t n = read(fd, all, sizeof all - 1);
    printf("content (%zd bytes):\n%s", n, all);
    close(fd);
    return 0;
}
