// CFLAGS: -pthread
// 4 threads x 100000 increments of a plain counter under a mutex; also a recursive and an error-checking mutex, and trylock.
#include <errno.h>
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *work(void *arg)
{
    (void)arg;
    for (int i = 0; i < 100000; i++) {
        pthread_mutex_lock(&lock);
        counter++;
        pthread_mutex_unlock(&lock);
    }
    return NULL;
}

int main(void)
{
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, work, NULL);
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    printf("counter=%ld\n", counter);

    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_t r;
    pthread_mutex_init(&r, &a);
    int r1 = pthread_mutex_lock(&r);
    int r2 = pthread_mutex_lock(&r);
    int r3 = pthread_mutex_unlock(&r);
    int r4 = pthread_mutex_unlock(&r);
    printf("recursive: %d %d %d %d\n", r1, r2, r3, r4);
    pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK);
    pthread_mutex_t e;
    pthread_mutex_init(&e, &a);
    pthread_mutex_lock(&e);
    printf("errorcheck relock is EDEADLK: %d\n", pthread_mutex_lock(&e) == EDEADLK);
    pthread_mutex_unlock(&e);
    printf("errorcheck unlock unowned is EPERM: %d\n", pthread_mutex_unlock(&e) == EPERM);
    pthread_mutex_lock(&lock);
    printf("trylock busy: %d\n", pthread_mutex_trylock(&lock) == EBUSY);
    pthread_mutex_unlock(&lock);
    printf("trylock free: %d\n", pthread_mutex_trylock(&lock));
    pthread_mutex_unlock(&lock);
    return 0;
}
