// A 256 KiB local array and moderate recursion (1000 frames) work on the default stack.
#include <stdio.h>
#include <string.h>

static unsigned rec(int depth)
{
    volatile char pad[200];
    pad[0] = (char)depth;
    pad[199] = (char)(depth >> 1);
    if (depth == 0)
        return 1;
    return rec(depth - 1) + (unsigned char)pad[0] + (unsigned char)pad[199];
}

int main(void)
{
    volatile unsigned char big[256 << 10];
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (unsigned char)(i * 13);
    unsigned sum = 0;
    for (size_t i = 0; i < sizeof big; i++)
        sum += big[i];
    printf("big array sum=%u\n", sum);
    printf("recursion result=%u\n", rec(1000));
    return 0;
}
