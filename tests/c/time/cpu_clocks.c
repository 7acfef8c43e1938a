// CPU-time clocks count the calling process only: a child's work is not the parent's clock(), a
// process's clock and RUSAGE_SELF add up all its threads (running and ended), and a thread's clock
// and RUSAGE_THREAD are its own.
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile unsigned long sink;
static atomic_int halfway;

static long ms(clockid_t clock)
{
    struct timespec t;
    clock_gettime(clock, &t);
    return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Burns `total` ms of the calling thread's CPU time; raises `halfway` after `half` ms. */
static void burn(long total, long half)
{
    long start = ms(CLOCK_THREAD_CPUTIME_ID);
    for (;;) {
        long used = ms(CLOCK_THREAD_CPUTIME_ID) - start;
        if (half && used >= half) atomic_store(&halfway, 1);
        if (used >= total) return;
        for (int i = 0; i < 10000; i++) sink += i;
    }
}

static void *worker(void *arg)
{
    burn(150, arg ? 100 : 0);
    return NULL;
}

static long self_ms(int who)
{
    struct rusage ru;
    getrusage(who, &ru);
    return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000 + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000;
}

int main(void)
{
    long before = ms(CLOCK_PROCESS_CPUTIME_ID);
    pid_t pid = fork();
    if (pid == 0) {
        burn(300, 0);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    printf("a child's 300 ms are not the parent's clock (< 100 ms): %d\n", ms(CLOCK_PROCESS_CPUTIME_ID) - before < 100);
    printf("nor its clock(): %d\n", clock() * 1000 / CLOCKS_PER_SEC < 150);

    pthread_t a, b;
    long main_start = ms(CLOCK_THREAD_CPUTIME_ID);
    long proc_start = ms(CLOCK_PROCESS_CPUTIME_ID);
    pthread_create(&a, NULL, worker, (void *)1);
    pthread_create(&b, NULL, worker, NULL);
    while (!atomic_load(&halfway)) {
        struct timespec pause = {0, 2 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
    /* Another thread's share is read from its host thread's schedstat, which can lag its own
     * clock by a scheduler tick: the bounds leave room for that. */
    printf("while threads run, the process clock counts them (>= 80 ms): %d\n",
           ms(CLOCK_PROCESS_CPUTIME_ID) - proc_start >= 80);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    printf("after they end, it keeps their time (>= 270 ms): %d\n", ms(CLOCK_PROCESS_CPUTIME_ID) - proc_start >= 270);
    printf("RUSAGE_SELF too: %d\n", self_ms(RUSAGE_SELF) >= 270);
    printf("the main thread's own clock stays small (< 100 ms): %d\n", ms(CLOCK_THREAD_CPUTIME_ID) - main_start < 100);
    printf("RUSAGE_THREAD too: %d\n", self_ms(RUSAGE_THREAD) < 100);
    return 0;
}
