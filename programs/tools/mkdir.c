/* mkdir [-p] [-m MODE] DIR...: make directories (-p: parents too, no error if present). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int make(char *path, mode_t mode, int parents)
{
    if (parents) {
        for (char *p = path + 1; *p; p++) {
            if (*p != '/')
                continue;
            *p = 0;
            if (mkdir(path, 0777) != 0 && errno != EEXIST) {
                fprintf(stderr, "mkdir: %s: %s\n", path, strerror(errno));
                return 1;
            }
            *p = '/';
        }
    }
    if (mkdir(path, mode) != 0) {
        struct stat st;
        if (parents && errno == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
            return 0;
        fprintf(stderr, "mkdir: %s: %s\n", path, strerror(errno));
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    int opt, parents = 0, rc = 0;
    mode_t mode = 0777;
    while ((opt = getopt(argc, argv, "pm:")) != -1) {
        if (opt == 'p')
            parents = 1;
        else if (opt == 'm')
            mode = strtol(optarg, NULL, 8);
        else {
            fprintf(stderr, "usage: mkdir [-p] [-m mode] dir...\n");
            return 2;
        }
    }
    for (int i = optind; i < argc; i++)
        rc |= make(argv[i], mode, parents);
    return rc;
}
