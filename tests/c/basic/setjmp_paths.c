// setjmp/longjmp along every path the lowering has: a longjmp passed on
// through a function with its own setjmp, two setjmps in one function,
// sigsetjmp with and without the mask, longjmp out of a handler that
// interrupted a blocking call, setjmp and longjmp inside a handler, fork
// under a setjmp (both sides jump), and setjmp in a second thread.
// CFLAGS: -pthread
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static jmp_buf outer, inner;

static __attribute__((noinline)) void jump_to(jmp_buf *where, int value)
{
    longjmp(*where, value);
}

/* Has a setjmp of its own; a longjmp to `outer` passes through it. */
static __attribute__((noinline)) int middle(int which)
{
    volatile int stage = 0;
    int r = setjmp(inner);
    if (r) {
        printf("middle: caught %d at stage %d\n", r, stage);
        return r;
    }
    stage = 1;
    jump_to(which ? &outer : &inner, 7);
    return -1;
}

static void two_in_one(void)
{
    jmp_buf a, b;
    volatile int hits = 0;
    if (setjmp(a)) {
        hits += 10;
        printf("two_in_one: back at a, hits=%d\n", hits);
        return;
    }
    if (setjmp(b)) {
        hits += 1;
        jump_to(&a, 1);
    }
    jump_to(&b, 1);
}

static sigjmp_buf from_handler;

static void on_alarm(int sig)
{
    (void)sig;
    siglongjmp(from_handler, 3);
}

static int blocked(int sig)
{
    sigset_t cur;
    sigprocmask(SIG_BLOCK, 0, &cur);
    return sigismember(&cur, sig);
}

static void masks(void)
{
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigjmp_buf env;
    if (sigsetjmp(env, 1) == 0) {
        sigprocmask(SIG_BLOCK, &usr1, 0);
        siglongjmp(env, 1);
    }
    printf("sigsetjmp(1): SIGUSR1 blocked after the jump: %d\n", blocked(SIGUSR1));
    if (sigsetjmp(env, 0) == 0) {
        sigprocmask(SIG_BLOCK, &usr1, 0);
        siglongjmp(env, 1);
    }
    printf("sigsetjmp(0): SIGUSR1 blocked after the jump: %d\n", blocked(SIGUSR1));
    sigprocmask(SIG_UNBLOCK, &usr1, 0);
}

static void out_of_blocking_call(void)
{
    signal(SIGALRM, on_alarm);
    int fds[2];
    pipe(fds);
    int r = sigsetjmp(from_handler, 1);
    if (r == 0) {
        alarm(1);
        char c;
        read(fds[0], &c, 1); /* blocks until SIGALRM */
        printf("read returned\n");
    } else {
        printf("left the blocked read by siglongjmp: %d, SIGALRM blocked: %d\n", r, blocked(SIGALRM));
    }
    close(fds[0]);
    close(fds[1]);
}

static void jumps_within(int sig)
{
    (void)sig;
    jmp_buf here;
    volatile int n = 0;
    if (setjmp(here) < 3) {
        n++;
        jump_to(&here, n + 1);
    }
    printf("handler: jumped within it %d times\n", n);
}

static jmp_buf around_fork;

static __attribute__((noinline)) int fork_here(void)
{
    return fork();
}

static void fork_under_setjmp(void)
{
    volatile int child = 0;
    int r = setjmp(around_fork);
    if (r) {
        if (child) {
            printf("child: jumped back with %d\n", r);
            fflush(stdout);
            _exit(r);
        }
        printf("parent: jumped back with %d\n", r);
        return;
    }
    pid_t pid = fork_here();
    if (pid == 0) {
        child = 1;
        jump_to(&around_fork, 5);
    }
    int status;
    waitpid(pid, &status, 0);
    printf("parent: child exited %d\n", WEXITSTATUS(status));
    jump_to(&around_fork, 6);
}

static void *thread_body(void *arg)
{
    jmp_buf mine;
    volatile int n = (int)(long)arg;
    int r = setjmp(mine);
    if (r < 3)
        jump_to(&mine, r + 1);
    printf("thread: %d jumps, started with %d\n", r, n);
    return 0;
}

int main(void)
{
    int r = setjmp(outer);
    if (r == 0) {
        middle(0);
        middle(1);
        printf("not reached\n");
    }
    printf("main: outer caught %d\n", r);
    two_in_one();
    masks();
    out_of_blocking_call();
    signal(SIGUSR2, jumps_within);
    raise(SIGUSR2);
    fflush(stdout);
    fork_under_setjmp();
    pthread_t t;
    pthread_create(&t, 0, thread_body, (void *)42L);
    pthread_join(t, 0);
    return 0;
}
