// Handlers that interrupt code making no syscalls: the interrupted loop's integer, floating-point and flag state survives hundreds of interruptions by handlers that compute themselves; siglongjmp out of such a handler; SA_SIGINFO from another process; a computing thread; fork after it all, and forks that compute while a 1 ms timer keeps firing.
// CFLAGS: -pthread
// TIMEOUT: 60
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t ticks;
static volatile double handler_sink;

/* Uses registers of every kind, so that a clobbered one shows. */
static void on_tick(int sig) {
    double d = 1.0;
    uint64_t h = 1469598103934665603ull;
    for (int i = 0; i < 200; i++) {
        d = d * 1.0000001 + i;
        h = (h ^ (uint64_t)i) * 1099511628211ull;
    }
    handler_sink = d + (double)(h & 0xff);
    ticks++;
}

/* A loop whose result depends on every step: integer and floating-point
 * values live in registers across the whole loop, compared each turn. */
static uint64_t mix(uint64_t rounds, double *fsum) {
    uint64_t a = 1, b = 2, c = 3, d = 4, e = 5, f = 6, g = 7, h = 8;
    double x = 0.5, y = 1.5, z = 2.5;
    for (uint64_t i = 0; i < rounds; i++) {
        a += b ^ i; b = (b << 1 | b >> 63) + c; c ^= d + i; d += e * 3;
        e = (e ^ f) + 0x9e3779b97f4a7c15ull; f += g >> 3; g ^= h << 7; h += a;
        x = x * 0.999999 + (double)(i & 7);
        y = y + x * 1e-9;
        z = (z < y) ? z + 1.0 : z - 0.5;
    }
    *fsum = x + y + z;
    return a ^ b ^ c ^ d ^ e ^ f ^ g ^ h;
}

static void start_timer(long usec) {
    struct itimerval it = {{0, usec}, {0, usec}};
    setitimer(ITIMER_REAL, &it, 0);
}

static void stop_timer(void) {
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, 0);
}

static sigjmp_buf escape;
static volatile sig_atomic_t escapes;
static void on_escape(int sig) {
    escapes++;
    siglongjmp(escape, 1);
}

/* Spins in a function of its own: lind's setjmp cannot be jumped back to
 * from inside the function that called it (see the README). */
static __attribute__((noinline)) void spin_forever(void) {
    volatile uint64_t spin = 0;
    for (;;) spin++;
}

static volatile sig_atomic_t info_code, info_pid_ok, got_info;
static void on_info(int sig, siginfo_t *si, void *uc) {
    info_code = si->si_code;
    info_pid_ok = si->si_pid == getppid() || si->si_pid > 0;
    got_info = 1;
}

static volatile sig_atomic_t thread_hits;
static void on_usr2(int sig) { thread_hits++; }

static void *computing_thread(void *arg) {
    sigset_t usr2;
    sigemptyset(&usr2);
    sigaddset(&usr2, SIGUSR2);
    pthread_sigmask(SIG_UNBLOCK, &usr2, 0);
    volatile uint64_t spins = 0;
    while (!thread_hits) spins++;
    return (void *)(uintptr_t)(spins > 0);
}

int main(void) {
    /* 1: the same computation with and without interruptions. */
    double quiet_f, busy_f;
    uint64_t quiet = mix(300000000, &quiet_f);
    signal(SIGALRM, on_tick);
    start_timer(1000);
    uint64_t busy = mix(300000000, &busy_f);
    stop_timer();
    printf("interrupted: %s\n", ticks >= 10 ? "many times" : "too few times");
    printf("same integer result: %d, same floating-point result: %d\n", quiet == busy,
           memcmp(&quiet_f, &busy_f, sizeof quiet_f) == 0);
    if (ticks < 10)
        fprintf(stderr, "only %d ticks\n", (int)ticks);

    /* 2: siglongjmp out of a handler that interrupted a loop, three times;
     * the mask comes back each time. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_escape;
    sigaction(SIGALRM, &sa, 0);
    for (int round = 0; round < 3; round++) {
        if (sigsetjmp(escape, 1) == 0) {
            alarm(1);
            spin_forever();
        }
        sigset_t now;
        sigprocmask(SIG_BLOCK, 0, &now);
        printf("escaped round %d, SIGALRM blocked afterwards: %d\n", round, sigismember(&now, SIGALRM));
    }

    /* 3: SA_SIGINFO, sent by a child while the parent computes. */
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_info;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, 0);
    pid_t parent = getpid();
    pid_t child = fork();
    if (child == 0) {
        usleep(100000);
        kill(parent, SIGUSR1);
        _exit(0);
    }
    volatile uint64_t spin = 0;
    while (!got_info) spin++;
    int status;
    waitpid(child, &status, 0);
    printf("SA_SIGINFO in a loop: code SI_USER %d, pid given %d\n", info_code == SI_USER, info_pid_ok);

    /* 4: a thread computing gets the signal sent to it. */
    sigset_t usr2;
    sigemptyset(&usr2);
    sigaddset(&usr2, SIGUSR2);
    pthread_sigmask(SIG_BLOCK, &usr2, 0);
    signal(SIGUSR2, on_usr2);
    pthread_t t;
    pthread_create(&t, 0, computing_thread, 0);
    usleep(100000);
    pthread_kill(t, SIGUSR2);
    void *spun;
    pthread_join(t, &spun);
    printf("thread's loop interrupted: %d (spun %d)\n", (int)thread_hits, (int)(uintptr_t)spun);

    /* 5: fork still works afterwards, in both processes. */
    child = fork();
    if (child == 0) {
        double cf;
        _exit(mix(1000, &cf) == mix(1000, &cf) ? 7 : 1);
    }
    waitpid(child, &status, 0);
    printf("child after all that: exit %d\n", WEXITSTATUS(status));

    /* 6: forks while a 1 ms timer keeps interrupting (with lind, also while
     * a fork is unwinding and rewinding the stack); each child computes. */
    ticks = 0;
    signal(SIGALRM, on_tick);
    start_timer(1000);
    int good = 0;
    for (int i = 0; i < 200; i++) {
        child = fork();
        if (child == 0) {
            double cf;
            uint64_t v = mix(20000 + i, &cf);
            _exit((int)(v & 0x3f) + 1);
        }
        double pf;
        uint64_t v = mix(20000 + i, &pf);
        while (waitpid(child, &status, 0) < 0)
            ;
        good += WIFEXITED(status) && WEXITSTATUS(status) == (int)(v & 0x3f) + 1;
    }
    stop_timer();
    printf("forks under a 1 ms timer: %d of 200 children right\n", good);
    return 0;
}
