// gmtime/strftime/timegm of fixed time_t values (no time zone dependence).
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <time.h>

int main(void)
{
    time_t ts[] = {0, 1234567890, 951782400 /* 2000-02-29 */, 2147483647, 2147483648LL, 4102444800LL, -86400};
    for (unsigned i = 0; i < sizeof ts / sizeof ts[0]; i++) {
        struct tm tm;
        if (!gmtime_r(&ts[i], &tm)) {
            printf("%lld: gmtime failed\n", (long long)ts[i]);
            continue;
        }
        char buf[128];
        strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S %a %A %b %B %j %u %w %y %e %%", &tm);
        printf("%lld: %s yday=%d wday=%d\n", (long long)ts[i], buf, tm.tm_yday, tm.tm_wday);
        printf("  roundtrip timegm=%lld\n", (long long)timegm(&tm));
    }
    struct tm t = {0};
    t.tm_year = 124; t.tm_mon = 0; t.tm_mday = 31 + 29; /* Jan 60 -> normalised */
    t.tm_hour = 25;
    time_t n = timegm(&t);
    char buf[64];
    strftime(buf, sizeof buf, "%F %T", &t);
    printf("normalised: %lld %s\n", (long long)n, buf);
    struct tm tm2 = {0};
    tm2.tm_year = 99; tm2.tm_mon = 11; tm2.tm_mday = 31; tm2.tm_hour = 23; tm2.tm_min = 59; tm2.tm_sec = 59;
    printf("asctime-like: %s", asctime(&tm2));
    size_t r = strftime(buf, 4, "%Y-%m-%d", &tm2);
    printf("strftime too small returns 0: %d\n", r == 0);
    return 0;
}
