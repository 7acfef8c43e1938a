// EINVAL/ERANGE odds and ends: fcntl bad cmd, getcwd size 1 (ERANGE) and 0 (EINVAL), readlink on a non-link.
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../common/errname.h"

int main(void)
{
    int fd = open("f", O_CREAT | O_RDWR, 0644);
    SHOW("fcntl cmd 9999", fcntl(fd, 9999));
    SHOW("fcntl F_DUPFD -1", fcntl(fd, F_DUPFD, -1));
    char buf[64];
    SHOW("getcwd size 1 (NULL?)", getcwd(buf, 1) == NULL ? -1 : 0);
    SHOW("getcwd size 0", getcwd(buf, 0) == NULL ? -1 : 0);
    SHOW("readlink regular file", readlink("f", buf, sizeof buf));
    mkdir("d", 0755);
    SHOW("readlink dir", readlink("d", buf, sizeof buf));
    SHOW("readlink missing", readlink("missing", buf, sizeof buf));
    SHOW("dup3 same fd", dup3(fd, fd, 0));
    SHOW("chmod empty path", chmod("", 0644));
    return 0;
}
