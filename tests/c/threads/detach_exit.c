// CFLAGS: -pthread
// EXIT: 5
// Detached threads run to completion; pthread_exit with a value is what pthread_join returns; the main thread may pthread_exit while another thread finishes the process.
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static sem_t done;

static void *detached(void *arg)
{
    (void)arg;
    sem_post(&done);
    return NULL;
}

static void *exits(void *arg)
{
    pthread_exit((void *)((long)arg + 40));
    return NULL;
}

static void *last(void *arg)
{
    (void)arg;
    usleep(20000);
    printf("last thread ends the process\n");
    fflush(stdout);
    exit(5);
}

int main(void)
{
    sem_init(&done, 0, 0);
    pthread_attr_t a;
    pthread_attr_init(&a);
    pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
    for (int i = 0; i < 10; i++) {
        pthread_t t;
        pthread_create(&t, &a, detached, NULL);
    }
    pthread_t t2;
    pthread_create(&t2, NULL, detached, NULL);
    pthread_detach(t2);
    for (int i = 0; i < 11; i++)
        sem_wait(&done);
    printf("11 detached threads ran\n");
    pthread_t e;
    void *r;
    pthread_create(&e, NULL, exits, (void *)2);
    pthread_join(e, &r);
    printf("pthread_exit value %ld\n", (long)r);
    pthread_t l;
    pthread_create(&l, NULL, last, NULL);
    fflush(stdout);
    pthread_exit(NULL);
}
