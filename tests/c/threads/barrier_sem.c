// CFLAGS: -pthread
// Barriers across rounds (exactly one PTHREAD_BARRIER_SERIAL_THREAD per round), counting semaphores, sem_trywait, sem_timedwait timeout, rwlocks, pthread_once.
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>

#define T 4
static pthread_barrier_t bar;
static atomic_int serial, phase_sum;
static int phase[T];
static sem_t sem;
static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static long shared_val;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static atomic_int once_runs;

static void init_once(void) { atomic_fetch_add(&once_runs, 1); }

static void *work(void *arg)
{
    long id = (long)arg;
    pthread_once(&once, init_once);
    for (int round = 0; round < 50; round++) {
        phase[id] = round;
        if (pthread_barrier_wait(&bar) == PTHREAD_BARRIER_SERIAL_THREAD)
            atomic_fetch_add(&serial, 1);
        for (int i = 0; i < T; i++)
            if (phase[i] != round)
                atomic_fetch_add(&phase_sum, 1000);
        pthread_barrier_wait(&bar);
    }
    for (int i = 0; i < 1000; i++) {
        sem_wait(&sem);
        sem_post(&sem);
    }
    for (int i = 0; i < 1000; i++) {
        if (i % 10 == 0) {
            pthread_rwlock_wrlock(&rw);
            shared_val++;
            pthread_rwlock_unlock(&rw);
        } else {
            pthread_rwlock_rdlock(&rw);
            (void)shared_val;
            pthread_rwlock_unlock(&rw);
        }
    }
    return NULL;
}

int main(void)
{
    pthread_barrier_init(&bar, NULL, T);
    sem_init(&sem, 0, 2);
    pthread_t t[T];
    for (long i = 0; i < T; i++)
        pthread_create(&t[i], NULL, work, (void *)i);
    for (int i = 0; i < T; i++)
        pthread_join(t[i], NULL);
    printf("serial=%d mismatches=%d once=%d rw=%ld\n", atomic_load(&serial), atomic_load(&phase_sum),
           atomic_load(&once_runs), shared_val);
    int v;
    sem_getvalue(&sem, &v);
    printf("sem value %d\n", v);
    sem_wait(&sem);
    sem_wait(&sem);
    printf("trywait empty: %d\n", sem_trywait(&sem) == -1 && errno == EAGAIN);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += 30 * 1000 * 1000;
    if (ts.tv_nsec >= 1000000000) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000;
    }
    printf("timedwait: %d\n", sem_timedwait(&sem, &ts) == -1 && errno == ETIMEDOUT);
    return 0;
}
