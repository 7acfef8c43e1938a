// Bad file descriptors: read/write/close/fstat/lseek/dup/dup2 on invalid fds, write to O_RDONLY, read from O_WRONLY.
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../common/errname.h"

int main(void)
{
    char buf[8];
    struct stat st;
    SHOW("read fd 999", read(999, buf, 8));
    SHOW("read fd -1", read(-1, buf, 8));
    SHOW("write fd 999", write(999, "x", 1));
    SHOW("close -1", close(-1));
    SHOW("close 999", close(999));
    SHOW("fstat 999", fstat(999, &st));
    SHOW("lseek 999", lseek(999, 0, SEEK_SET));
    SHOW("dup 999", dup(999));
    SHOW("dup2 to -1", dup2(1, -1));
    SHOW("dup2 from 999", dup2(999, 5));
    SHOW("dup2 to huge", dup2(1, 1 << 30));
    SHOW("fcntl F_GETFD 999", fcntl(999, F_GETFD));
    close(open("f", O_CREAT | O_WRONLY, 0644));
    int r = open("f", O_RDONLY);
    SHOW("write to O_RDONLY fd", write(r, "x", 1));
    SHOW("ftruncate O_RDONLY fd", ftruncate(r, 0));
    int w = open("f", O_WRONLY);
    SHOW("read from O_WRONLY fd", read(w, buf, 1));
    int c = dup(r);
    close(c);
    SHOW("read after close", read(c, buf, 1));
    SHOW("close twice", close(c));
    int d = open(".", O_RDONLY | O_DIRECTORY);
    SHOW("read on directory", read(d, buf, 8));
    SHOW("write on directory fd", write(d, "x", 1));
    return 0;
}
