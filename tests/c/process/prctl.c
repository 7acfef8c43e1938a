// prctl: thread names (PR_SET_NAME cut to 15 bytes, PR_GET_NAME, pthread_setname_np on itself,
// /proc/self/comm, a forked child keeps the name), PR_SET_PDEATHSIG (the child gets the signal when
// its parent ends), the dumpable flag, no_new_privs (set for good, inherited), unknown options EINVAL.
#define _GNU_SOURCE
#include "../common/errname.h"
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static void show_comm(const char *when)
{
    char buf[64] = {0};
    int fd = open("/proc/self/comm", O_RDONLY);
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    printf("%s: /proc/self/comm [%.*s]\n", when, (int)(n > 0 ? n - 1 : 0), buf);
}

static void *named_thread(void *arg)
{
    (void)arg;
    int r = pthread_setname_np(pthread_self(), "worker-1");
    char name[16] = {0};
    prctl(PR_GET_NAME, name);
    printf("thread: setname %d, named [%s]\n", r, name);
    return NULL;
}

int main(void)
{
    char name[16] = {0};
    SHOW("PR_SET_NAME", prctl(PR_SET_NAME, "a-name-longer-than-fifteen"));
    SHOW("PR_GET_NAME", prctl(PR_GET_NAME, name));
    printf("name [%s] (%zu bytes)\n", name, strlen(name));
    show_comm("main");
    pthread_t t;
    pthread_create(&t, NULL, named_thread, NULL);
    pthread_join(t, NULL);
    prctl(PR_GET_NAME, name);
    printf("main's name is its own: [%s]\n", name);

    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        char n[16] = {0};
        prctl(PR_GET_NAME, n);
        _exit(strcmp(n, "a-name-longer-t") == 0 ? 0 : 1);
    }
    int status;
    waitpid(child, &status, 0);
    printf("forked child keeps the name: %d\n", WIFEXITED(status) && WEXITSTATUS(status) == 0);

    /* A grandchild asks for SIGUSR1 when its parent (our child) ends. */
    int ready[2], told[2];
    pipe(ready);
    pipe(told);
    fflush(stdout);
    child = fork();
    if (child == 0) {
        pid_t grandchild = fork();
        if (grandchild == 0) {
            sigset_t set;
            sigemptyset(&set);
            sigaddset(&set, SIGUSR1);
            sigprocmask(SIG_BLOCK, &set, NULL);
            int s = -1;
            prctl(PR_SET_PDEATHSIG, SIGUSR1);
            prctl(PR_GET_PDEATHSIG, &s);
            write(ready[1], &s, sizeof s);
            int got = 0;
            sigwait(&set, &got);
            write(told[1], &got, sizeof got);
            _exit(0);
        }
        int s;
        read(ready[0], &s, sizeof s);
        _exit(s == SIGUSR1 ? 0 : 1);
    }
    waitpid(child, &status, 0);
    int got = 0;
    read(told[0], &got, sizeof got);
    printf("PR_GET_PDEATHSIG was set: %d, grandchild got SIGUSR1 when its parent ended: %d\n",
           WIFEXITED(status) && WEXITSTATUS(status) == 0, got == SIGUSR1);

    SHOW("PR_GET_DUMPABLE", prctl(PR_GET_DUMPABLE));
    SHOW("PR_SET_DUMPABLE 0", prctl(PR_SET_DUMPABLE, 0));
    SHOW("PR_GET_DUMPABLE", prctl(PR_GET_DUMPABLE));
    SHOW("PR_SET_DUMPABLE 5", prctl(PR_SET_DUMPABLE, 5));
    SHOW("PR_GET_NO_NEW_PRIVS", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
    SHOW("PR_SET_NO_NEW_PRIVS 0", prctl(PR_SET_NO_NEW_PRIVS, 0, 0, 0, 0));
    SHOW("PR_SET_NO_NEW_PRIVS 1", prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
    SHOW("PR_GET_NO_NEW_PRIVS", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
    fflush(stdout);
    child = fork();
    if (child == 0) _exit(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1 ? 0 : 1);
    waitpid(child, &status, 0);
    printf("no_new_privs inherited: %d\n", WIFEXITED(status) && WEXITSTATUS(status) == 0);
    SHOW("unknown option", prctl(9999, 0, 0, 0, 0));
    return 0;
}
