// MAP_SHARED file mappings: writes reach the file (read() sees them), write() is seen through the mapping, a forked child and an exec'd program mapping the same file share the pages, msync flags, contents persist after munmap; MAP_PRIVATE writes stay private.
// SELF: self
#include "../common/errname.h"
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define LEN 8192

static int other_program(void)
{
    int fd = open("f", O_RDWR);
    char *p = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED)
        return 2;
    printf("exec'd program sees [%.5s] %c %c\n", p, p[5000], p[10]);
    memcpy(p + 200, "FROMEXEC", 8);
    munmap(p, LEN);
    close(fd);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1)
        return other_program();
    int fd = open("f", O_CREAT | O_RDWR | O_TRUNC, 0644);
    char buf[LEN];
    memset(buf, 'a', sizeof buf);
    write(fd, buf, sizeof buf);
    char *p = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    printf("mmap shared ok=%d\n", p != MAP_FAILED);
    memcpy(p, "HELLO", 5);
    p[5000] = 'Z';
    char got[6] = {0};
    pread(fd, got, 5, 0);
    printf("read() sees the store: [%s]\n", got);
    pread(fd, got, 1, 5000);
    printf("read() at 5000: %c\n", got[0]);
    pwrite(fd, "xyz", 3, 100);
    printf("mapping sees write(): [%.3s]\n", p + 100);

    SHOW("msync MS_SYNC", msync(p, LEN, MS_SYNC));
    SHOW("msync MS_ASYNC", msync(p, LEN, MS_ASYNC));
    SHOW("msync MS_INVALIDATE", msync(p, 100, MS_INVALIDATE));
    SHOW("msync MS_SYNC|MS_ASYNC", msync(p, LEN, MS_SYNC | MS_ASYNC));
    SHOW("msync bad flag", msync(p, LEN, 0x40));
    SHOW("msync unaligned", msync(p + 1, 100, MS_SYNC));

    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        p[10] = 'C';
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    pread(fd, got, 1, 10);
    printf("forked child's store: mapping %c, file %c\n", p[10], got[0]);

    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        execl("./self", "self", "other", (char *)0);
        _exit(127);
    }
    waitpid(pid, &st, 0);
    printf("exec'd program exit %d, its store seen: [%.8s]\n", WEXITSTATUS(st), p + 200);

    /* A private mapping of the same file: its stores stay its own. */
    char *q = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    printf("private sees file: [%.5s]\n", q);
    memcpy(q, "PRIV!", 5);
    pread(fd, got, 5, 0);
    printf("after private store: private [%.5s] shared [%.5s] file [%s]\n", q, p, got);
    munmap(q, LEN);

    munmap(p, LEN);
    close(fd);
    fd = open("f", O_RDONLY);
    memset(got, 0, sizeof got);
    read(fd, got, 5);
    printf("after munmap and close, file: [%s]\n", got);
    close(fd);
    return 0;
}
