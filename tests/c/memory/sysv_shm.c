// System V shared memory: shmget (IPC_PRIVATE and a key, IPC_CREAT/IPC_EXCL, ENOENT), shmat shared with a forked child and with an exec'd program that finds the key, a second attachment, SHM_RDONLY, IPC_STAT (size, mode, attach count), shmdt, IPC_RMID.
// SELF: self
#include "../common/errname.h"
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

static void stat_of(const char *label, int id)
{
    struct shmid_ds ds;
    int r = shmctl(id, IPC_STAT, &ds);
    printf("%s: IPC_STAT %d size %lu mode %o nattch %lu\n", label, r, (unsigned long)ds.shm_segsz, ds.shm_perm.mode & 0777, (unsigned long)ds.shm_nattch);
}

int main(int argc, char **argv)
{
    if (argc > 2) {
        key_t key = (key_t)atoi(argv[2]);
        int id = shmget(key, 0, 0);
        char *p = shmat(id, NULL, 0);
        if (p == (void *)-1)
            return 3;
        printf("exec'd program found the key: [%s]\n", p);
        strcpy(p + 100, "from exec");
        shmdt(p);
        return 0;
    }
    int id = shmget(IPC_PRIVATE, 10000, IPC_CREAT | 0600);
    printf("shmget IPC_PRIVATE ok=%d\n", id >= 0);
    stat_of("fresh", id);
    char *p = shmat(id, NULL, 0);
    printf("shmat ok=%d zero=%d\n", p != (void *)-1, p[0] == 0 && p[9999] == 0);
    stat_of("attached", id);
    strcpy(p, "parent");
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        strcpy(p + 50, "child");
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    printf("child's store seen: [%s]\n", p + 50);
    char *q = shmat(id, NULL, 0);
    printf("second attachment distinct=%d sees [%s]\n", q != p, q);
    stat_of("two attachments", id);
    char *ro = shmat(id, NULL, SHM_RDONLY);
    printf("read-only attachment sees [%s]\n", ro);
    SHOW("shmdt read-only", shmdt(ro));
    SHOW("shmdt second", shmdt(q));
    SHOW("shmdt not attached", shmdt(q));
    SHOW("shmdt unaligned", shmdt(p + 1));

    key_t key = 0x4c000000 | (getpid() & 0xffff);
    errno = 0;
    int r = shmget(key, 4096, 0600);
    int e = errno;
    printf("missing key: %d %s\n", r, errname(e));
    int kid = shmget(key, 4096, IPC_CREAT | IPC_EXCL | 0640);
    printf("create with key ok=%d\n", kid >= 0);
    errno = 0;
    r = shmget(key, 4096, IPC_CREAT | IPC_EXCL | 0640);
    e = errno;
    printf("again with IPC_EXCL: %d %s\n", r, errname(e));
    printf("lookup finds the same: %d\n", shmget(key, 0, 0) == kid);
    errno = 0;
    r = shmget(key, 8192, 0);
    e = errno;
    printf("larger than the segment: %d %s\n", r, errname(e));
    char *k = shmat(kid, NULL, 0);
    strcpy(k, "by key");
    char keystr[32];
    snprintf(keystr, sizeof keystr, "%d", (int)key);
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        execl("./self", "self", "attach", keystr, (char *)0);
        _exit(127);
    }
    waitpid(pid, &st, 0);
    printf("exec'd exit %d, its store: [%s]\n", WEXITSTATUS(st), k + 100);
    stat_of("key segment", kid);
    SHOW("IPC_RMID key", shmctl(kid, IPC_RMID, NULL));
    errno = 0;
    r = shmget(key, 0, 0);
    e = errno;
    printf("key after IPC_RMID: %d %s\n", r, errname(e));
    printf("still attached memory usable: [%s]\n", k);
    SHOW("shmdt key", shmdt(k));
    SHOW("shmdt first", shmdt(p));
    SHOW("IPC_RMID", shmctl(id, IPC_RMID, NULL));
    struct shmid_ds ds;
    SHOW("IPC_STAT after removal", shmctl(id, IPC_STAT, &ds));
    errno = 0;
    r = shmget(IPC_PRIVATE, 0, 0600);
    e = errno;
    printf("size 0: %d %s\n", r, errname(e));
    return 0;
}
