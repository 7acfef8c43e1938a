// __builtin_trap() kills the program with SIGILL (status 128+4); output flushed before it survives.
// EXIT: 132
#include <stdio.h>

int main(void)
{
    printf("before trap\n");
    fflush(stdout);
    __builtin_trap();
    printf("not reached\n");
    return 0;
}
