// Unbounded recursion with 4 KiB frames overflows the stack: SIGSEGV natively (status 139); under wasm the overflow must trap, not corrupt.
// EXIT: 139
#include <stdio.h>

static int recurse(int n)
{
    volatile char frame[4096];
    frame[0] = (char)n;
    frame[4095] = (char)(n >> 8);
    return recurse(n + 1) + frame[0] + frame[4095];
}

int main(void)
{
    printf("recursing forever\n");
    fflush(stdout);
    int r = recurse(0);
    printf("not reached %d\n", r);
    return 0;
}
