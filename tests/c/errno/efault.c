// EFAULT for NULL or unmapped pointers given to open/stat paths and read/write buffers (never a crash).
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../common/errname.h"

int main(void)
{
    /* 0xFFFFF000 is unmapped in a native x86-64 process and beyond a wasm32 cage's linear memory. */
    char *volatile nullp = NULL;
    char *volatile bad = (char *)(uintptr_t)0xFFFFF000u;
    struct stat st;
    int fd = open("f", O_CREAT | O_RDWR | O_TRUNC, 0644);
    write(fd, "0123456789", 10);
    lseek(fd, 0, SEEK_SET);
    SHOW("open(NULL)", open(nullp, O_RDONLY));
    SHOW("open(bad)", open(bad, O_RDONLY));
    SHOW("stat(NULL)", stat(nullp, &st));
    SHOW("stat(bad)", stat(bad, &st));
    SHOW("mkdir(bad)", mkdir(bad, 0755));
    SHOW("unlink(NULL)", unlink(nullp));
    SHOW("read into bad", read(fd, bad, 10));
    SHOW("write from bad", write(fd, bad, 10));
    SHOW("pread into bad", pread(fd, bad, 4, 0));
    SHOW("offset unchanged", lseek(fd, 0, SEEK_CUR));
    SHOW("write from bad to stdout", write(1, bad, 5));
    SHOW("read still works", read(fd, (char[16]){0}, 4));
    return 0;
}
