// execve from a thread while the main thread computes without system
// calls (and the program installs no signal handler): the computing
// thread is ended and the new image runs with the same pid.
// SELF: self
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile unsigned long counter;
static char pid_arg[16];

static void *execer(void *arg)
{
    (void)arg;
    while (counter < 1000) {
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
    }
    execl("./self", "self", "new-image", pid_arg, (char *)NULL);
    printf("exec failed\n");
    exit(1);
}

int main(int argc, char **argv)
{
    if (argc > 2 && strcmp(argv[1], "new-image") == 0) {
        printf("new image, same pid: %d\n", atoi(argv[2]) == getpid());
        return 3;
    }
    snprintf(pid_arg, sizeof pid_arg, "%d", getpid());
    printf("computing\n");
    fflush(stdout);
    pthread_t t;
    pthread_create(&t, NULL, execer, NULL);
    for (;;)
        counter++;
}
