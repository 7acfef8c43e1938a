// setvbuf(stdout, _IOLBF) before any output: output is flushed at each newline, not before.
#include <stdio.h>
#include <unistd.h>

int main(void)
{
    int r = setvbuf(stdout, NULL, _IOLBF, 0);
    printf("setvbuf _IOLBF=%d\n", r);
    printf("1 partial ");
    write(1, "[w1]", 4);
    printf("2 end\n");
    write(1, "[w2]\n", 5);
    printf("3 a\n4 b ");
    write(1, "[w3]\n", 5);
    printf("c\n");
    return 0;
}
