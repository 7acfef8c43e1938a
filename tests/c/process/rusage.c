// getrusage(RUSAGE_SELF) and times() succeed; user CPU time is non-negative and grows with work.
#include <stdio.h>
#include <sys/resource.h>
#include <sys/times.h>
#include <unistd.h>

int main(void)
{
    struct rusage a, b;
    int r1 = getrusage(RUSAGE_SELF, &a);
    volatile unsigned long x = 0;
    for (unsigned long i = 0; i < 100000000UL; i++)
        x += i;
    int r2 = getrusage(RUSAGE_SELF, &b);
    long long ua = a.ru_utime.tv_sec * 1000000LL + a.ru_utime.tv_usec;
    long long ub = b.ru_utime.tv_sec * 1000000LL + b.ru_utime.tv_usec + b.ru_stime.tv_sec * 1000000LL + b.ru_stime.tv_usec;
    printf("getrusage=%d,%d nonneg=%d grew=%d\n", r1, r2, ua >= 0, ub > ua);
    struct tms t;
    clock_t c = times(&t);
    /* musl returns the raw syscall result, so -errno values mean failure too */
    printf("times ok=%d fields nonneg=%d\n", c != (clock_t)-1 && !((long)c < 0 && (long)c > -4096),
           t.tms_utime >= 0 && t.tms_stime >= 0 && t.tms_cutime >= 0 && t.tms_cstime >= 0);
    struct rusage ch;
    printf("RUSAGE_CHILDREN=%d\n", getrusage(RUSAGE_CHILDREN, &ch));
    return 0;
}
