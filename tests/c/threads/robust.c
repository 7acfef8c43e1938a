// Robust mutexes: an owner thread that ends (pthread_exit, or returning
// from its start function) while holding one makes the next locker get
// EOWNERDEAD; pthread_mutex_consistent makes it usable again; unlocking it
// without that leaves it ENOTRECOVERABLE for good. A waiter blocked on it
// when the owner ends is woken with EOWNERDEAD.
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "../common/errname.h"

static pthread_mutex_t m;
static pthread_barrier_t locked;
static int use_exit;

static void *hold_and_end(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&m);
    pthread_barrier_wait(&locked);
    if (use_exit)
        pthread_exit(0);
    return 0;
}

static void init_robust(void)
{
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    int r = pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    int robust = -1;
    pthread_mutexattr_getrobust(&a, &robust);
    printf("setrobust %s, robust %d\n", errname(r), robust == PTHREAD_MUTEX_ROBUST);
    pthread_mutex_init(&m, &a);
    pthread_mutexattr_destroy(&a);
}

static void owner_ends(const char *how)
{
    pthread_t t;
    pthread_create(&t, 0, hold_and_end, 0);
    pthread_barrier_wait(&locked);
    pthread_join(t, 0);
    int r = pthread_mutex_trylock(&m);
    printf("%s: trylock after the owner ended: %s\n", how, errname(r));
}

static void *blocked_locker(void *arg)
{
    (void)arg;
    int r = pthread_mutex_lock(&m);
    if (r == EOWNERDEAD)
        pthread_mutex_consistent(&m);
    pthread_mutex_unlock(&m);
    return (void *)(long)r;
}

int main(void)
{
    pthread_barrier_init(&locked, 0, 2);
    init_robust();

    use_exit = 1;
    owner_ends("pthread_exit");
    int r = pthread_mutex_consistent(&m);
    printf("consistent: %s\n", errname(r));
    r = pthread_mutex_unlock(&m);
    printf("unlock: %s\n", errname(r));
    r = pthread_mutex_lock(&m);
    printf("lock again: %s\n", errname(r));
    r = pthread_mutex_consistent(&m);
    printf("consistent on a consistent mutex: %s\n", errname(r));
    pthread_mutex_unlock(&m);

    use_exit = 0;
    owner_ends("return");
    // Unlocked without pthread_mutex_consistent: unusable from now on.
    r = pthread_mutex_unlock(&m);
    printf("unlock without consistent: %s\n", errname(r));
    r = pthread_mutex_lock(&m);
    printf("lock: %s\n", errname(r));
    r = pthread_mutex_trylock(&m);
    printf("trylock: %s\n", errname(r));
    pthread_mutex_destroy(&m);

    // A thread blocked in pthread_mutex_lock when the owner ends.
    init_robust();
    pthread_mutex_lock(&m);
    pthread_t waiter, owner;
    pthread_create(&waiter, 0, blocked_locker, 0);
    usleep(50000); // let it block (either order gives the same answer)
    pthread_mutex_unlock(&m);
    void *wr;
    pthread_join(waiter, &wr);
    printf("waiter after a normal unlock: %s\n", errname((int)(long)wr));
    use_exit = 1;
    pthread_create(&owner, 0, hold_and_end, 0);
    pthread_barrier_wait(&locked);
    pthread_create(&waiter, 0, blocked_locker, 0);
    usleep(50000);
    pthread_join(owner, 0);
    pthread_join(waiter, &wr);
    printf("waiter when the owner ended: %s\n", errname((int)(long)wr));
    r = pthread_mutex_trylock(&m);
    printf("trylock after it made it consistent: %s\n", errname(r));
    pthread_mutex_unlock(&m);
    return 0;
}
