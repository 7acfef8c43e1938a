/* sleep SECONDS: seconds may have a fraction (0.1). */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: sleep seconds\n");
        return 2;
    }
    double s = strtod(argv[1], NULL);
    struct timespec ts = {(time_t)s, (long)((s - (time_t)s) * 1e9)};
    return nanosleep(&ts, NULL) == 0 ? 0 : 1;
}
