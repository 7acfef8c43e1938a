// time(), gettimeofday and CLOCK_REALTIME agree within 2 s and are after 2020; usleep/sleep(0) return 0.
#include <stdio.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
    time_t t0;
    time_t t = time(&t0);
    struct timeval tv;
    int g = gettimeofday(&tv, NULL);
    struct timespec ts;
    int c = clock_gettime(CLOCK_REALTIME, &ts);
    printf("time stores result=%d\n", t == t0);
    printf("gettimeofday=%d clock_gettime=%d\n", g, c);
    printf("after 2020=%d\n", t > 1577836800);
    long long d1 = (long long)tv.tv_sec - t, d2 = (long long)ts.tv_sec - t;
    printf("close: %d %d\n", d1 >= -2 && d1 <= 2, d2 >= -2 && d2 <= 2);
    printf("usec in range=%d\n", tv.tv_usec >= 0 && tv.tv_usec < 1000000);
    printf("time(NULL) ok=%d\n", time(NULL) >= t);
    printf("usleep=%d sleep(0)=%u\n", usleep(1000), sleep(0));
    return 0;
}
