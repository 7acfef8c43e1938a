// A failing assert() prints to stderr and aborts: SIGABRT (status 134).
// EXIT: 134
#include <assert.h>
#include <stdio.h>

int main(void)
{
    volatile int x = 1;
    printf("asserting x == 2\n");
    fflush(stdout);
    assert(x == 2);
    printf("not reached\n");
    return 0;
}
