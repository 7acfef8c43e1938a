// Prints a greeting with printf and puts and exits 0.
#include <stdio.h>

int main(void)
{
    printf("hello, world\n");
    puts("hello from puts");
    return 0;
}
