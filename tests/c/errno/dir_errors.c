// Directory errors: mkdir existing (EEXIST), rmdir non-empty (ENOTEMPTY), unlink dir (EISDIR), rmdir file (ENOTDIR), rmdir ".".
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../common/errname.h"

int main(void)
{
    mkdir("d", 0755);
    close(open("d/f", O_CREAT | O_WRONLY, 0644));
    close(open("file", O_CREAT | O_WRONLY, 0644));
    SHOW("mkdir existing dir", mkdir("d", 0755));
    SHOW("mkdir existing file", mkdir("file", 0755));
    SHOW("mkdir under file", mkdir("file/sub", 0755));
    SHOW("rmdir non-empty", rmdir("d"));
    SHOW("unlink dir", unlink("d"));
    SHOW("rmdir file", rmdir("file"));
    SHOW("rmdir missing", rmdir("missing"));
    SHOW("rmdir .", rmdir("."));
    SHOW("rmdir d/.", rmdir("d/."));
    SHOW("unlink missing", unlink("missing"));
    SHOW("unlink d/f/x", unlink("d/f/x"));
    SHOW("link to dir", link("d", "dlink"));
    SHOW("link missing", link("missing", "x"));
    SHOW("symlink existing name", symlink("whatever", "file"));
    SHOW("chdir file", chdir("file"));
    SHOW("mkdir empty path", mkdir("", 0755));
    return 0;
}
