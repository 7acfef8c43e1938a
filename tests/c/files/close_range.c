// close_range(2): closes a range (up to ~0U), or marks it close-on-exec with CLOSE_RANGE_CLOEXEC;
// descriptors outside stay; a pipe's writer closed this way gives its reader EOF; first > last and
// unknown flags are EINVAL.
#define _GNU_SOURCE
#include "../common/errname.h"
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

static long cr(unsigned first, unsigned last, unsigned flags)
{
    return syscall(SYS_close_range, first, last, flags);
}

static void show_open(const char *when, int from, int to)
{
    printf("%s:", when);
    for (int fd = from; fd <= to; fd++) {
        int fl = fcntl(fd, F_GETFD);
        printf(" %d%s", fd, fl < 0 ? "-" : (fl & FD_CLOEXEC) ? "c" : "o");
    }
    printf("\n");
}

int main(void)
{
    int fds[8];
    for (int i = 0; i < 8; i++) fds[i] = open("/dev/null", O_RDONLY); /* 3..10 */
    show_open("opened", 3, 10);
    SHOW("cloexec 5..6", cr(5, 6, CLOSE_RANGE_CLOEXEC));
    show_open("after", 3, 10);
    SHOW("close 4..5", cr(4, 5, 0));
    show_open("after", 3, 10);
    SHOW("first > last", cr(9, 8, 0));
    SHOW("unknown flag", cr(3, 4, 1U << 8));
    int p[2];
    pipe(p); /* lowest free: 4 and 5 */
    printf("pipe got %d %d\n", p[0], p[1]);
    SHOW("close the writer with a range", cr(p[1], p[1], 0));
    char c;
    SHOW("reader sees EOF", read(p[0], &c, 1));
    SHOW("close 7..~0U", cr(7, ~0U, 0));
    show_open("after", 3, 12);
    SHOW("an empty range far away", cr(1000, 2000, 0));
    return 0;
}
