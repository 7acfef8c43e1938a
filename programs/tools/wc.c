/* wc [-lwc] [FILE]...: count lines, words, bytes. Numbers are separated by one space
   (no column padding); a name follows when files are given, and a total for several. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int show_l, show_w, show_c;

static void print(long l, long w, long c, const char *name)
{
    const char *sep = "";
    if (show_l) { printf("%ld", l); sep = " "; }
    if (show_w) { printf("%s%ld", sep, w); sep = " "; }
    if (show_c) { printf("%s%ld", sep, c); }
    if (name)
        printf(" %s", name);
    putchar('\n');
}

static int count(FILE *f, long *l, long *w, long *c)
{
    int ch, inword = 0;
    *l = *w = *c = 0;
    while ((ch = getc(f)) != EOF) {
        (*c)++;
        if (ch == '\n')
            (*l)++;
        if (isspace(ch))
            inword = 0;
        else if (!inword) {
            inword = 1;
            (*w)++;
        }
    }
    return ferror(f) ? -1 : 0;
}

int main(int argc, char **argv)
{
    int opt;
    while ((opt = getopt(argc, argv, "lwc")) != -1) {
        switch (opt) {
        case 'l': show_l = 1; break;
        case 'w': show_w = 1; break;
        case 'c': show_c = 1; break;
        default: fprintf(stderr, "usage: wc [-lwc] [file...]\n"); return 2;
        }
    }
    if (!show_l && !show_w && !show_c)
        show_l = show_w = show_c = 1;
    long l, w, c, tl = 0, tw = 0, tc = 0;
    int rc = 0;
    if (optind >= argc) {
        if (count(stdin, &l, &w, &c) != 0)
            rc = 1;
        print(l, w, c, NULL);
        return rc;
    }
    for (int i = optind; i < argc; i++) {
        FILE *f = strcmp(argv[i], "-") == 0 ? stdin : fopen(argv[i], "r");
        if (!f) {
            fprintf(stderr, "wc: %s: %s\n", argv[i], strerror(errno));
            rc = 1;
            continue;
        }
        if (count(f, &l, &w, &c) != 0)
            rc = 1;
        if (f != stdin)
            fclose(f);
        print(l, w, c, argv[i]);
        tl += l, tw += w, tc += c;
    }
    if (argc - optind > 1)
        print(tl, tw, tc, "total");
    return rc;
}
