/* sort [-r] [-n] [-u] [FILE]...: sort lines (byte order, or numerically with -n). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int numeric, reverse;

static int cmp(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    int r;
    if (numeric) {
        double dx = strtod(x, NULL), dy = strtod(y, NULL);
        r = dx < dy ? -1 : dx > dy ? 1 : strcmp(x, y);
    } else {
        r = strcmp(x, y);
    }
    return reverse ? -r : r;
}

static char **lines;
static size_t count, cap;

static int slurp(FILE *f)
{
    char *line = NULL;
    size_t sz = 0;
    ssize_t n;
    while ((n = getline(&line, &sz, f)) >= 0) {
        if (n > 0 && line[n - 1] == '\n')
            line[n - 1] = 0;
        if (count == cap) {
            cap = cap ? 2 * cap : 256;
            lines = realloc(lines, cap * sizeof *lines);
        }
        lines[count++] = strdup(line);
    }
    free(line);
    return ferror(f) ? 1 : 0;
}

int main(int argc, char **argv)
{
    int opt, unique = 0, rc = 0;
    while ((opt = getopt(argc, argv, "rnu")) != -1) {
        switch (opt) {
        case 'r': reverse = 1; break;
        case 'n': numeric = 1; break;
        case 'u': unique = 1; break;
        default: fprintf(stderr, "usage: sort [-rnu] [file...]\n"); return 2;
        }
    }
    if (optind >= argc)
        rc |= slurp(stdin);
    for (int i = optind; i < argc; i++) {
        FILE *f = strcmp(argv[i], "-") == 0 ? stdin : fopen(argv[i], "r");
        if (!f) {
            fprintf(stderr, "sort: %s: %s\n", argv[i], strerror(errno));
            return 2;
        }
        rc |= slurp(f);
        if (f != stdin)
            fclose(f);
    }
    qsort(lines, count, sizeof *lines, cmp);
    for (size_t i = 0; i < count; i++) {
        if (unique && i > 0 && cmp(&lines[i - 1], &lines[i]) == 0)
            continue;
        puts(lines[i]);
    }
    return rc;
}
