// Integer division by zero with volatile operands dies with SIGFPE (status 128+8).
// EXIT: 136
#include <stdio.h>

int main(void)
{
    volatile int a = 42, b = 0;
    printf("before division\n");
    fflush(stdout);
    volatile int c = a / b;
    printf("not reached %d\n", c);
    return 0;
}
