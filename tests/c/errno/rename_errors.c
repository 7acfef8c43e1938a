// rename errors: a dir into itself (EINVAL), dir over non-empty dir, file over dir (EISDIR), dir over file (ENOTDIR).
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../common/errname.h"

int main(void)
{
    mkdir("a", 0755);
    mkdir("a/b", 0755);
    mkdir("full", 0755);
    close(open("full/x", O_CREAT | O_WRONLY, 0644));
    close(open("file", O_CREAT | O_WRONLY, 0644));
    SHOW("rename a -> a/b/c", rename("a", "a/b/c"));
    SHOW("rename a -> a/inside", rename("a", "a/inside"));
    SHOW("rename a -> full (non-empty)", rename("a", "full"));
    SHOW("rename file -> a (dir)", rename("file", "a"));
    SHOW("rename a -> file", rename("a", "file"));
    SHOW("rename missing", rename("missing", "y"));
    SHOW("rename to missing dir", rename("file", "nodir/y"));
    SHOW("rename . ", rename(".", "dot"));
    SHOW("rename file -> file/x", rename("file", "file/x"));
    SHOW("rename a/b -> a (ancestor)", rename("a/b", "a"));
    return 0;
}
