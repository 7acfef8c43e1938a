// Symlinks created inside the root that point to "/etc", "../../..", or absolute host paths never lead outside (LIND-ONLY).
// LIND-ONLY
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/confine.h"

static void try_open_ok_either(const char *p)
{
    int fd = open(p, O_RDONLY);
    char buf[64] = {0};
    if (fd >= 0) {
        read(fd, buf, sizeof buf - 1);
        close(fd);
    }
    /* chroot semantics clamp ".." at the root (reaching /planted); refusing the link is fine too */
    printf("%s: %s\n", p, fd < 0 || strncmp(buf, "inside", 6) == 0 ? "not escaped" : "ESCAPED");
}

static void try_open(const char *p)
{
    int fd = open(p, O_RDONLY);
    if (fd >= 0) {
        char buf[64] = {0};
        read(fd, buf, sizeof buf - 1);
        /* the only file we planted says "inside" */
        printf("%s: %s\n", p, strncmp(buf, "inside", 6) == 0 ? "stayed inside" : "ESCAPED");
        close(fd);
    } else {
        fprintf(stderr, "%s: errno %d\n", p, errno);
        printf("%s: blocked\n", p);
    }
}

/* The guest has a /proc of its own: reaching it is no escape. Its environ is the cage's
   environment, which is empty here; the host's (lind's) would not be. */
static void try_own_proc(const char *p)
{
    int fd = open(p, O_RDONLY);
    char buf[64];
    ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf) : 0;
    if (fd >= 0)
        close(fd);
    printf("%s: %s\n", p, n == 0 ? "not escaped" : "ESCAPED");
}

int main(void)
{
    require_cage();
    printf("symlink etc -> /etc: %d\n", symlink("/etc", "etc_link"));
    printf("symlink up -> ../../..: %d\n", symlink("../../..", "up"));
    printf("symlink passwd -> /etc/passwd: %d\n", symlink("/etc/passwd", "passwd_link"));
    mkdir("d", 0755);
    printf("symlink d/deep -> ../../../../../../../..: %d\n", symlink("../../../../../../../..", "d/deep"));
    try_open("/etc_link/passwd");
    try_open("/etc_link/hostname");
    try_open("/up/etc/passwd");
    try_open("/passwd_link");
    try_open("/d/deep/etc/passwd");
    try_own_proc("/d/deep/proc/self/environ");
    /* a file planted at the root is what "/up/..." and "/d/deep/..." may legitimately reach */
    int fd = open("planted", O_CREAT | O_WRONLY, 0644);
    write(fd, "inside\n", 7);
    close(fd);
    try_open_ok_either("/up/planted");
    try_open_ok_either("/d/deep/planted");
    /* listing the escaping link must not show host directories */
    DIR *dir = opendir("/up");
    int host_like = 0;
    struct dirent *e;
    while (dir && (e = readdir(dir)))
        if (!strcmp(e->d_name, "etc") || !strcmp(e->d_name, "usr") || !strcmp(e->d_name, "proc"))
            host_like = 1;
    if (dir)
        closedir(dir);
    printf("listing /up shows host dirs: %d\n", host_like);
    struct stat st;
    printf("stat /etc_link/passwd: %s\n", stat("/etc_link/passwd", &st) == 0 ? "ESCAPED" : "blocked");
    return 0;
}
