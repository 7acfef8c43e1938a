/* rm [-f] [-r] FILE...: remove files (and directories with -r). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int force, recursive;

static int rm(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0) {
        if (force && errno == ENOENT)
            return 0;
        fprintf(stderr, "rm: %s: %s\n", path, strerror(errno));
        return 1;
    }
    if (S_ISDIR(st.st_mode)) {
        if (!recursive) {
            fprintf(stderr, "rm: %s: is a directory\n", path);
            return 1;
        }
        DIR *d = opendir(path);
        if (!d) {
            fprintf(stderr, "rm: %s: %s\n", path, strerror(errno));
            return 1;
        }
        int rc = 0;
        struct dirent *e;
        while ((e = readdir(d))) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            char *sub = malloc(strlen(path) + strlen(e->d_name) + 2);
            sprintf(sub, "%s/%s", path, e->d_name);
            rc |= rm(sub);
            free(sub);
        }
        closedir(d);
        if (rmdir(path) != 0) {
            fprintf(stderr, "rm: %s: %s\n", path, strerror(errno));
            return 1;
        }
        return rc;
    }
    if (unlink(path) != 0) {
        fprintf(stderr, "rm: %s: %s\n", path, strerror(errno));
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    int opt, rc = 0;
    while ((opt = getopt(argc, argv, "frR")) != -1) {
        if (opt == 'f')
            force = 1;
        else if (opt == 'r' || opt == 'R')
            recursive = 1;
        else {
            fprintf(stderr, "usage: rm [-fr] file...\n");
            return 2;
        }
    }
    for (int i = optind; i < argc; i++)
        rc |= rm(argv[i]);
    return rc;
}
