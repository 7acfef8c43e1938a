// MAP_SHARED anonymous memory stays shared across fork (8 children each
// fill their slot; a grandchild too; writes after the fork travel both
// ways), MAP_PRIVATE memory stays private, and unmapping in a child
// leaves the parent's mapping alone.
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define KIDS 8

static void wait_all(void)
{
    int st;
    while (wait(&st) > 0) {
    }
}

int main(void)
{
    long page = sysconf(_SC_PAGESIZE);
    int *shared = mmap(0, 16 * page, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    int *private = mmap(0, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (shared == MAP_FAILED || private == MAP_FAILED)
        return 1;
    printf("starts zeroed: %d\n", shared[0] == 0 && shared[page / sizeof(int)] == 0);

    for (int k = 0; k < KIDS; k++) {
        fflush(stdout);
        if (fork() == 0) {
            for (int i = 0; i < 1000; i++)
                shared[k * 1000 + i] = k + 1;
            private[k] = 99;
            _exit(0);
        }
    }
    wait_all();
    long sum = 0;
    int private_seen = 0;
    for (int i = 0; i < KIDS * 1000; i++)
        sum += shared[i];
    for (int k = 0; k < KIDS; k++)
        private_seen |= private[k] == 99;
    printf("children's writes seen: sum %ld (want %d)\n", sum, 1000 * (1 + 2 + 3 + 4 + 5 + 6 + 7 + 8));
    printf("private writes seen: %d\n", private_seen);

    // A grandchild writes; the parent writes after the fork and the child sees it.
    int go[2], done[2];
    pipe(go);
    pipe(done);
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        if (fork() == 0) {
            shared[10000] = 4242;
            _exit(0);
        }
        wait_all();
        char c;
        read(go[0], &c, 1);
        int seen = shared[10001] == 777;
        munmap(shared, 16 * page); // only the child's mapping goes
        write(done[1], &seen, sizeof seen);
        _exit(0);
    }
    shared[10001] = 777;
    write(go[1], "g", 1);
    int seen = 0;
    read(done[0], &seen, sizeof seen);
    wait_all();
    printf("grandchild's write seen: %d\n", shared[10000] == 4242);
    printf("parent's later write seen by the child: %d\n", seen);
    printf("still mapped after the child's munmap: %d\n", shared[10001] == 777);

    // A second fork generation after the first froze the memory.
    fflush(stdout);
    if (fork() == 0) {
        shared[2] = -5;
        _exit(0);
    }
    wait_all();
    printf("after another fork: %d\n", shared[2] == -5);
    return 0;
}
