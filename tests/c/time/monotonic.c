// CLOCK_MONOTONIC never goes backwards and nanosleep(20 ms) advances it by at least 20 ms (booleans only).
#include <stdio.h>
#include <time.h>

static long long ns(clockid_t c)
{
    struct timespec t;
    clock_gettime(c, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

int main(void)
{
    long long prev = ns(CLOCK_MONOTONIC);
    int nondecreasing = 1;
    for (int i = 0; i < 10000; i++) {
        long long now = ns(CLOCK_MONOTONIC);
        if (now < prev)
            nondecreasing = 0;
        prev = now;
    }
    printf("monotonic non-decreasing=%d\n", nondecreasing);
    struct timespec t;
    int cr = clock_gettime(CLOCK_MONOTONIC, &t);
    printf("clock_gettime ret=%d nsec in range=%d\n", cr, t.tv_nsec >= 0 && t.tv_nsec < 1000000000);
    long long before = ns(CLOCK_MONOTONIC);
    struct timespec req = {0, 20 * 1000 * 1000}, rem = {5, 5};
    int r = nanosleep(&req, &rem);
    long long after = ns(CLOCK_MONOTONIC);
    printf("nanosleep ret=%d\n", r);
    printf("advanced >= 20ms=%d\n", after - before >= 20000000LL);
    printf("advanced < 10s=%d\n", after - before < 10000000000LL);
    before = ns(CLOCK_MONOTONIC);
    struct timespec abs;
    clock_gettime(CLOCK_MONOTONIC, &abs);
    abs.tv_nsec += 30 * 1000 * 1000;
    if (abs.tv_nsec >= 1000000000) {
        abs.tv_sec++;
        abs.tv_nsec -= 1000000000;
    }
    r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, NULL);
    after = ns(CLOCK_MONOTONIC);
    printf("clock_nanosleep abs ret=%d advanced >= 30ms=%d\n", r, after - before >= 30000000LL);
    struct timespec bad = {0, 1000000000};
    printf("nanosleep bad nsec=%d\n", nanosleep(&bad, NULL));
    long long b2 = ns(CLOCK_MONOTONIC);
    struct timespec zero = {0, 0};
    r = nanosleep(&zero, NULL);
    printf("nanosleep 0=%d quick=%d\n", r, ns(CLOCK_MONOTONIC) - b2 < 1000000000LL);
    return 0;
}
