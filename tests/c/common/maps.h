/* Reads /proc/self/maps whole into maps_buf (NUL-terminated), for tests
   that look up the line of a mapping. */
#ifndef LIND_TEST_MAPS_H
#define LIND_TEST_MAPS_H
#include <fcntl.h>
#include <unistd.h>

static char maps_buf[1 << 16];

static void load_maps(void)
{
    int fd = open("/proc/self/maps", O_RDONLY);
    size_t got = 0;
    ssize_t n;
    while (fd >= 0 && got < sizeof maps_buf - 1 &&
           (n = read(fd, maps_buf + got, sizeof maps_buf - 1 - got)) > 0)
        got += (size_t)n;
    if (fd >= 0)
        close(fd);
    maps_buf[got] = 0;
}
#endif
