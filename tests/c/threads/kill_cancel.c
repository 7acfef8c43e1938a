// CFLAGS: -pthread
// pthread_kill runs the handler in the target thread (it sees its own TLS); deferred pthread_cancel of a thread blocked in read, of one in a pthread_testcancel loop, and with cleanup handlers; PTHREAD_CANCELED from join.
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

static __thread int who;
static atomic_int handled_by = -1;
static atomic_int ready;
static int p[2];

static void on_usr1(int sig)
{
    (void)sig;
    atomic_store(&handled_by, who);
}

static void *sleeper(void *arg)
{
    who = (int)(long)arg;
    atomic_fetch_add(&ready, 1);
    while (atomic_load(&handled_by) < 0)
        usleep(1000);
    return NULL;
}

static atomic_int cleaned;
static void cleanup(void *arg) { atomic_fetch_add(&cleaned, (int)(long)arg); }

static void *blocked_reader(void *arg)
{
    (void)arg;
    char c;
    pthread_cleanup_push(cleanup, (void *)10);
    atomic_fetch_add(&ready, 1);
    read(p[0], &c, 1);
    pthread_cleanup_pop(0);
    return (void *)1;
}

static void *spinner(void *arg)
{
    (void)arg;
    pthread_cleanup_push(cleanup, (void *)1);
    atomic_fetch_add(&ready, 1);
    for (;;)
        pthread_testcancel();
    pthread_cleanup_pop(0);
    return NULL;
}

static void wait_ready(int n)
{
    while (atomic_load(&ready) < n)
        usleep(1000);
}

int main(void)
{
    signal(SIGUSR1, on_usr1);
    who = 0;
    pthread_t a, b;
    pthread_create(&a, NULL, sleeper, (void *)1L);
    pthread_create(&b, NULL, sleeper, (void *)2L);
    wait_ready(2);
    pthread_kill(b, SIGUSR1);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    printf("SIGUSR1 handled by thread %d\n", atomic_load(&handled_by));

    pipe(p);
    atomic_store(&ready, 0);
    pthread_t r, s;
    pthread_create(&r, NULL, blocked_reader, NULL);
    pthread_create(&s, NULL, spinner, NULL);
    wait_ready(2);
    usleep(20000); /* the reader is blocked in read by now */
    pthread_cancel(r);
    pthread_cancel(s);
    void *rv, *sv;
    pthread_join(r, &rv);
    pthread_join(s, &sv);
    printf("reader canceled: %d, spinner canceled: %d, cleanups: %d\n", rv == PTHREAD_CANCELED,
           sv == PTHREAD_CANCELED, atomic_load(&cleaned));
    return 0;
}
