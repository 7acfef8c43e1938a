/* head [-n N | -c N] [FILE]: the first N (default 10) lines, or the first N bytes. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    long n = 10;
    int opt, bytes = 0;
    while ((opt = getopt(argc, argv, "n:c:")) != -1) {
        if (opt != 'n' && opt != 'c') {
            fprintf(stderr, "usage: head [-n N | -c N] [file]\n");
            return 2;
        }
        bytes = opt == 'c';
        n = strtol(optarg, NULL, 10);
    }
    FILE *f = stdin;
    if (optind < argc && strcmp(argv[optind], "-") != 0) {
        f = fopen(argv[optind], "r");
        if (!f) {
            fprintf(stderr, "head: %s: %s\n", argv[optind], strerror(errno));
            return 1;
        }
    }
    int ch;
    while (n > 0 && (ch = getc(f)) != EOF) {
        putchar(ch);
        if (bytes || ch == '\n')
            n--;
    }
    return 0;
}
