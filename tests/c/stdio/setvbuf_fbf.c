// setvbuf(stdout, NULL, _IOFBF, 0) before any output: short output stays buffered until fflush.
#include <stdio.h>
#include <unistd.h>

int main(void)
{
    int r = setvbuf(stdout, NULL, _IOFBF, 0);
    printf("setvbuf _IOFBF=%d\n", r);
    printf("line one\n");
    printf("line two\n");
    write(1, "[w1 overtakes the buffered lines]\n", 34);
    fflush(stdout);
    write(1, "[w2 after fflush]\n", 18);
    printf("tail\n");
    return 0;
}
