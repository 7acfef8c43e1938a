// *at() calls relative to a directory fd: openat, fstatat, mkdirat, renameat, unlinkat, O_DIRECTORY checks.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../common/errname.h"

int main(void)
{
    mkdir("base", 0755);
    int d = open("base", O_RDONLY | O_DIRECTORY);
    printf("dirfd ok=%d\n", d >= 0);
    int f = openat(d, "inside", O_CREAT | O_WRONLY, 0644);
    ssize_t w = write(f, "xyz", 3);
    printf("openat create ok=%d write=%zd\n", f >= 0, w);
    close(f);
    struct stat st;
    int r = stat("base/inside", &st);
    printf("stat base/inside=%d size=%lld\n", r, (long long)st.st_size);
    r = fstatat(d, "inside", &st, 0);
    printf("fstatat=%d size=%lld\n", r, (long long)st.st_size);
    SHOW("mkdirat", mkdirat(d, "sub", 0755));
    SHOW("renameat", renameat(d, "inside", d, "sub/moved"));
    printf("base/sub/moved exists=%d\n", access("base/sub/moved", F_OK) == 0);
    SHOW("unlinkat file", unlinkat(d, "sub/moved", 0));
    SHOW("unlinkat dir without flag", unlinkat(d, "sub", 0));
    SHOW("unlinkat dir", unlinkat(d, "sub", AT_REMOVEDIR));
    SHOW("openat absolute ignores dirfd", openat(d, "/", O_RDONLY | O_DIRECTORY) >= 0);
    int file = open("plain", O_CREAT | O_RDWR, 0644);
    SHOW("openat with non-dir fd", openat(file, "x", O_RDONLY));
    SHOW("openat with bad fd", openat(999, "x", O_RDONLY));
    SHOW("O_DIRECTORY on file", open("plain", O_RDONLY | O_DIRECTORY));
    SHOW("fstatat AT_EMPTY_PATH", fstatat(file, "", &st, AT_EMPTY_PATH));
    close(d);
    return 0;
}
