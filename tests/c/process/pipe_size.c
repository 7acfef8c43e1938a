// F_GETPIPE_SZ/F_SETPIPE_SZ (lighttpd sizes its pipes): 64 KiB by default, sizes rounded up to a power-of-two number of pages, a non-blocking writer fills exactly the new size, poll says writable again once it grows, EBUSY below what the pipe holds, EBADF on a file that is not a pipe.
#define _GNU_SOURCE /* F_SETPIPE_SZ, pipe2 in glibc */
#include "../common/errname.h"
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

static char buf[300000];

/* Bytes a non-blocking writer gets in with 4096-byte writes (as pipe_nonblock.c: page-sized
   writes, so Linux's page-slot accounting and a byte count agree). */
static long fill(int fd)
{
    long total = 0;
    ssize_t r;
    while ((r = write(fd, buf, 4096)) > 0)
        total += r;
    return total;
}

static int writable(int fd)
{
    struct pollfd p = {.fd = fd, .events = POLLOUT};
    return poll(&p, 1, 0) == 1 && (p.revents & POLLOUT);
}

int main(void)
{
    int p[2];
    if (pipe2(p, O_NONBLOCK) != 0)
        return 1;
    SHOW("F_GETPIPE_SZ default", fcntl(p[0], F_GETPIPE_SZ));
    SHOW("F_SETPIPE_SZ 1", fcntl(p[1], F_SETPIPE_SZ, 1));
    SHOW("F_GETPIPE_SZ on the other end", fcntl(p[0], F_GETPIPE_SZ));
    SHOW("F_SETPIPE_SZ 4097", fcntl(p[1], F_SETPIPE_SZ, 4097));
    SHOW("F_SETPIPE_SZ 12288", fcntl(p[0], F_SETPIPE_SZ, 12288));
    SHOW("F_SETPIPE_SZ 256 KiB", fcntl(p[0], F_SETPIPE_SZ, 256 * 1024));
    SHOW("F_SETPIPE_SZ 1 MiB", fcntl(p[0], F_SETPIPE_SZ, 1024 * 1024));

    SHOW("F_SETPIPE_SZ 8192", fcntl(p[1], F_SETPIPE_SZ, 8192));
    long n = fill(p[1]);
    int e = errno;
    printf("filled: %ld bytes, then %s\n", n, errname(e));
    printf("writable when full: %d\n", writable(p[1]));
    SHOW("shrink below the contents", fcntl(p[1], F_SETPIPE_SZ, 4096));
    SHOW("grow to 32 KiB", fcntl(p[1], F_SETPIPE_SZ, 32768));
    printf("writable after growing: %d\n", writable(p[1]));
    n = fill(p[1]);
    printf("filled again: %ld more bytes\n", n);
    ssize_t r = read(p[0], buf, sizeof buf);
    printf("read back %ld bytes\n", (long)r);

    int fd = open("plain", O_CREAT | O_RDWR | O_TRUNC, 0600);
    SHOW("F_GETPIPE_SZ on a regular file", fcntl(fd, F_GETPIPE_SZ));
    SHOW("F_SETPIPE_SZ on a regular file", fcntl(fd, F_SETPIPE_SZ, 4096));
    SHOW("F_GETPIPE_SZ on a closed fd", fcntl(99, F_GETPIPE_SZ));
    close(fd);
    unlink("plain");
    return 0;
}
