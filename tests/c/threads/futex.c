// CFLAGS: -pthread
// Raw futex(2): EAGAIN on a changed word, ETIMEDOUT after a relative timeout, WAKE returns the number woken, EFAULT and EINVAL on bad words, bitsets.
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* From <linux/futex.h>, which musl does not ship. */
#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_WAIT_BITSET 9
#define FUTEX_WAKE_BITSET 10
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_WAIT_PRIVATE (FUTEX_WAIT | FUTEX_PRIVATE_FLAG)

static long futex(void *addr, int op, unsigned val, const struct timespec *ts, void *addr2, unsigned val3)
{
    return syscall(SYS_futex, addr, op, val, ts, addr2, val3);
}

static _Atomic unsigned word;
static atomic_int woken;

static void *waiter(void *arg)
{
    unsigned bits = (unsigned)(long)arg;
    long r = futex(&word, FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG, 0, NULL, NULL, bits);
    if (r == 0)
        atomic_fetch_add(&woken, 1);
    return NULL;
}

static int waiting(void)
{
    /* Wake nobody (bitset matches no waiter) just to give them time. */
    usleep(50000);
    return 0;
}

int main(void)
{
    word = 1;
    long r = futex(&word, FUTEX_WAIT, 0, NULL, NULL, 0);
    printf("changed word: %ld %s\n", r, errno == EAGAIN ? "EAGAIN" : "other");
    struct timespec ts = {0, 20 * 1000 * 1000};
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    r = futex(&word, FUTEX_WAIT_PRIVATE, 1, &ts, NULL, 0);
    clock_gettime(CLOCK_MONOTONIC, &b);
    long ms = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
    printf("timeout: %ld %s waited>=20ms: %d\n", r, errno == ETIMEDOUT ? "ETIMEDOUT" : "other", ms >= 20);
    printf("wake nobody: %ld\n", futex(&word, FUTEX_WAKE, 10, NULL, NULL, 0));
    r = futex((void *)16, FUTEX_WAIT, 0, NULL, NULL, 0);
    printf("bad address: %ld %s\n", r, errno == EFAULT ? "EFAULT" : "other");
    r = futex((char *)&word + 1, FUTEX_WAIT, 0, NULL, NULL, 0);
    printf("unaligned: %ld %s\n", r, errno == EINVAL ? "EINVAL" : "other");

    word = 0;
    pthread_t t[3];
    pthread_create(&t[0], NULL, waiter, (void *)1L);
    pthread_create(&t[1], NULL, waiter, (void *)2L);
    pthread_create(&t[2], NULL, waiter, (void *)2L);
    waiting();
    printf("wake bitset 1: %ld\n", futex(&word, FUTEX_WAKE_BITSET | FUTEX_PRIVATE_FLAG, 10, NULL, NULL, 1));
    printf("wake bitset 2, max 1: %ld\n", futex(&word, FUTEX_WAKE_BITSET | FUTEX_PRIVATE_FLAG, 1, NULL, NULL, 2));
    printf("wake rest: %ld\n", futex(&word, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 10, NULL, NULL, 0));
    for (int i = 0; i < 3; i++)
        pthread_join(t[i], NULL);
    printf("woken=%d\n", atomic_load(&woken));
    return 0;
}
