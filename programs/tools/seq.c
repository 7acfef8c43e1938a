/* seq [FIRST [INCREMENT]] LAST: print integers, one per line. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    long first = 1, inc = 1, last;
    char *end;
    if (argc < 2 || argc > 4) {
        fprintf(stderr, "usage: seq [first [increment]] last\n");
        return 2;
    }
    long v[3];
    for (int i = 1; i < argc; i++) {
        v[i - 1] = strtol(argv[i], &end, 10);
        if (*argv[i] == 0 || *end) {
            fprintf(stderr, "seq: invalid number: %s\n", argv[i]);
            return 2;
        }
    }
    if (argc == 2) last = v[0];
    else if (argc == 3) first = v[0], last = v[1];
    else first = v[0], inc = v[1], last = v[2];
    if (inc == 0) {
        fprintf(stderr, "seq: zero increment\n");
        return 2;
    }
    for (long x = first; inc > 0 ? x <= last : x >= last; x += inc)
        printf("%ld\n", x);
    return 0;
}
