// getpid/getppid/getuid/geteuid/getgid/getegid/getpgrp/getsid are consistent (booleans, never raw ids).
#include <stdio.h>
#include <unistd.h>

int main(void)
{
    pid_t p = getpid();
    printf("getpid>0=%d stable=%d\n", p > 0, getpid() == p);
    printf("getppid>=0=%d differs from pid=%d\n", getppid() >= 0, getppid() != p);
    printf("uid==euid=%d gid==egid=%d\n", getuid() == geteuid(), getgid() == getegid());
    // A session led from outside our pid namespace reads as 0 natively, so
    // only sign and self-consistency are portable.
    printf("getpgrp>0=%d getsid>=0=%d getsid(0)==getsid(self)=%d\n", getpgrp() > 0, getsid(0) >= 0,
           getsid(0) == getsid(getpid()));
    gid_t groups[64];
    int n = getgroups(64, groups);
    printf("getgroups>=0=%d\n", n >= 0);
    return 0;
}
