// Nice values: nice() and setpriority change the caller's, clamped to -20..19; getpriority reads them
// back; new threads and forked children start with their creator's; a process group answers with
// its members'; a user other than root may not lower its nice value (EACCES) or touch root's
// processes (EPERM); bad arguments are EINVAL and ESRCH. Runs as root.
#define _GNU_SOURCE
#include "../common/errname.h"
#include <pthread.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static int prio(int which, int who)
{
    errno = 0;
    int p = getpriority(which, who);
    return errno ? -100 - errno : p;
}

static void *thread_prio(void *arg)
{
    *(int *)arg = prio(PRIO_PROCESS, 0);
    return NULL;
}

int main(void)
{
    if (geteuid() != 0) {
        printf("needs root\n");
        return 1;
    }
    setpgid(0, 0);
    int start = prio(PRIO_PROCESS, 0);
    errno = 0;
    int n = nice(5);
    printf("nice(5): +%d %s, now +%d\n", n - start, errname(errno), prio(PRIO_PROCESS, 0) - start);
    SHOW("setpriority 10", setpriority(PRIO_PROCESS, 0, 10));
    printf("now %d, by pid %d, group %d\n", prio(PRIO_PROCESS, 0), prio(PRIO_PROCESS, getpid()), prio(PRIO_PGRP, 0));
    SHOW("setpriority 30", setpriority(PRIO_PROCESS, 0, 30));
    printf("clamped: %d\n", prio(PRIO_PROCESS, 0));

    int in_thread = 0;
    pthread_t t;
    pthread_create(&t, NULL, thread_prio, &in_thread);
    pthread_join(t, NULL);
    printf("a new thread starts with it: %d\n", in_thread);
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) _exit(prio(PRIO_PROCESS, 0) == 19 ? 0 : 1);
    int status;
    waitpid(child, &status, 0);
    printf("a forked child starts with it: %d\n", WIFEXITED(status) && WEXITSTATUS(status) == 0);

    SHOW("root lowers it to -5", setpriority(PRIO_PROCESS, 0, -5));
    printf("now %d\n", prio(PRIO_PROCESS, 0));
    SHOW("setpriority 0", setpriority(PRIO_PROCESS, 0, 0));

    pid_t parent = getpid();
    fflush(stdout);
    child = fork();
    if (child == 0) {
        setuid(1000);
        int up = setpriority(PRIO_PROCESS, 0, 3) ? errno : 0;
        int down = setpriority(PRIO_PROCESS, 0, 1) ? errno : 0;
        int roots = setpriority(PRIO_PROCESS, parent, 7) ? errno : 0;
        int read_roots = prio(PRIO_PROCESS, parent);
        printf("as a user: raise %s, lower %s, root's process %s, reading it %d\n", errname(up), errname(down),
               errname(roots), read_roots);
        fflush(stdout);
        _exit(0);
    }
    waitpid(child, NULL, 0);

    SHOW("bad which", setpriority(7, 0, 0));
    printf("no such process: %d\n", prio(PRIO_PROCESS, 999999) == -100 - ESRCH);
    return 0;
}
