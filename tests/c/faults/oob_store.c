// A store far out of bounds (0xF0000000) dies with SIGSEGV (status 128+11); under wasm it is past linear memory.
// EXIT: 139
#include <stdio.h>

int main(void)
{
    printf("before wild store\n");
    fflush(stdout);
    *(volatile int *)0xF0000000u = 1;
    printf("not reached\n");
    return 0;
}
