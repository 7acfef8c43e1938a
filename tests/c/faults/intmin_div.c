// INT_MIN / -1 with volatile operands overflows: SIGFPE natively, an integer-overflow trap in wasm (status 136).
// EXIT: 136
#include <limits.h>
#include <stdio.h>

int main(void)
{
    volatile int a = INT_MIN, b = -1;
    printf("before INT_MIN / -1\n");
    fflush(stdout);
    volatile int c = a / b;
    printf("not reached %d\n", c);
    return 0;
}
