// memfd seals: F_GET_SEALS/F_ADD_SEALS with MFD_ALLOW_SEALING and without, SHRINK/GROW on ftruncate and write, WRITE (EBUSY while mapped writable, then write/mmap refused, read-only and private mappings allowed, mprotect EACCES), FUTURE_WRITE keeping an old mapping writable, SEAL, bad bits, a read-only open, a forked child, tmpfs and regular files.
#define _GNU_SOURCE
#include "../common/errname.h"
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static long long size_of(int fd)
{
    struct stat st;
    fstat(fd, &st);
    return (long long)st.st_size;
}

int main(void)
{
    int plain = memfd_create("plain", 0);
    SHOW("no ALLOW_SEALING: F_GET_SEALS", fcntl(plain, F_GET_SEALS));
    SHOW("no ALLOW_SEALING: F_ADD_SEALS", fcntl(plain, F_ADD_SEALS, F_SEAL_WRITE));

    int fd = memfd_create("sealed", MFD_ALLOW_SEALING);
    SHOW("F_GET_SEALS fresh", fcntl(fd, F_GET_SEALS));
    SHOW("ftruncate 8192", ftruncate(fd, 8192));
    SHOW("pwrite", pwrite(fd, "original", 8, 0));
    SHOW("unknown seal bit", fcntl(fd, F_ADD_SEALS, 0x100));

    /* A read-only open of the same file may not add seals. */
    char path[32];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    int ro = open(path, O_RDONLY);
    SHOW("F_ADD_SEALS on a read-only open", fcntl(ro, F_ADD_SEALS, F_SEAL_GROW));
    SHOW("F_GET_SEALS on a read-only open", fcntl(ro, F_GET_SEALS));

    SHOW("add SHRINK", fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK));
    SHOW("shrink", ftruncate(fd, 4096));
    SHOW("grow", ftruncate(fd, 12288));
    printf("size %lld\n", size_of(fd));
    SHOW("add GROW", fcntl(fd, F_ADD_SEALS, F_SEAL_GROW));
    SHOW("grow sealed", ftruncate(fd, 16384));
    SHOW("same size", ftruncate(fd, 12288));
    SHOW("pwrite past the end", pwrite(fd, "x", 1, 12288));
    SHOW("pwrite inside", pwrite(fd, "inside", 6, 100));
    printf("size %lld\n", size_of(fd));

    char *rw = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    printf("writable shared mapping ok=%d\n", rw != MAP_FAILED);
    SHOW("add WRITE while mapped writable", fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
    munmap(rw, 4096);
    SHOW("add WRITE after munmap", fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
    SHOW("F_GET_SEALS", fcntl(fd, F_GET_SEALS));
    SHOW("write sealed", pwrite(fd, "changed", 7, 0));
    errno = 0;
    void *w = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    printf("writable shared mapping of a sealed memfd: failed=%d %s\n", w == MAP_FAILED, errname(errno));
    char *r = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
    printf("read-only shared mapping ok=%d sees [%.8s]\n", r != MAP_FAILED, r);
    SHOW("mprotect it writable", mprotect(r, 4096, PROT_READ | PROT_WRITE));
    char *priv = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    printf("private writable mapping ok=%d\n", priv != MAP_FAILED);
    memcpy(priv, "private!", 8);
    char buf[9] = {0};
    pread(fd, buf, 8, 0);
    printf("file keeps [%s], private copy [%.8s]\n", buf, priv);

    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        int e = pwrite(fd, "child", 5, 0) < 0 ? errno : 0;
        int seals = fcntl(fd, F_GET_SEALS);
        _exit(e == EPERM && seals == (F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) ? 0 : 1);
    }
    int status;
    waitpid(pid, &status, 0);
    printf("child sees the seals: %d\n", WIFEXITED(status) && WEXITSTATUS(status) == 0);

    SHOW("add SEAL", fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL));
    SHOW("add after SEAL", fcntl(fd, F_ADD_SEALS, F_SEAL_FUTURE_WRITE));
    SHOW("add nothing after SEAL", fcntl(fd, F_ADD_SEALS, 0));
    SHOW("F_GET_SEALS final", fcntl(fd, F_GET_SEALS));

    /* FUTURE_WRITE: a mapping made before stays writable, nothing new may write. */
    int fut = memfd_create("future", MFD_ALLOW_SEALING);
    ftruncate(fut, 4096);
    char *old = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fut, 0);
    SHOW("add FUTURE_WRITE while mapped", fcntl(fut, F_ADD_SEALS, F_SEAL_FUTURE_WRITE));
    memcpy(old, "via old mapping", 15);
    char fbuf[16] = {0};
    pread(fut, fbuf, 15, 0);
    printf("old mapping still writes: [%s]\n", fbuf);
    SHOW("write after FUTURE_WRITE", pwrite(fut, "x", 1, 0));
    errno = 0;
    w = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fut, 0);
    printf("new writable shared mapping: failed=%d %s\n", w == MAP_FAILED, errname(errno));

    /* Files that are not memfds. */
    int reg = open("regular", O_RDWR | O_CREAT, 0600);
    SHOW("regular file F_GET_SEALS", fcntl(reg, F_GET_SEALS));
    SHOW("regular file F_ADD_SEALS", fcntl(reg, F_ADD_SEALS, F_SEAL_WRITE));
    int shm = shm_open("/lind-seals-test", O_RDWR | O_CREAT, 0600);
    SHOW("tmpfs file F_GET_SEALS", fcntl(shm, F_GET_SEALS));
    SHOW("tmpfs file F_ADD_SEALS", fcntl(shm, F_ADD_SEALS, F_SEAL_WRITE));
    shm_unlink("/lind-seals-test");
    SHOW("pipe F_GET_SEALS", ({ int p[2]; pipe(p); fcntl(p[0], F_GET_SEALS); }));
    return 0;
}
