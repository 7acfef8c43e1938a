// stdout to a pipe/file is fully buffered: write(1) overtakes unflushed printf output until fflush.
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
    /* musl line-buffers stdout until its first flush decides whether it is a tty: get past that point */
    printf("start\n");
    fflush(stdout);
    printf("A: printf, buffered\n");
    write(1, "B: write(1), direct\n", 20);
    puts("C: puts, buffered");
    fputs("D: fputs, buffered\n", stdout);
    fflush(stdout);
    write(1, "E: write after fflush\n", 22);
    printf("F: printf without newline...");
    write(1, "G: write\n", 9);
    printf(" F continued\n");
    fputc('H', stdout);
    putchar('\n');
    fflush(stdout);
    for (int i = 0; i < 2000; i++)
        printf("%04d%c", i, i % 16 == 15 ? '\n' : ' ');
    /* how much of those 10000 bytes was already flushed depends on the buffer size: flush before writing */
    fflush(stdout);
    write(1, "I: write after 10000 flushed bytes\n", 35);
    printf("J: last printf\n");
    return 0;
}
