// setvbuf(stdout, _IONBF) before any output: printf and write(1) interleave in program order.
#include <stdio.h>
#include <unistd.h>

int main(void)
{
    int r = setvbuf(stdout, NULL, _IONBF, 0);
    printf("setvbuf _IONBF=%d\n", r);
    printf("1 unbuffered ");
    write(1, "[w1]", 4);
    printf("2\n");
    write(1, "[w2]\n", 5);
    putchar('x');
    write(1, "[w3]", 4);
    fputs("y\n", stdout);
    return 0;
}
