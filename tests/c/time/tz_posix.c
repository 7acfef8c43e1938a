// localtime/mktime/strftime with a POSIX TZ rule string (no zoneinfo files needed): DST transitions in 2024.
// ENV: TZ=EST5EDT,M3.2.0,M11.1.0
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(void)
{
    tzset();
    time_t ts[] = {1704067200 /* 2024-01-01 00:00 UTC */, 1710054000 /* 2024-03-10 07:00 UTC */,
                   1710053999, 1720000000, 1730613600 /* 2024-11-03 06:00 UTC */, 1730609999};
    for (unsigned i = 0; i < sizeof ts / sizeof ts[0]; i++) {
        struct tm tm;
        localtime_r(&ts[i], &tm);
        char buf[64];
        strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S %Z %z", &tm);
        printf("%lld -> %s isdst=%d mktime back=%lld\n", (long long)ts[i], buf, tm.tm_isdst, (long long)mktime(&tm));
    }
    printf("tzname=%s/%s timezone=%ld daylight=%d\n", tzname[0], tzname[1], (long)timezone, daylight);
    return 0;
}
