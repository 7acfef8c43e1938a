/* cmp [-s] FILE1 FILE2 ("-" is stdin): exit 0 when the files are byte for byte equal,
   1 when they differ (with "F1 F2 differ: byte N, line L" or "cmp: EOF on F after byte
   N" unless -s), 2 on trouble. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static FILE *open_arg(const char *name)
{
    if (strcmp(name, "-") == 0)
        return stdin;
    FILE *f = fopen(name, "rb");
    if (!f)
        perror(name);
    return f;
}

int main(int argc, char **argv)
{
    int opt, silent = 0;
    while ((opt = getopt(argc, argv, "s")) != -1) {
        if (opt == 's')
            silent = 1;
        else {
            fprintf(stderr, "usage: cmp [-s] file1 file2\n");
            return 2;
        }
    }
    if (argc - optind != 2) {
        fprintf(stderr, "usage: cmp [-s] file1 file2\n");
        return 2;
    }
    const char *n1 = argv[optind], *n2 = argv[optind + 1];
    FILE *a = open_arg(n1), *b = open_arg(n2);
    if (!a || !b)
        return 2;
    long byte = 0, line = 1;
    for (;;) {
        int c1 = getc(a), c2 = getc(b);
        if (c1 == EOF || c2 == EOF) {
            if (c1 == c2)
                return (ferror(a) || ferror(b)) ? 2 : 0;
            if (!silent)
                printf("cmp: EOF on %s after byte %ld\n", c1 == EOF ? n1 : n2, byte);
            return 1;
        }
        byte++;
        if (c1 != c2) {
            if (!silent)
                printf("%s %s differ: byte %ld, line %ld\n", n1, n2, byte, line);
            return 1;
        }
        if (c1 == '\n')
            line++;
    }
}
