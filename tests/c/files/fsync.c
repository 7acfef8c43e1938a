// fsync/fdatasync/sync on files and dirs succeed; data written before fsync is readable via a second fd.
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int main(void)
{
    int fd = open("f", O_CREAT | O_RDWR | O_TRUNC, 0644);
    write(fd, "durable", 7);
    printf("fsync=%d\n", fsync(fd));
    printf("fdatasync=%d\n", fdatasync(fd));
    int dfd = open(".", O_RDONLY | O_DIRECTORY);
    printf("fsync dir=%d\n", fsync(dfd));
    sync();
    printf("sync returned\n");
    int r = open("f", O_RDONLY);
    char buf[16] = {0};
    printf("read=%zd [%s]\n", read(r, buf, sizeof buf - 1), buf);
    printf("fsync bad fd=%d\n", fsync(12345));
    int s = open("f", O_RDWR | O_SYNC);
    printf("O_SYNC open ok=%d write=%zd\n", s >= 0, write(s, "D", 1));
    return 0;
}
