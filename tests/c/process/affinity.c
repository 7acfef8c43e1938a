// CPU affinity: sched_getaffinity reports the CPUs the process may use (what nproc and
// sysconf(_SC_NPROCESSORS_ONLN) count under musl), sched_setaffinity narrows a thread to one CPU and
// getaffinity then shows it; an empty mask is EINVAL, an unknown pid ESRCH, a short buffer EINVAL.
#define _GNU_SOURCE
#include "../common/errname.h"
#include <pthread.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

static int first_cpu(cpu_set_t *s)
{
    for (int i = 0; i < CPU_SETSIZE; i++)
        if (CPU_ISSET(i, s)) return i;
    return -1;
}

static void *narrow(void *arg)
{
    int cpu = *(int *)arg;
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(cpu, &one);
    int r = sched_setaffinity(0, sizeof one, &one);
    cpu_set_t now;
    sched_getaffinity(0, sizeof now, &now);
    printf("thread narrowed: %d, now %d cpu, the one asked: %d\n", r, CPU_COUNT(&now), !!CPU_ISSET(cpu, &now));
    return NULL;
}

int main(void)
{
    cpu_set_t set;
    SHOW("sched_getaffinity", sched_getaffinity(0, sizeof set, &set));
    int n = CPU_COUNT(&set);
    printf("cpus: %d, online per sysconf: %ld\n", n, sysconf(_SC_NPROCESSORS_ONLN));
    printf("same as for my pid: %d\n", ({
        cpu_set_t again;
        sched_getaffinity(getpid(), sizeof again, &again);
        CPU_EQUAL(&again, &set);
    }));
    int cpu = first_cpu(&set);
    pthread_t t;
    pthread_create(&t, NULL, narrow, &cpu);
    pthread_join(t, NULL);
    cpu_set_t after;
    sched_getaffinity(0, sizeof after, &after);
    printf("the main thread keeps all: %d\n", CPU_EQUAL(&after, &set));
    cpu_set_t none;
    CPU_ZERO(&none);
    SHOW("empty mask", sched_setaffinity(0, sizeof none, &none));
    SHOW("unknown pid", sched_getaffinity(999999, sizeof set, &set));
    SHOW("the same mask back", sched_setaffinity(0, sizeof set, &set));
    SHOW("raw: a 1-byte buffer", syscall(SYS_sched_getaffinity, 0, 1, &set));
    return 0;
}
