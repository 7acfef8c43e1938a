// CFLAGS: -pthread
// pthread_key_create destructors run at thread exit (pthread_exit and return), per thread, with the thread's value.
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

static pthread_key_t key;
static atomic_long destroyed;

static void destructor(void *p)
{
    atomic_fetch_add(&destroyed, *(long *)p);
    free(p);
}

static void *work(void *arg)
{
    long *v = malloc(sizeof *v);
    *v = (long)arg;
    pthread_setspecific(key, v);
    if (pthread_getspecific(key) != v)
        return (void *)1;
    if ((long)arg % 2)
        pthread_exit(NULL);
    return NULL;
}

int main(void)
{
    pthread_key_create(&key, destructor);
    pthread_setspecific(key, NULL);
    pthread_t t[6];
    for (long i = 0; i < 6; i++)
        pthread_create(&t[i], NULL, work, (void *)(i + 1));
    int bad = 0;
    for (int i = 0; i < 6; i++) {
        void *r;
        pthread_join(t[i], &r);
        bad += r != NULL;
    }
    printf("destructor sum=%ld bad=%d main value null=%d\n", atomic_load(&destroyed), bad,
           pthread_getspecific(key) == NULL);
    pthread_key_delete(key);
    return 0;
}
