// chdir("..") from "/" stays at "/", repeatedly and from a subdirectory; fchdir to the root fd too (LIND-ONLY).
// LIND-ONLY
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/confine.h"

static void cwd(const char *label)
{
    char buf[4096];
    printf("%s: %s\n", label, getcwd(buf, sizeof buf) ? buf : "(getcwd failed)");
}

int main(void)
{
    require_cage();
    cwd("start");
    mkdir("a", 0755);
    mkdir("a/b", 0755);
    printf("chdir(\"..\")=%d\n", chdir(".."));
    cwd("after ..");
    for (int i = 0; i < 20; i++)
        chdir("..");
    cwd("after 20 x ..");
    printf("chdir(\"/../../..\")=%d\n", chdir("/../../.."));
    cwd("after /../../..");
    printf("chdir(\"/a/b\")=%d\n", chdir("/a/b"));
    cwd("in /a/b");
    printf("chdir(\"../../../../..\")=%d\n", chdir("../../../../.."));
    cwd("after climbing");
    printf("a/b reachable relative to cwd: %d\n", access("a/b", F_OK) == 0);
    return 0;
}
