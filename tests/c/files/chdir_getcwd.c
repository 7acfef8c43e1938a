// chdir into created dirs, getcwd ends with their names, relative paths follow, fchdir and chdir("..").
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int ends_with(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcmp(s + a - b, suf) == 0;
}

int main(void)
{
    char start[4096], cwd[4096];
    getcwd(start, sizeof start);
    printf("start is absolute=%d\n", start[0] == '/');
    mkdir("outer", 0755);
    mkdir("outer/inner", 0755);
    printf("chdir outer=%d\n", chdir("outer"));
    getcwd(cwd, sizeof cwd);
    printf("ends with /outer=%d len grew by %zu\n", ends_with(cwd, "/outer"), strlen(cwd) - (strcmp(start, "/") ? strlen(start) : 0));
    int fd = open("here.txt", O_CREAT | O_WRONLY, 0644);
    close(fd);
    printf("chdir inner=%d\n", chdir("inner"));
    getcwd(cwd, sizeof cwd);
    printf("ends with /outer/inner=%d\n", ends_with(cwd, "/outer/inner"));
    printf("../here.txt visible=%d\n", access("../here.txt", F_OK) == 0);
    printf("chdir ../..=%d\n", chdir("../.."));
    getcwd(cwd, sizeof cwd);
    printf("back at start=%d\n", strcmp(cwd, start) == 0);
    printf("outer/here.txt visible=%d\n", access("outer/here.txt", F_OK) == 0);
    int dfd = open("outer/inner", O_RDONLY | O_DIRECTORY);
    printf("fchdir=%d\n", fchdir(dfd));
    getcwd(cwd, sizeof cwd);
    printf("ends with /inner=%d\n", ends_with(cwd, "/outer/inner"));
    close(dfd);
    printf("chdir abs start=%d\n", chdir(start));
    printf("chdir file fails=%d\n", chdir("outer/here.txt") == -1);
    printf("chdir missing fails=%d\n", chdir("missing") == -1);
    char *p = getcwd(NULL, 0);
    printf("getcwd(NULL,0) allocates: %d same=%d\n", p != NULL, p && strcmp(p, start) == 0);
    symlink("outer/inner", "shortcut");
    chdir("shortcut");
    getcwd(cwd, sizeof cwd);
    printf("via symlink, getcwd resolves to /outer/inner=%d\n", ends_with(cwd, "/outer/inner"));
    /* ".." is the physical parent (outer), not the directory holding the symlink */
    chdir("..");
    getcwd(cwd, sizeof cwd);
    printf("then .. is /outer=%d\n", ends_with(cwd, "/outer"));
    printf("here.txt visible there=%d\n", access("here.txt", F_OK) == 0);
    return 0;
}
