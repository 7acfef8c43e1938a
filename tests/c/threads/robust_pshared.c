// A process-shared robust mutex in MAP_SHARED anonymous memory: a forked
// child that dies holding it (_exit, or returning from main) makes the
// parent's next lock return EOWNERDEAD, including a lock the parent was
// already blocked in when the child died, and a child killed by SIGKILL;
// get_robust_list reports the caller's list once a robust mutex was taken.
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../common/errname.h"

struct shared {
    pthread_mutex_t m;
    volatile int child_has_it;
};

static struct shared *sh;

static void init(void)
{
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    int r1 = pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
    int r2 = pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    int r3 = pthread_mutex_init(&sh->m, &a);
    printf("init: pshared %s robust %s mutex %s\n", errname(r1), errname(r2), errname(r3));
    pthread_mutexattr_destroy(&a);
    sh->child_has_it = 0;
}

// The child takes the mutex and dies holding it, `delay_ms` after telling
// the parent it has it.
static pid_t child_dies_holding(int via_exit, int delay_ms)
{
    sh->child_has_it = 0;
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        int r = pthread_mutex_lock(&sh->m);
        void *head = 0;
        size_t len = 0;
        long g = syscall(SYS_get_robust_list, 0, &head, &len);
        if (r != 0 || g != 0 || head == 0 || len != 3 * sizeof(long))
            _exit(9);
        sh->child_has_it = 1;
        usleep(delay_ms * 1000);
        if (via_exit)
            _exit(0);
        exit(0);
    }
    while (!sh->child_has_it)
        usleep(1000);
    return pid;
}

static void report_wait(pid_t pid)
{
    int st;
    waitpid(pid, &st, 0);
    printf("child exit %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

int main(void)
{
    sh = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (sh == MAP_FAILED)
        return 1;
    init();

    // 1. The child _exits holding it; the parent locks after the wait.
    pid_t pid = child_dies_holding(1, 0);
    report_wait(pid);
    int r = pthread_mutex_lock(&sh->m);
    printf("lock after the child _exited: %s\n", errname(r));
    r = pthread_mutex_consistent(&sh->m);
    printf("consistent: %s\n", errname(r));
    r = pthread_mutex_unlock(&sh->m);
    printf("unlock: %s\n", errname(r));

    // 2. The child returns from main holding it while the parent is
    // blocked in pthread_mutex_lock.
    pid = child_dies_holding(0, 100);
    r = pthread_mutex_lock(&sh->m);
    printf("lock blocked while the child died: %s\n", errname(r));
    report_wait(pid);
    pthread_mutex_consistent(&sh->m);
    pthread_mutex_unlock(&sh->m);

    // 3. The child is killed by a signal while it holds it.
    pid = child_dies_holding(1, 10000);
    kill(pid, SIGKILL);
    int st;
    waitpid(pid, &st, 0);
    printf("child killed by signal %d\n", WIFSIGNALED(st) ? WTERMSIG(st) : -1);
    r = pthread_mutex_lock(&sh->m);
    printf("lock after the child was killed: %s\n", errname(r));
    pthread_mutex_consistent(&sh->m);
    pthread_mutex_unlock(&sh->m);

    // 4. Not made consistent: unusable, in both processes.
    pid = child_dies_holding(1, 0);
    report_wait(pid);
    r = pthread_mutex_trylock(&sh->m);
    printf("trylock: %s\n", errname(r));
    pthread_mutex_unlock(&sh->m);
    r = pthread_mutex_lock(&sh->m);
    printf("lock after an unlock without consistent: %s\n", errname(r));
    return 0;
}
