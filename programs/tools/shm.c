/* shm: POSIX shared memory objects for scripts.
 *   shm create NAME   new object (O_EXCL) holding a process-shared mutex,
 *                     condition variable and a text slot
 *   shm write NAME TEXT   puts TEXT in the slot and wakes the waiters
 *   shm wait NAME     waits until a text was written, then prints it
 *   shm read NAME     prints the text (empty line if none yet)
 *   shm unlink NAME
 * Exit status 1 when the object cannot be opened or created. */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

struct slot {
    pthread_mutex_t lock;
    pthread_cond_t written;
    int ready;
    char text[256];
};

static struct slot *open_slot(const char *name, int create)
{
    int fd = create ? shm_open(name, O_CREAT | O_EXCL | O_RDWR, 0600) : shm_open(name, O_RDWR, 0);
    if (fd < 0)
        return NULL;
    if (create && ftruncate(fd, sizeof(struct slot)) != 0)
        return NULL;
    struct slot *s = mmap(NULL, sizeof(struct slot), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (s == MAP_FAILED)
        return NULL;
    if (create) {
        pthread_mutexattr_t ma;
        pthread_mutexattr_init(&ma);
        pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
        pthread_mutex_init(&s->lock, &ma);
        pthread_condattr_t ca;
        pthread_condattr_init(&ca);
        pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED);
        pthread_cond_init(&s->written, &ca);
    }
    return s;
}

int main(int argc, char **argv)
{
    if (argc < 3 || (strcmp(argv[1], "write") == 0 && argc != 4)) {
        fprintf(stderr, "usage: shm create|write|wait|read|unlink NAME [TEXT]\n");
        return 2;
    }
    const char *cmd = argv[1], *name = argv[2];
    if (strcmp(cmd, "unlink") == 0)
        return shm_unlink(name) == 0 ? 0 : 1;
    struct slot *s = open_slot(name, strcmp(cmd, "create") == 0);
    if (!s) {
        fprintf(stderr, "shm: cannot open %s\n", name);
        return 1;
    }
    if (strcmp(cmd, "create") == 0)
        return 0;
    pthread_mutex_lock(&s->lock);
    if (strcmp(cmd, "write") == 0) {
        snprintf(s->text, sizeof s->text, "%s", argv[3]);
        s->ready = 1;
        pthread_cond_broadcast(&s->written);
    } else if (strcmp(cmd, "wait") == 0) {
        while (!s->ready)
            pthread_cond_wait(&s->written, &s->lock);
        printf("%s\n", s->text);
    } else if (strcmp(cmd, "read") == 0) {
        printf("%s\n", s->ready ? s->text : "");
    } else {
        pthread_mutex_unlock(&s->lock);
        fprintf(stderr, "shm: unknown command %s\n", cmd);
        return 2;
    }
    pthread_mutex_unlock(&s->lock);
    return 0;
}
