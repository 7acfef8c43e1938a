// setrlimit(RLIMIT_NOFILE) to 32 then open until EMFILE: the 32-fd table fills exactly; raising it again works.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>
#include "../common/errname.h"

int main(void)
{
    struct rlimit orig, rl;
    getrlimit(RLIMIT_NOFILE, &orig);
    rl.rlim_cur = 32;
    rl.rlim_max = orig.rlim_max;
    printf("setrlimit=%d\n", setrlimit(RLIMIT_NOFILE, &rl));
    getrlimit(RLIMIT_NOFILE, &rl);
    printf("soft now=%ld\n", (long)rl.rlim_cur);
    close(open("f", O_CREAT | O_WRONLY, 0644));
    int opened = 0, last = -1, err = 0;
    for (int i = 0; i < 100; i++) {
        int fd = open("f", O_RDONLY);
        if (fd < 0) {
            err = errno;
            break;
        }
        last = fd;
        opened++;
    }
    printf("opened=%d highest fd=%d stop errno=%s\n", opened, last, errname(err));
    errno = 0;
    int r = dup(0);
    printf("dup at limit=%d %s\n", r, errname(errno));
    errno = 0;
    r = dup2(0, 32);
    printf("dup2 to fd 32 (== limit)=%d %s\n", r, errname(errno));
    errno = 0;
    r = fcntl(0, F_DUPFD, 40);
    printf("F_DUPFD 40=%d %s\n", r, errname(errno));
    close(last);
    int fd = open("f", O_RDONLY);
    printf("after close, open gets the freed fd=%d\n", fd == last);
    rl.rlim_cur = 64;
    r = setrlimit(RLIMIT_NOFILE, &rl);
    printf("raise soft limit=%d\n", r);
    fd = open("f", O_RDONLY);
    printf("open after raise=%d\n", fd);
    rl.rlim_cur = rl.rlim_max + 1;
    errno = 0;
    r = setrlimit(RLIMIT_NOFILE, &rl);
    printf("soft above hard=%d %s\n", r, errname(errno));
    return 0;
}
