/* ls [-a] [-1] [PATH]...: names, sorted bytewise, one per line (no columns, no colors). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int all;

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int list(const char *path, int header)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "ls: %s: %s\n", path, strerror(errno));
        return 1;
    }
    if (!S_ISDIR(st.st_mode)) {
        puts(path);
        return 0;
    }
    DIR *d = opendir(path);
    if (!d) {
        fprintf(stderr, "ls: %s: %s\n", path, strerror(errno));
        return 1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.' && !all)
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            names = realloc(names, cap * sizeof *names);
        }
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp);
    if (header)
        printf("%s:\n", path);
    for (size_t i = 0; i < n; i++)
        puts(names[i]);
    return 0;
}

int main(int argc, char **argv)
{
    int opt, rc = 0;
    while ((opt = getopt(argc, argv, "a1")) != -1) {
        if (opt == 'a')
            all = 1;
        else if (opt != '1') {
            fprintf(stderr, "usage: ls [-a1] [path...]\n");
            return 2;
        }
    }
    if (optind >= argc)
        return list(".", 0);
    for (int i = optind; i < argc; i++)
        rc |= list(argv[i], argc - optind > 1);
    return rc;
}
