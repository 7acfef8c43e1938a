// CFLAGS: -pthread
// Producer/consumer over a bounded queue with two condition variables; broadcast wakes all waiters; timedwait times out.
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>

#define N 8
#define ITEMS 20000
static int q[N], head, tail, count;
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_full = PTHREAD_COND_INITIALIZER, not_empty = PTHREAD_COND_INITIALIZER;

static void *producer(void *arg)
{
    (void)arg;
    for (int i = 1; i <= ITEMS; i++) {
        pthread_mutex_lock(&m);
        while (count == N)
            pthread_cond_wait(&not_full, &m);
        q[tail] = i;
        tail = (tail + 1) % N;
        count++;
        pthread_cond_signal(&not_empty);
        pthread_mutex_unlock(&m);
    }
    return NULL;
}

static void *consumer(void *arg)
{
    long sum = 0;
    for (int i = 0; i < ITEMS / 2; i++) {
        pthread_mutex_lock(&m);
        while (count == 0)
            pthread_cond_wait(&not_empty, &m);
        sum += q[head];
        head = (head + 1) % N;
        count--;
        pthread_cond_signal(&not_full);
        pthread_mutex_unlock(&m);
    }
    *(long *)arg = sum;
    return NULL;
}

static int go, ready;
static pthread_cond_t start = PTHREAD_COND_INITIALIZER;

static void *waiter(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&m);
    ready++;
    while (!go)
        pthread_cond_wait(&start, &m);
    pthread_mutex_unlock(&m);
    return NULL;
}

int main(void)
{
    pthread_t p, c1, c2;
    long s1 = 0, s2 = 0;
    pthread_create(&c1, NULL, consumer, &s1);
    pthread_create(&c2, NULL, consumer, &s2);
    pthread_create(&p, NULL, producer, NULL);
    pthread_join(p, NULL);
    pthread_join(c1, NULL);
    pthread_join(c2, NULL);
    printf("total=%ld (expected %ld)\n", s1 + s2, (long)ITEMS * (ITEMS + 1) / 2);

    pthread_t w[4];
    for (int i = 0; i < 4; i++)
        pthread_create(&w[i], NULL, waiter, NULL);
    for (;;) {
        pthread_mutex_lock(&m);
        int r = ready;
        pthread_mutex_unlock(&m);
        if (r == 4)
            break;
        sched_yield();
    }
    pthread_mutex_lock(&m);
    go = 1;
    pthread_cond_broadcast(&start);
    pthread_mutex_unlock(&m);
    for (int i = 0; i < 4; i++)
        pthread_join(w[i], NULL);
    printf("broadcast woke all 4\n");

    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += 50 * 1000 * 1000;
    if (ts.tv_nsec >= 1000000000) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000;
    }
    pthread_mutex_lock(&m);
    int r = pthread_cond_timedwait(&start, &m, &ts);
    pthread_mutex_unlock(&m);
    printf("timedwait: %s\n", r == ETIMEDOUT ? "ETIMEDOUT" : "other");
    return 0;
}
