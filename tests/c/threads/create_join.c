// CFLAGS: -pthread
// 8 threads add into one atomic counter and return values that pthread_join collects; gettid differs per thread.
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

static atomic_int counter;
static pid_t tids[8];

static void *work(void *arg)
{
    long id = (long)arg;
    tids[id] = syscall(SYS_gettid);
    for (int i = 0; i < 10000; i++)
        atomic_fetch_add(&counter, 1);
    return (void *)(id * id);
}

int main(void)
{
    pthread_t t[8];
    for (long i = 0; i < 8; i++)
        if (pthread_create(&t[i], NULL, work, (void *)i) != 0) {
            printf("pthread_create failed\n");
            return 1;
        }
    long sum = 0;
    for (int i = 0; i < 8; i++) {
        void *r;
        if (pthread_join(t[i], &r) != 0)
            printf("join %d failed\n", i);
        sum += (long)r;
    }
    printf("counter=%d sum=%ld\n", atomic_load(&counter), sum);
    int distinct = 1;
    pid_t me = syscall(SYS_gettid);
    for (int i = 0; i < 8; i++) {
        if (tids[i] == me || tids[i] <= 0)
            distinct = 0;
        for (int j = 0; j < i; j++)
            if (tids[i] == tids[j])
                distinct = 0;
    }
    printf("main tid is pid: %d, thread tids distinct: %d\n", me == getpid(), distinct);
    printf("self equal: %d\n", pthread_equal(pthread_self(), pthread_self()));
    return 0;
}
