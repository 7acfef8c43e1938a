// getrlimit(RLIMIT_NOFILE) soft >= 256 and soft <= hard; RLIMIT_STACK is positive; bad resource gives EINVAL.
#include <errno.h>
#include <stdio.h>
#include <sys/resource.h>

int main(void)
{
    struct rlimit rl;
    int r = getrlimit(RLIMIT_NOFILE, &rl);
    printf("getrlimit NOFILE=%d soft>=256=%d soft<=hard=%d\n", r, rl.rlim_cur >= 256, rl.rlim_cur <= rl.rlim_max);
    r = getrlimit(RLIMIT_STACK, &rl);
    printf("getrlimit STACK=%d soft>0=%d\n", r, rl.rlim_cur > 0);
    errno = 0;
    r = getrlimit(9999, &rl);
    printf("bad resource ret=%d EINVAL=%d\n", r, errno == EINVAL);
    return 0;
}
