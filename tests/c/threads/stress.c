// CFLAGS: -pthread
// TIMEOUT: 120
// Stress: 64 threads x 100k mutex-protected increments; 1000 threads
// created and joined one after another; condvar ping-pong between two
// threads 10k times. Every count must come out exact.
#include <pthread.h>
#include <stdio.h>

#define THREADS 64
#define OPS 100000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *hammer(void *arg)
{
    (void)arg;
    for (int i = 0; i < OPS; i++) {
        pthread_mutex_lock(&lock);
        counter++;
        pthread_mutex_unlock(&lock);
    }
    return 0;
}

static void *ident(void *arg)
{
    return arg;
}

static pthread_mutex_t pp_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pp_cond = PTHREAD_COND_INITIALIZER;
static int turn, rounds_done;

static void *pong(void *arg)
{
    (void)arg;
    for (int i = 0; i < 10000; i++) {
        pthread_mutex_lock(&pp_lock);
        while (turn != 1)
            pthread_cond_wait(&pp_cond, &pp_lock);
        turn = 0;
        rounds_done++;
        pthread_cond_signal(&pp_cond);
        pthread_mutex_unlock(&pp_lock);
    }
    return 0;
}

int main(void)
{
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++)
        pthread_create(&t[i], 0, hammer, 0);
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], 0);
    printf("mutex counter: %ld (want %ld)\n", counter, (long)THREADS * OPS);

    long sum = 0;
    int failed = 0;
    for (long i = 0; i < 1000; i++) {
        pthread_t th;
        void *r;
        if (pthread_create(&th, 0, ident, (void *)i) != 0) {
            failed++;
            continue;
        }
        pthread_join(th, &r);
        sum += (long)r;
    }
    printf("1000 sequential threads: %d failed, sum %ld (want %ld)\n", failed, sum, 999L * 1000 / 2);

    pthread_t p;
    pthread_create(&p, 0, pong, 0);
    for (int i = 0; i < 10000; i++) {
        pthread_mutex_lock(&pp_lock);
        turn = 1;
        pthread_cond_signal(&pp_cond);
        while (turn != 0)
            pthread_cond_wait(&pp_cond, &pp_lock);
        pthread_mutex_unlock(&pp_lock);
    }
    pthread_join(p, 0);
    printf("ping-pong rounds: %d\n", rounds_done);
    return 0;
}
