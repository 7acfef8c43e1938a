// A 2 ms interval timer reaches a loop that makes no syscalls every time, not at some coarser tick: 100 handler runs take about 200 ms (allowed: under 600 ms).
// TIMEOUT: 30
#include <signal.h>
#include <stdio.h>
#include <sys/time.h>
#include <time.h>

static volatile sig_atomic_t ticks;
static void on_tick(int sig) { ticks++; }

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(void) {
    signal(SIGALRM, on_tick);
    struct itimerval it = {{0, 2000}, {0, 2000}};
    double start = now();
    setitimer(ITIMER_REAL, &it, 0);
    volatile unsigned long spins = 0;
    while (ticks < 100)
        spins++; /* no syscalls: each tick must interrupt the loop */
    double took = now() - start;
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, 0);
    printf("100 ticks in under 600 ms: %d\n", took < 0.6);
    if (took >= 0.6)
        fprintf(stderr, "took %.0f ms\n", took * 1000);
    return 0;
}
