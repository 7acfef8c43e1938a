// access/faccessat: F_OK, R_OK, X_OK on 0755 vs 0644 files, missing files (uid-independent cases only).
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../common/errname.h"

int main(void)
{
    umask(0);
    close(open("rw", O_CREAT | O_WRONLY, 0644));
    close(open("rx", O_CREAT | O_WRONLY, 0755));
    mkdir("dir", 0755);
    SHOW("F_OK rw", access("rw", F_OK));
    SHOW("R_OK rw", access("rw", R_OK));
    SHOW("R_OK|W_OK rw", access("rw", R_OK | W_OK));
    SHOW("X_OK rw", access("rw", X_OK));
    SHOW("X_OK rx", access("rx", X_OK));
    SHOW("X_OK dir", access("dir", X_OK));
    SHOW("F_OK missing", access("missing", F_OK));
    SHOW("F_OK missing/x", access("missing/x", F_OK));
    SHOW("F_OK rw/x", access("rw/x", F_OK));
    SHOW("bad mode", access("rw", 0x100));
    SHOW("faccessat", faccessat(AT_FDCWD, "rx", X_OK, 0));
    symlink("missing", "dangling");
    SHOW("F_OK dangling", access("dangling", F_OK));
    return 0;
}
