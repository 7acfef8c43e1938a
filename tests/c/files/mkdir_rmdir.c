// mkdir/rmdir/unlink: create nested dirs, remove them, and observe ENOENT afterwards.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../common/errname.h"

static const char *kind(const char *p)
{
    struct stat st;
    if (lstat(p, &st) != 0)
        return errname(errno);
    return S_ISDIR(st.st_mode) ? "dir" : S_ISREG(st.st_mode) ? "file" : S_ISLNK(st.st_mode) ? "symlink" : "other";
}

int main(void)
{
    SHOW("mkdir a", mkdir("a", 0755));
    SHOW("mkdir a/b", mkdir("a/b", 0755));
    SHOW("mkdir a/b/c", mkdir("a/b/c", 0700));
    SHOW("mkdir trailing slash a/d/", mkdir("a/d/", 0755));
    printf("a=%s a/b/c=%s a/d=%s\n", kind("a"), kind("a/b/c"), kind("a/d"));
    int fd = open("a/b/file", O_CREAT | O_WRONLY, 0644);
    close(fd);
    printf("a/b/file=%s\n", kind("a/b/file"));
    SHOW("unlink a/b/file", unlink("a/b/file"));
    printf("a/b/file=%s\n", kind("a/b/file"));
    SHOW("rmdir a/b/c", rmdir("a/b/c"));
    SHOW("rmdir a/b/", rmdir("a/b/"));
    SHOW("rmdir a/d", rmdir("a/d"));
    SHOW("rmdir a", rmdir("a"));
    printf("a=%s\n", kind("a"));
    SHOW("rmdir a again", rmdir("a"));
    SHOW("mkdir missing parent", mkdir("x/y", 0755));
    SHOW("mkdirat", mkdirat(AT_FDCWD, "viaat", 0755));
    SHOW("unlinkat AT_REMOVEDIR", unlinkat(AT_FDCWD, "viaat", AT_REMOVEDIR));
    printf("viaat=%s\n", kind("viaat"));
    return 0;
}
