// exit(3) after buffered output: stdout is flushed and the status is 3.
#include <stdio.h>
#include <stdlib.h>

static void helper(void)
{
    printf("about to exit(3)\n");
    exit(3);
}

int main(void)
{
    printf("start\n");
    helper();
    printf("not reached\n");
    return 0;
}
