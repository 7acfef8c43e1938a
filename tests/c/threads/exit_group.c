// CFLAGS: -pthread
// EXIT: 7
// exit() from a thread ends the whole process while other threads compute, block in read, and sleep.
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static int p[2];

static void *spin(void *arg)
{
    (void)arg;
    volatile unsigned long x = 0;
    for (;;)
        x++;
    return NULL;
}

static void *block(void *arg)
{
    (void)arg;
    char c;
    read(p[0], &c, 1);
    printf("never\n");
    return NULL;
}

static void *ender(void *arg)
{
    (void)arg;
    usleep(50000);
    printf("ender calls exit(7)\n");
    fflush(stdout);
    exit(7);
}

int main(void)
{
    pipe(p);
    pthread_t a, b, c;
    pthread_create(&a, NULL, spin, NULL);
    pthread_create(&b, NULL, block, NULL);
    pthread_create(&c, NULL, ender, NULL);
    pthread_join(b, NULL);
    printf("never either\n");
    return 0;
}
