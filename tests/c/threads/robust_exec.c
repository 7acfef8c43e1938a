// exec releases the robust mutexes the process holds, as exit does: a
// forked child locks a process-shared robust mutex in MAP_SHARED memory
// and execs; the parent's lock then returns EOWNERDEAD (before the new
// image ends, which it does only when told through a pipe), and the mutex
// can be made consistent and used again.
// SELF: self
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../common/errname.h"

struct shared {
    pthread_mutex_t m;
    volatile int child_has_it;
    volatile int new_image_runs;
};

int main(int argc, char **argv)
{
    if (argc > 2 && strcmp(argv[1], "new-image") == 0) {
        // The exec'd image: the shared page is gone from this address
        // space; wait for the parent's word on the pipe, then end.
        int rfd = atoi(argv[2]);
        char c;
        return read(rfd, &c, 1) == 1 ? 0 : 3;
    }
    struct shared *sh = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (sh == MAP_FAILED)
        return 1;
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
    pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    int r = pthread_mutex_init(&sh->m, &a);
    printf("init: %s\n", errname(r));
    int p[2];
    if (pipe(p) != 0)
        return 1;
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        close(p[1]);
        if (pthread_mutex_lock(&sh->m) != 0)
            _exit(9);
        sh->child_has_it = 1;
        char fd[16];
        snprintf(fd, sizeof fd, "%d", p[0]);
        char *args[] = {"self", "new-image", fd, NULL};
        execv("./self", args);
        _exit(8);
    }
    close(p[0]);
    while (!sh->child_has_it)
        usleep(1000);
    // The child is exec'ing or has exec'd; the lock waits for the exec.
    r = pthread_mutex_lock(&sh->m);
    printf("lock after the holder exec'd: %s\n", errname(r));
    int c = pthread_mutex_consistent(&sh->m);
    int u = pthread_mutex_unlock(&sh->m);
    printf("consistent %s, unlock %s\n", errname(c), errname(u));
    r = pthread_mutex_lock(&sh->m);
    printf("lock again: %s\n", errname(r));
    pthread_mutex_unlock(&sh->m);
    if (write(p[1], "x", 1) != 1)
        return 1;
    int st;
    waitpid(pid, &st, 0);
    printf("new image exit %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    return 0;
}
