// A process-shared mutex and condition variable in a shm_open object, used by a parent and an exec'd program that maps the object at another address: the condvar wakes across them both ways, and 2x3000 contended increments under the mutex lose nothing; the same through a memfd inherited across exec and a System V segment attached by a forked child at another address.
// SELF: self
// CFLAGS: -pthread
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

#define ROUNDS 3000

struct shared {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int stage;
    int value;
    long counter;
};

static void init(struct shared *s)
{
    pthread_mutexattr_t ma;
    pthread_mutexattr_init(&ma);
    pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
    pthread_mutex_init(&s->lock, &ma);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED);
    pthread_cond_init(&s->cond, &ca);
    s->stage = 0;
    s->value = 0;
    s->counter = 0;
}

/* Announces itself (stage 1), waits for the go (stage 2), then races the
 * other side on the counter. */
static void other_side(struct shared *s)
{
    pthread_mutex_lock(&s->lock);
    s->value = 42;
    s->stage = 1;
    pthread_cond_broadcast(&s->cond);
    while (s->stage != 2)
        pthread_cond_wait(&s->cond, &s->lock);
    pthread_mutex_unlock(&s->lock);
    for (int i = 0; i < ROUNDS; i++) {
        pthread_mutex_lock(&s->lock);
        s->counter++;
        pthread_mutex_unlock(&s->lock);
    }
}

/* The parent's half; `child` is the other side's pid. */
static void this_side(const char *what, struct shared *s, pid_t child)
{
    pthread_mutex_lock(&s->lock);
    while (s->stage != 1)
        pthread_cond_wait(&s->cond, &s->lock);
    int value = s->value;
    s->stage = 2;
    pthread_cond_broadcast(&s->cond);
    pthread_mutex_unlock(&s->lock);
    for (int i = 0; i < ROUNDS; i++) {
        pthread_mutex_lock(&s->lock);
        s->counter++;
        pthread_mutex_unlock(&s->lock);
    }
    int st;
    waitpid(child, &st, 0);
    printf("%s: other side said %d, counter %ld, its exit %d\n", what, value, s->counter, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

/* Maps `fd` somewhere else than the parent did (a page in front). */
static struct shared *map_elsewhere(int fd)
{
    void *pad = mmap(NULL, 3 * 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    (void)pad;
    void *p = mmap(NULL, sizeof(struct shared), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    return p == MAP_FAILED ? NULL : p;
}

int main(int argc, char **argv)
{
    if (argc > 2) {
        int fd = strcmp(argv[1], "shm") == 0 ? shm_open(argv[2], O_RDWR, 0) : atoi(argv[2]);
        struct shared *s = fd < 0 ? NULL : map_elsewhere(fd);
        if (!s)
            return 3;
        other_side(s);
        return 0;
    }

    char name[64];
    snprintf(name, sizeof name, "/lind-pshared-%d", (int)getpid());
    int fd = shm_open(name, O_CREAT | O_EXCL | O_RDWR, 0600);
    ftruncate(fd, sizeof(struct shared));
    struct shared *s = mmap(NULL, sizeof *s, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    init(s);
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        execl("./self", "self", "shm", name, (char *)NULL);
        _exit(30);
    }
    this_side("shm_open, exec'd program", s, c);
    shm_unlink(name);
    munmap(s, sizeof *s);
    close(fd);

    /* A memfd: its descriptor survives exec. */
    int mfd = memfd_create("pshared", 0);
    ftruncate(mfd, sizeof(struct shared));
    s = mmap(NULL, sizeof *s, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
    init(s);
    char num[16];
    snprintf(num, sizeof num, "%d", mfd);
    c = fork();
    if (c == 0) {
        execl("./self", "self", "fd", num, (char *)NULL);
        _exit(30);
    }
    this_side("memfd, exec'd program", s, c);
    munmap(s, sizeof *s);
    close(mfd);

    /* A System V segment: the child detaches and attaches it again,
     * elsewhere. */
    int id = shmget(IPC_PRIVATE, sizeof(struct shared), IPC_CREAT | 0600);
    s = shmat(id, NULL, 0);
    init(s);
    c = fork();
    if (c == 0) {
        shmdt(s);
        void *pad = mmap(NULL, 5 * 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        (void)pad;
        struct shared *t = shmat(id, NULL, 0);
        if (t == (void *)-1)
            _exit(3);
        other_side(t);
        _exit(0);
    }
    this_side("System V, forked child", s, c);
    shmdt(s);
    shmctl(id, IPC_RMID, NULL);
    return 0;
}
