// CFLAGS: -pthread
// __thread variables (initialised and zero) are distinct per thread; errno is per thread; pthread_self differs.
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static __thread int initialised = 7;
static __thread long zeroed;
static __thread char buf[64];
static pthread_barrier_t bar;

static void *work(void *arg)
{
    long id = (long)arg;
    int ok = initialised == 7 && zeroed == 0 && buf[0] == 0;
    initialised = 100 + id;
    zeroed = id;
    snprintf(buf, sizeof buf, "thread %ld", id);
    errno = 1000 + id;
    pthread_barrier_wait(&bar); /* everyone has written theirs */
    ok = ok && initialised == 100 + id && zeroed == id && errno == 1000 + id;
    char want[64];
    snprintf(want, sizeof want, "thread %ld", id);
    for (int i = 0; want[i]; i++)
        if (buf[i] != want[i])
            ok = 0;
    return (void *)(long)ok;
}

int main(void)
{
    pthread_t t[4];
    pthread_barrier_init(&bar, NULL, 5);
    initialised = 1;
    for (long i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, work, (void *)i);
    errno = 0;
    pthread_barrier_wait(&bar);
    int all = 1;
    for (int i = 0; i < 4; i++) {
        void *r;
        pthread_join(t[i], &r);
        all = all && (long)r == 1;
        all = all && !pthread_equal(t[i], pthread_self());
    }
    printf("threads saw their own TLS: %d\n", all);
    printf("main's TLS untouched: %d %ld %d\n", initialised, zeroed, errno);
    return 0;
}
