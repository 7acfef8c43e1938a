// CPU time of children: wait4's rusage holds what the reaped child used (and the children it
// waited for), getrusage(RUSAGE_CHILDREN) and times() add up what was reaped, nothing before.
#include <stdio.h>
#include <sys/resource.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile unsigned long sink;

/* Burns at least `ms` milliseconds of this process's CPU time. */
static void burn(long ms)
{
    clock_t until = clock() + ms * (CLOCKS_PER_SEC / 1000);
    while (clock() < until)
        for (int i = 0; i < 10000; i++) sink += i;
}

static long ms_of(struct rusage *ru)
{
    return (ru->ru_utime.tv_sec + ru->ru_stime.tv_sec) * 1000 +
           (ru->ru_utime.tv_usec + ru->ru_stime.tv_usec) / 1000;
}

int main(void)
{
    struct rusage ru;
    getrusage(RUSAGE_CHILDREN, &ru);
    printf("children before any wait: %ld ms\n", ms_of(&ru));

    pid_t pid = fork();
    if (pid == 0) {
        burn(150);
        _exit(0);
    }
    getrusage(RUSAGE_CHILDREN, &ru);
    printf("children while one runs: %ld ms\n", ms_of(&ru));
    int status;
    struct rusage child;
    pid_t got = wait4(pid, &status, 0, &child);
    printf("wait4 reaped it: %d, exited 0: %d\n", got == pid, WIFEXITED(status) && WEXITSTATUS(status) == 0);
    long first = ms_of(&child);
    printf("wait4 rusage >= 120 ms: %d, < 2000 ms: %d\n", first >= 120, first < 2000);

    /* A child that waits for a grandchild: the grandchild's time is in the child's rusage. */
    pid = fork();
    if (pid == 0) {
        pid_t grandchild = fork();
        if (grandchild == 0) {
            burn(150);
            _exit(0);
        }
        waitpid(grandchild, NULL, 0);
        _exit(0);
    }
    wait4(pid, &status, 0, &child);
    long second = ms_of(&child);
    printf("rusage includes the waited-for grandchild (>= 120 ms): %d\n", second >= 120);

    getrusage(RUSAGE_CHILDREN, &ru);
    long total = ms_of(&ru);
    printf("RUSAGE_CHILDREN sums both (>= 240 ms): %d\n", total >= 240);
    struct tms t;
    times(&t);
    long ticks = (long)(t.tms_cutime + t.tms_cstime);
    printf("times() children >= 24 ticks: %d\n", ticks * 1000 / sysconf(_SC_CLK_TCK) >= 240);

    getrusage(RUSAGE_SELF, &ru);
    printf("self used little: %d\n", ms_of(&ru) < 120);
    return 0;
}
