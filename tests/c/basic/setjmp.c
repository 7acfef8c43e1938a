// setjmp/longjmp: returns the longjmp value, non-volatile state survives, nested jumps unwind frames.
#include <setjmp.h>
#include <stdio.h>

static jmp_buf env;
static int depth_reached;

static void dive(int depth)
{
    depth_reached = depth;
    if (depth == 10)
        longjmp(env, depth * 3);
    dive(depth + 1);
    printf("not reached\n");
}

int main(void)
{
    volatile int count = 0;
    int r = setjmp(env);
    printf("setjmp returned %d (count=%d)\n", r, count);
    count++;
    if (count == 1)
        longjmp(env, 0); /* 0 becomes 1 */
    if (count == 2)
        dive(0);
    printf("depth reached=%d final count=%d\n", depth_reached, count);
    return 0;
}
