// A handler siglongjmps back into the very function whose own loop it interrupted (no call in the loop), with the mask restored; handlers that return reach such loops too; the same in a second thread.
// CFLAGS: -pthread
// TIMEOUT: 60
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>

static sigjmp_buf back;
static volatile sig_atomic_t jumps;
static void jump_back(int sig) {
    jumps++;
    siglongjmp(back, jumps);
}

static void one_shot_timer(int ms) {
    struct itimerval it = {{0, 0}, {0, ms * 1000}};
    setitimer(ITIMER_REAL, &it, 0);
}

static volatile unsigned long sink;

static volatile sig_atomic_t ticks;
static void count_tick(int sig) { ticks++; }

static __thread sigjmp_buf thread_back;
static void thread_jump_back(int sig) { siglongjmp(thread_back, 1); }

static void *spinning_thread(void *arg) {
    volatile int *ready = arg;
    if (sigsetjmp(thread_back, 1) == 0) {
        *ready = 1;
        for (;;) {
        }
    }
    return "jumped back";
}

int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = jump_back;
    sigaction(SIGALRM, &sa, 0);

    /* 1: an empty loop, three times over; the value comes back too. */
    for (int round = 0; round < 3; round++) {
        int got = sigsetjmp(back, 1);
        if (got == 0) {
            one_shot_timer(20);
            for (;;) {
            }
        }
        sigset_t now;
        sigprocmask(SIG_BLOCK, 0, &now);
        printf("round %d: sigsetjmp returned %d, SIGALRM blocked: %d\n", round, got,
               sigismember(&now, SIGALRM));
    }

    /* 2: nested loops, with the sum in a register. */
    unsigned long work = 0;
    int got = sigsetjmp(back, 1);
    if (got == 0) {
        one_shot_timer(20);
        for (;;) {
            for (int i = 0; i < 1000; i++)
                work += i * i;
            sink = work;
        }
    }
    printf("nested loops left: sigsetjmp returned %d, work done: %d\n", got, sink > 0);

    /* 3: a handler that returns reaches a loop of a setjmp-calling function
     * each time: 50 ticks of a 2 ms timer. */
    signal(SIGALRM, count_tick);
    struct itimerval every = {{0, 2000}, {0, 2000}};
    setitimer(ITIMER_REAL, &every, 0);
    while (ticks < 50) {
    }
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, 0);
    printf("ticks counted in the loop: %d\n", ticks >= 50);

    /* 4: another thread, jumped back by pthread_kill. */
    signal(SIGUSR1, thread_jump_back);
    volatile int ready = 0;
    pthread_t t;
    pthread_create(&t, 0, spinning_thread, (void *)&ready);
    while (!ready) {
    }
    pthread_kill(t, SIGUSR1);
    void *said;
    pthread_join(t, &said);
    printf("thread: %s\n", (char *)said);
    return 0;
}
