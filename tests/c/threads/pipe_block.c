// CFLAGS: -pthread
// A thread blocks in read on a pipe while the main thread computes and then writes; the reader gets the data; another thread blocked in read ends when its pipe closes.
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int p[2], q[2];

static void *reader(void *arg)
{
    int fd = *(int *)arg;
    char buf[64] = {0};
    long total = 0;
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf - 1)) > 0)
        total += n;
    return (void *)total;
}

int main(void)
{
    pipe(p);
    pipe(q);
    pthread_t r1, r2;
    pthread_create(&r1, NULL, reader, &p[0]);
    pthread_create(&r2, NULL, reader, &q[0]);
    usleep(30000); /* both readers are blocked by now */
    volatile unsigned long x = 0;
    for (unsigned long i = 0; i < 5000000; i++)
        x += i;
    const char *msg = "hello from main\n";
    write(p[1], msg, strlen(msg));
    close(p[1]);
    void *got;
    pthread_join(r1, &got);
    printf("reader 1 got %ld bytes\n", (long)got);
    write(q[1], "xyz", 3);
    close(q[1]);
    pthread_join(r2, &got);
    printf("reader 2 got %ld bytes\n", (long)got);
    return 0;
}
