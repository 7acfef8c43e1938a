// SIGSTOP stops every thread of a process, not only the one that takes the
// stop: threads that make system calls and a thread that only computes
// all hold still until SIGCONT (the program has a signal handler, so under
// lind it runs with epoch checks), and SIGKILL then ends it.
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define THREADS 3
static volatile unsigned long *counters;

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static void *with_syscalls(void *arg)
{
    long i = (long)arg;
    for (;;) {
        counters[i]++;
        getppid();
    }
    return NULL;
}

static void on_usr1(int sig) { (void)sig; }

static int all_moving(const unsigned long *before)
{
    for (int i = 0; i < THREADS; i++)
        if (counters[i] == before[i])
            return 0;
    return 1;
}

int main(void)
{
    counters = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (counters == MAP_FAILED)
        return 1;
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        signal(SIGUSR1, on_usr1);
        pthread_t t;
        for (long i = 1; i < THREADS; i++)
            pthread_create(&t, NULL, with_syscalls, (void *)i);
        for (;;)
            counters[0]++; // computes only
    }
    unsigned long zero[THREADS] = {0};
    while (!all_moving(zero))
        sleep_ms(1);
    kill(pid, SIGSTOP);
    int st;
    waitpid(pid, &st, WUNTRACED);
    printf("stopped: %d\n", WIFSTOPPED(st));
    sleep_ms(30); // let any thread that was not stopped show it
    unsigned long held[THREADS];
    for (int i = 0; i < THREADS; i++)
        held[i] = counters[i];
    sleep_ms(100);
    int still = 1;
    for (int i = 0; i < THREADS; i++)
        if (counters[i] != held[i])
            still = 0;
    printf("every thread held still: %d\n", still);
    kill(pid, SIGCONT);
    waitpid(pid, &st, WCONTINUED);
    printf("continued: %d\n", WIFCONTINUED(st));
    for (int i = 0; i < THREADS; i++)
        held[i] = counters[i];
    while (!all_moving(held))
        sleep_ms(1);
    printf("every thread moves again: 1\n");
    kill(pid, SIGKILL);
    waitpid(pid, &st, 0);
    printf("killed by %d\n", WIFSIGNALED(st) ? WTERMSIG(st) : -1);
    return 0;
}
