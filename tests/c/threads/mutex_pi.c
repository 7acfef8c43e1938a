// Priority-inheritance mutexes (PTHREAD_PRIO_INHERIT, futex LOCK_PI/UNLOCK_PI/TRYLOCK_PI): the attribute is accepted, counting under contention is exact, trylock and timedlock see another owner, error-checking and recursive kinds, a condition variable, and a robust PI mutex whose owner exits is EOWNERDEAD for the next locker.
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define THREADS 4
#define ROUNDS 20000

static pthread_mutex_t counted;
static long counter;

static void make(pthread_mutex_t *m, int kind, int robust)
{
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_settype(&a, kind);
    int r = pthread_mutexattr_setprotocol(&a, PTHREAD_PRIO_INHERIT);
    if (r) printf("setprotocol: %s\n", r == ENOTSUP ? "ENOTSUP" : "error");
    if (robust) pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    pthread_mutex_init(m, &a);
    pthread_mutexattr_destroy(&a);
}

static void *count(void *arg)
{
    (void)arg;
    for (int i = 0; i < ROUNDS; i++) {
        pthread_mutex_lock(&counted);
        long v = counter;
        if (i % 1000 == 0) sched_yield();
        counter = v + 1;
        pthread_mutex_unlock(&counted);
    }
    return NULL;
}

static pthread_mutex_t held;
static int hold_ready, hold_release;
static pthread_mutex_t flag_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t flag_cond = PTHREAD_COND_INITIALIZER;

static void set_flag(int *flag)
{
    pthread_mutex_lock(&flag_lock);
    *flag = 1;
    pthread_cond_broadcast(&flag_cond);
    pthread_mutex_unlock(&flag_lock);
}

static void wait_flag(int *flag)
{
    pthread_mutex_lock(&flag_lock);
    while (!*flag) pthread_cond_wait(&flag_cond, &flag_lock);
    pthread_mutex_unlock(&flag_lock);
}

static void *holder(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&held);
    set_flag(&hold_ready);
    wait_flag(&hold_release);
    pthread_mutex_unlock(&held);
    return NULL;
}

static pthread_mutex_t robust;
static void *die_holding(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&robust);
    return NULL; /* exits with the mutex held */
}

static pthread_mutex_t cv_mutex;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int cv_value;
static void *signaller(void *arg)
{
    (void)arg;
    for (int i = 1; i <= 100; i++) {
        pthread_mutex_lock(&cv_mutex);
        while (cv_value != 2 * i - 2) pthread_cond_wait(&cv, &cv_mutex);
        cv_value++;
        pthread_cond_signal(&cv);
        pthread_mutex_unlock(&cv_mutex);
    }
    return NULL;
}

int main(void)
{
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    printf("setprotocol INHERIT: %d\n", pthread_mutexattr_setprotocol(&a, PTHREAD_PRIO_INHERIT));
    int proto = -1;
    pthread_mutexattr_getprotocol(&a, &proto);
    printf("getprotocol is INHERIT: %d\n", proto == PTHREAD_PRIO_INHERIT);

    make(&counted, PTHREAD_MUTEX_NORMAL, 0);
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++) pthread_create(&t[i], NULL, count, NULL);
    for (int i = 0; i < THREADS; i++) pthread_join(t[i], NULL);
    printf("counter %ld (want %d)\n", counter, THREADS * ROUNDS);

    make(&held, PTHREAD_MUTEX_NORMAL, 0);
    pthread_t h;
    pthread_create(&h, NULL, holder, NULL);
    wait_flag(&hold_ready);
    printf("trylock held elsewhere: %s\n", pthread_mutex_trylock(&held) == EBUSY ? "EBUSY" : "other");
    struct timespec at;
    clock_gettime(CLOCK_REALTIME, &at);
    at.tv_nsec += 50 * 1000 * 1000;
    if (at.tv_nsec >= 1000000000) { at.tv_sec++; at.tv_nsec -= 1000000000; }
    printf("timedlock held elsewhere: %s\n", pthread_mutex_timedlock(&held, &at) == ETIMEDOUT ? "ETIMEDOUT" : "other");
    set_flag(&hold_release);
    printf("lock after release: %d\n", pthread_mutex_lock(&held));
    pthread_join(h, NULL);
    printf("unlock: %d\n", pthread_mutex_unlock(&held));

    pthread_mutex_t check;
    make(&check, PTHREAD_MUTEX_ERRORCHECK, 0);
    pthread_mutex_lock(&check);
    printf("errorcheck relock: %s\n", pthread_mutex_lock(&check) == EDEADLK ? "EDEADLK" : "other");
    pthread_mutex_unlock(&check);
    printf("errorcheck unlock unlocked: %s\n", pthread_mutex_unlock(&check) == EPERM ? "EPERM" : "other");

    pthread_mutex_t rec;
    make(&rec, PTHREAD_MUTEX_RECURSIVE, 0);
    int r1 = pthread_mutex_lock(&rec), r2 = pthread_mutex_lock(&rec), r3 = pthread_mutex_trylock(&rec);
    int u1 = pthread_mutex_unlock(&rec), u2 = pthread_mutex_unlock(&rec), u3 = pthread_mutex_unlock(&rec);
    int u4 = pthread_mutex_unlock(&rec);
    printf("recursive: %d %d %d / %d %d %d then %s\n", r1, r2, r3, u1, u2, u3, u4 == EPERM ? "EPERM" : "other");

    make(&cv_mutex, PTHREAD_MUTEX_NORMAL, 0);
    pthread_t s;
    pthread_create(&s, NULL, signaller, NULL);
    for (int i = 1; i <= 100; i++) {
        pthread_mutex_lock(&cv_mutex);
        while (cv_value != 2 * i - 1) pthread_cond_wait(&cv, &cv_mutex);
        cv_value++;
        pthread_cond_signal(&cv);
        pthread_mutex_unlock(&cv_mutex);
    }
    pthread_join(s, NULL);
    printf("condvar ping-pong reached %d\n", cv_value);

    make(&robust, PTHREAD_MUTEX_NORMAL, 1);
    pthread_t d;
    pthread_create(&d, NULL, die_holding, NULL);
    pthread_join(d, NULL);
    int e = pthread_mutex_lock(&robust);
    printf("robust after owner exit: %s\n", e == EOWNERDEAD ? "EOWNERDEAD" : e ? "error" : "0");
    printf("consistent: %d\n", pthread_mutex_consistent(&robust));
    printf("unlock: %d\n", pthread_mutex_unlock(&robust));
    printf("lock again: %d\n", pthread_mutex_lock(&robust));
    pthread_mutex_unlock(&robust);
    return 0;
}
