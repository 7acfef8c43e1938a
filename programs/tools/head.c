/* head [-n N] [FILE]: the first N (default 10) lines. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    long n = 10;
    int opt;
    while ((opt = getopt(argc, argv, "n:")) != -1) {
        if (opt != 'n') {
            fprintf(stderr, "usage: head [-n N] [file]\n");
            return 2;
        }
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
        if (ch == '\n')
            n--;
    }
    return 0;
}
