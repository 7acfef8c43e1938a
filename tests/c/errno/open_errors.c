// open() failures: ENOENT, EISDIR (dir for writing), ENOTDIR (file as path component), EEXIST, EINVAL flags.
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../common/errname.h"

int main(void)
{
    mkdir("dir", 0755);
    close(open("file", O_CREAT | O_WRONLY, 0644));
    SHOW("open missing", open("missing.txt", O_RDONLY));
    SHOW("open missing/deeper", open("missing/deeper", O_RDONLY));
    SHOW("open dir O_WRONLY", open("dir", O_WRONLY));
    SHOW("open dir O_RDWR", open("dir", O_RDWR));
    SHOW("open dir O_RDONLY ok", open("dir", O_RDONLY) >= 0);
    SHOW("open file/x", open("file/x", O_RDONLY));
    SHOW("open file/ (trailing slash)", open("file/", O_RDONLY));
    SHOW("creat file/x", open("file/x", O_CREAT | O_WRONLY, 0644));
    SHOW("open O_EXCL existing", open("file", O_CREAT | O_EXCL | O_WRONLY, 0644));
    SHOW("open O_EXCL dir", open("dir", O_CREAT | O_EXCL | O_RDONLY, 0644));
    SHOW("open O_CREAT on dir", open("dir", O_CREAT | O_WRONLY, 0644));
    SHOW("open empty path", open("", O_RDONLY));
    SHOW("O_DIRECTORY on file", open("file", O_RDONLY | O_DIRECTORY));
    return 0;
}
