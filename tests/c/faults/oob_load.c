// A load from a wild address (0xFFFFFF00) dies with SIGSEGV (status 128+11).
// EXIT: 139
#include <stdint.h>
#include <stdio.h>

int main(void)
{
    printf("before wild load\n");
    fflush(stdout);
    volatile int v = *(volatile int *)(uintptr_t)0xFFFFFF00u;
    printf("not reached %d\n", v);
    return 0;
}
