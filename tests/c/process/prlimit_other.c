// prlimit on another process: a parent (root) reads and sets its child's limits, the child sees them;
// a process with other ids may not touch them (EPERM); a pid nobody has is ESRCH.
#define _GNU_SOURCE
#include "../common/errname.h"
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    int go[2], done[2];
    pipe(go);
    pipe(done);
    pid_t child = fork();
    if (child == 0) {
        char c;
        read(go[0], &c, 1);
        struct rlimit lim;
        getrlimit(RLIMIT_NOFILE, &lim);
        write(done[1], "x", 1);
        _exit(lim.rlim_cur == 40 && lim.rlim_max == 80 ? 0 : 1);
    }
    if (getuid() != 0) {
        printf("needs root\n");
        return 1;
    }
    struct rlimit set = {40, 80}, old;
    SHOW("set the child's NOFILE", prlimit(child, RLIMIT_NOFILE, &set, NULL));
    SHOW("read it back", prlimit(child, RLIMIT_NOFILE, NULL, &old));
    printf("read %llu/%llu\n", (unsigned long long)old.rlim_cur, (unsigned long long)old.rlim_max);
    struct rlimit bad = {90, 80};
    SHOW("soft above hard", prlimit(child, RLIMIT_NOFILE, &bad, NULL));
    struct rlimit mine;
    getrlimit(RLIMIT_NOFILE, &mine);
    printf("the parent's own limit is untouched: %d\n", mine.rlim_cur != 40);
    write(go[1], "x", 1);
    char c;
    read(done[0], &c, 1);
    int status;
    waitpid(child, &status, 0);
    printf("the child sees 40/80: %d\n", WIFEXITED(status) && WEXITSTATUS(status) == 0);
    SHOW("a reaped child", prlimit(child, RLIMIT_NOFILE, NULL, &old));

    /* A process that gave up root may not read or change the parent's limits. */
    pid_t parent = getpid();
    fflush(stdout);
    pid_t user = fork();
    if (user == 0) {
        setgid(1234);
        setuid(1234);
        struct rlimit r;
        int rd = prlimit(parent, RLIMIT_NOFILE, NULL, &r) < 0 ? errno : 0;
        int wr = prlimit(parent, RLIMIT_NOFILE, &set, NULL) < 0 ? errno : 0;
        int own = prlimit(0, RLIMIT_NOFILE, NULL, &r);
        printf("unprivileged: read %s, write %s, own %d\n", errname(rd), errname(wr), own);
        fflush(stdout);
        _exit(0);
    }
    waitpid(user, NULL, 0);
    return 0;
}
