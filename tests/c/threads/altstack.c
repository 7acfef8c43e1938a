// sigaltstack is per thread: two threads each set their own alternate stack
// and an SA_ONSTACK handler sent to each (pthread_kill) runs on that
// thread's stack; a new thread starts with none; a fork child keeps the
// forking thread's.
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define ALT_SIZE (64 * 1024)

static char *alts[2];
static pthread_t threads[2];
static pthread_barrier_t set_up, checked;
// Per thread: which alternate stack the handler ran on (-1: neither).
static volatile int ran_on[2] = {-9, -9};
static __thread int me;
static int started_none[2], set_result[2];

static int which_stack(void *p)
{
    for (int i = 0; i < 2; i++)
        if ((uintptr_t)p >= (uintptr_t)alts[i] && (uintptr_t)p < (uintptr_t)alts[i] + ALT_SIZE)
            return i;
    return -1;
}

static void handler(int sig)
{
    (void)sig;
    char local;
    ran_on[me] = which_stack(&local);
}

static void *worker(void *arg)
{
    me = (int)(intptr_t)arg;
    stack_t cur;
    sigaltstack(0, &cur);
    int none = (cur.ss_flags & SS_DISABLE) != 0;
    stack_t ss = {.ss_sp = alts[me], .ss_size = ALT_SIZE, .ss_flags = 0};
    int r = sigaltstack(&ss, 0);
    started_none[me] = none;
    set_result[me] = r;
    pthread_barrier_wait(&set_up);
    // main sends the signals now and waits for both handlers.
    pthread_barrier_wait(&checked);
    sigaltstack(0, &cur);
    int mine = cur.ss_sp == alts[me] && cur.ss_size == ALT_SIZE && cur.ss_flags == 0;
    return (void *)(intptr_t)mine;
}

int main(void)
{
    for (int i = 0; i < 2; i++)
        alts[i] = malloc(ALT_SIZE);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sa.sa_flags = SA_ONSTACK;
    sigaction(SIGUSR1, &sa, 0);
    pthread_barrier_init(&set_up, 0, 3);
    pthread_barrier_init(&checked, 0, 3);
    // The main thread's alternate stack is not a new thread's.
    stack_t main_ss = {.ss_sp = alts[1], .ss_size = ALT_SIZE, .ss_flags = 0};
    sigaltstack(&main_ss, 0);
    for (int i = 0; i < 2; i++)
        pthread_create(&threads[i], 0, worker, (void *)(intptr_t)i);
    pthread_barrier_wait(&set_up);
    for (int i = 0; i < 2; i++)
        printf("thread %d: started without one %d, set %d\n", i, started_none[i], set_result[i]);
    stack_t off = {.ss_flags = SS_DISABLE};
    sigaltstack(&off, 0);

    // The main thread has no alternate stack: its handler runs on its own.
    me = 0;
    ran_on[0] = -9;
    raise(SIGUSR1);
    printf("main thread: handler on an alternate stack %d\n", ran_on[0] != -1);
    ran_on[0] = -9;

    for (int i = 0; i < 2; i++) {
        pthread_kill(threads[i], SIGUSR1);
        while (ran_on[i] == -9)
            usleep(1000);
        printf("thread %d: handler ran on stack %d\n", i, ran_on[i]);
    }
    pthread_barrier_wait(&checked);
    for (int i = 0; i < 2; i++) {
        void *r;
        pthread_join(threads[i], &r);
        printf("thread %d: still reports its own stack %d\n", i, (int)(intptr_t)r);
    }

    // fork copies the caller's alternate stack (the main thread sets one).
    stack_t ss = {.ss_sp = alts[1], .ss_size = ALT_SIZE, .ss_flags = 0};
    sigaltstack(&ss, 0);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        stack_t cur;
        sigaltstack(0, &cur);
        me = 1;
        ran_on[1] = -9;
        raise(SIGUSR1);
        printf("fork child: kept the stack %d, handler on it %d\n",
               cur.ss_sp == alts[1] && cur.ss_flags == 0, ran_on[1] == 1);
        fflush(stdout);
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    printf("child exit %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    return 0;
}
