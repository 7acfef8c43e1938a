// Recursive and error-checking mutexes: recursive ones count their locks
// (trylock too) and another thread cannot take them until the last unlock;
// error-checking ones refuse a second lock by the owner (EDEADLK) and an
// unlock by a thread that does not own them (EPERM), as recursive ones do.
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include "../common/errname.h"

static pthread_mutex_t rec, chk;

static void *other(void *arg)
{
    pthread_mutex_t *m = arg;
    int r1 = pthread_mutex_trylock(m);
    int r2 = pthread_mutex_unlock(m);
    return (void *)(long)(r1 * 1000 + r2);
}

static void from_other(const char *what, pthread_mutex_t *m)
{
    pthread_t t;
    void *r;
    pthread_create(&t, 0, other, m);
    pthread_join(t, &r);
    long v = (long)r;
    printf("%s: other thread trylock %s, unlock %s\n", what, errname((int)(v / 1000)),
           errname((int)(v % 1000)));
}

static void init(pthread_mutex_t *m, int type)
{
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_settype(&a, type);
    int got = -1;
    pthread_mutexattr_gettype(&a, &got);
    printf("type set %d\n", got == type);
    pthread_mutex_init(m, &a);
    pthread_mutexattr_destroy(&a);
}

int main(void)
{
    init(&rec, PTHREAD_MUTEX_RECURSIVE);
    int r = pthread_mutex_lock(&rec);
    printf("recursive lock 1: %s\n", errname(r));
    r = pthread_mutex_lock(&rec);
    printf("recursive lock 2: %s\n", errname(r));
    r = pthread_mutex_trylock(&rec);
    printf("recursive trylock 3: %s\n", errname(r));
    from_other("recursive, held 3 times", &rec);
    pthread_mutex_unlock(&rec);
    pthread_mutex_unlock(&rec);
    from_other("recursive, held once", &rec);
    r = pthread_mutex_unlock(&rec);
    printf("recursive last unlock: %s\n", errname(r));
    r = pthread_mutex_unlock(&rec);
    printf("recursive unlock when unlocked: %s\n", errname(r));
    from_other("recursive, free", &rec);

    init(&chk, PTHREAD_MUTEX_ERRORCHECK);
    r = pthread_mutex_lock(&chk);
    printf("errorcheck lock: %s\n", errname(r));
    r = pthread_mutex_lock(&chk);
    printf("errorcheck relock: %s\n", errname(r));
    r = pthread_mutex_trylock(&chk);
    printf("errorcheck trylock when held: %s\n", errname(r));
    from_other("errorcheck, held", &chk);
    r = pthread_mutex_unlock(&chk);
    printf("errorcheck unlock: %s\n", errname(r));
    r = pthread_mutex_unlock(&chk);
    printf("errorcheck unlock when unlocked: %s\n", errname(r));
    from_other("errorcheck, free", &chk);
    return 0;
}
