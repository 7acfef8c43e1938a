// ENAMETOOLONG for a 300-character component and a 5000-character path (open, mkdir, stat, chdir).
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <fcntl.h>
#include "../common/errname.h"

int main(void)
{
    char comp[301];
    memset(comp, 'n', 300);
    comp[300] = 0;
    struct stat st;
    SHOW("open 300-char name", open(comp, O_RDONLY));
    SHOW("creat 300-char name", open(comp, O_CREAT | O_WRONLY, 0644));
    SHOW("mkdir 300-char name", mkdir(comp, 0755));
    SHOW("stat 300-char name", stat(comp, &st));
    char ok[256];
    memset(ok, 'k', 255);
    ok[255] = 0;
    SHOW("creat 255-char name works", open(ok, O_CREAT | O_WRONLY, 0644) >= 0);
    SHOW("unlink 255-char name", unlink(ok));
    static char path[5001];
    for (int i = 0; i < 5000; i++)
        path[i] = (i % 10 == 9) ? '/' : 'p';
    path[5000] = 0;
    SHOW("open 5000-char path", open(path, O_RDONLY));
    SHOW("mkdir 5000-char path", mkdir(path, 0755));
    SHOW("stat 5000-char path", stat(path, &st));
    SHOW("chdir 5000-char path", chdir(path));
    SHOW("access 5000-char path", access(path, F_OK));
    static char slashes[5001];
    memset(slashes, '/', 5000);
    slashes[0] = '.';
    SHOW("open ./////... 5000", open(slashes, O_RDONLY));
    return 0;
}
