// clock_getres for REALTIME/MONOTONIC succeeds with a resolution between 1 ns and 10 ms; bad clock gives EINVAL.
#include <errno.h>
#include <stdio.h>
#include <time.h>

static void res(const char *name, clockid_t c)
{
    struct timespec r = {-1, -1};
    int ret = clock_getres(c, &r);
    printf("%s: ret=%d sane=%d\n", name, ret, ret == 0 && r.tv_sec == 0 && r.tv_nsec >= 1 && r.tv_nsec <= 10000000);
}

int main(void)
{
    res("REALTIME", CLOCK_REALTIME);
    res("MONOTONIC", CLOCK_MONOTONIC);
    printf("NULL res ok=%d\n", clock_getres(CLOCK_MONOTONIC, NULL) == 0);
    struct timespec r;
    errno = 0;
    int ret = clock_getres((clockid_t)12345, &r);
    printf("bad clock ret=%d EINVAL=%d\n", ret, errno == EINVAL);
    errno = 0;
    ret = clock_gettime((clockid_t)12345, &r);
    printf("gettime bad clock ret=%d EINVAL=%d\n", ret, errno == EINVAL);
    return 0;
}
