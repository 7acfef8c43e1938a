// CPU-time clocks: clock() and CLOCK_PROCESS_CPUTIME_ID advance with busy work and never go backwards.
#include <stdio.h>
#include <time.h>

int main(void)
{
    struct timespec a, b;
    int r1 = clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
    clock_t c0 = clock();
    volatile unsigned long x = 0;
    for (unsigned long i = 0; i < 50000000UL; i++)
        x += i ^ (x >> 3);
    clock_t c1 = clock();
    int r2 = clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
    long long d = (b.tv_sec - a.tv_sec) * 1000000000LL + (b.tv_nsec - a.tv_nsec);
    printf("process cputime ret=%d,%d advanced=%d\n", r1, r2, d > 0);
    printf("clock() valid=%d advanced=%d\n", c0 != (clock_t)-1, c1 > c0);
    printf("CLOCKS_PER_SEC=%ld\n", (long)CLOCKS_PER_SEC);
    return 0;
}
