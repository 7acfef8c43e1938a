// Escaping the cage root with ".." paths fails: ../../../../etc/passwd, /../etc/passwd, /proc paths (LIND-ONLY).
// LIND-ONLY
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/confine.h"

static void try_open(const char *p)
{
    int fd = open(p, O_RDONLY);
    if (fd >= 0) {
        printf("%s: ESCAPED (opened)\n", p);
        close(fd);
    } else {
        fprintf(stderr, "%s: errno %d\n", p, errno);
        printf("%s: blocked\n", p);
    }
}

static void try_stat(const char *p)
{
    struct stat st;
    if (stat(p, &st) == 0)
        printf("stat %s: ESCAPED (exists)\n", p);
    else
        printf("stat %s: blocked\n", p);
}

int main(void)
{
    require_cage();
    try_open("../../../../etc/passwd");
    try_open("/../../../../etc/passwd");
    try_open("/etc/passwd");
    try_open("/etc/hostname");
    try_open("./../etc/hostname");
    try_open("/proc/self/root/etc/passwd");
    try_open("/proc/1/root/etc/passwd");
    try_stat("/etc/shadow"); /* /etc itself is lind's in-memory overlay */
    try_stat("/usr/bin");
    try_stat("../../../../bin/sh");
    mkdir("sub", 0755);
    try_open("/sub/../../etc/passwd");
    try_open("/sub/../../../../../../../../../../etc/passwd");
    /* ".." of the root is the root: both have the same inode */
    struct stat a, b;
    stat("/", &a);
    stat("/..", &b);
    printf("/.. is / : %d\n", a.st_ino == b.st_ino && a.st_dev == b.st_dev);
    stat("/sub/../..", &b);
    printf("/sub/../.. is / : %d\n", a.st_ino == b.st_ino && a.st_dev == b.st_dev);
    int d = open("/", O_RDONLY | O_DIRECTORY);
    int fd = openat(d, "../../etc/passwd", O_RDONLY);
    printf("openat(rootfd, ../../etc/passwd): %s\n", fd >= 0 ? "ESCAPED" : "blocked");
    return 0;
}
