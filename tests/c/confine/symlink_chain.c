// A chain of symlinks (a -> b -> c -> ../../../../etc) and a symlinked dir climbing out must not escape (LIND-ONLY).
// LIND-ONLY
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/confine.h"

static void try_open(const char *p)
{
    int fd = open(p, O_RDONLY);
    printf("%s: %s\n", p, fd >= 0 ? "ESCAPED" : "blocked");
    if (fd < 0)
        fprintf(stderr, "%s: errno %d\n", p, errno);
    else
        close(fd);
}

int main(void)
{
    require_cage();
    mkdir("x", 0755);
    mkdir("x/y", 0755);
    symlink("../../../../etc", "x/y/c");
    symlink("y/c", "x/b");
    symlink("/x/b", "a");
    try_open("/a/passwd");
    try_open("/a/hostname");
    symlink("..", "x/y/parent");
    try_open("/x/y/parent/parent/parent/parent/etc/passwd");
    symlink("/x/y/parent/parent/parent/parent", "top");
    try_open("/top/etc/passwd");
    rename("x", "moved");
    try_open("/moved/b/passwd");
    chdir("moved/y");
    try_open("parent/../../../etc/passwd");
    char buf[256];
    chdir("/");
    ssize_t n = readlink("a", buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    printf("readlink /a = %s\n", buf);
    printf("cwd usable: %d\n", access(".", F_OK) == 0);
    return 0;
}
