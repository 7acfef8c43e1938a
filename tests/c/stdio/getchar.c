// Reads all of stdin with getchar: counts bytes, lines, words, a checksum, and handles NUL/high bytes.
#include <ctype.h>
#include <stdio.h>

int main(void)
{
    long bytes = 0, lines = 0, words = 0, nul = 0, high = 0;
    unsigned long sum = 0;
    int in_word = 0, c;
    while ((c = getchar()) != EOF) {
        bytes++;
        sum = sum * 131 + (unsigned)c;
        if (c == '\n')
            lines++;
        if (c == 0)
            nul++;
        if (c >= 128)
            high++;
        if (isspace(c) || c == 0)
            in_word = 0;
        else if (!in_word) {
            in_word = 1;
            words++;
        }
    }
    printf("bytes=%ld lines=%ld words=%ld nul=%ld high=%ld sum=%lu\n", bytes, lines, words, nul, high, sum & 0xffffffffUL);
    printf("getchar after EOF=%d\n", getchar());
    return 0;
}
