// uname succeeds, sysname is "Linux", the other fields are NUL-terminated and nodename is non-empty.
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

int main(void)
{
    struct utsname u;
    memset(&u, 'X', sizeof u);
    int r = uname(&u);
    printf("uname=%d\n", r);
    printf("sysname=%s\n", u.sysname);
    printf("terminated: %d %d %d %d %d\n", memchr(u.nodename, 0, sizeof u.nodename) != NULL,
           memchr(u.release, 0, sizeof u.release) != NULL, memchr(u.version, 0, sizeof u.version) != NULL,
           memchr(u.machine, 0, sizeof u.machine) != NULL, memchr(u.sysname, 0, sizeof u.sysname) != NULL);
    printf("nodename nonempty=%d release nonempty=%d machine nonempty=%d\n", u.nodename[0] != 0, u.release[0] != 0,
           u.machine[0] != 0);
    return 0;
}
