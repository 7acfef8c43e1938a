// Under lind the initial cwd is the cage root "/" and the root starts empty (LIND-ONLY).
// LIND-ONLY
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
    char cwd[256];
    printf("getcwd=%s\n", getcwd(cwd, sizeof cwd) ? cwd : "(failed)");
    DIR *d = opendir("/");
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            n++;
    printf("root entries=%d\n", n);
    return 0;
}
