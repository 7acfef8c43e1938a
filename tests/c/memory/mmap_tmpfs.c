// Files of /tmp (lind's in-memory file system) map like host files: MAP_SHARED stores reach read() and a forked child, write() and ftruncate are seen through the mapping, MAP_PRIVATE stays private, pages beyond EOF raise SIGBUS.
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile char sink;

int main(void)
{
    char name[64];
    snprintf(name, sizeof name, "/tmp/lind-mmap-%d", (int)getpid());
    int fd = open(name, O_CREAT | O_RDWR | O_TRUNC, 0600);
    /* Written before mapping, sparsely: a hole, then data. */
    pwrite(fd, "tail", 4, 6000);
    char *p = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    printf("mapped=%d hole reads zero=%d data [%.4s]\n", p != MAP_FAILED, p[10] == 0, p + 6000);
    memcpy(p, "stored", 6);
    char buf[8] = {0};
    pread(fd, buf, 6, 0);
    printf("read() sees the store: [%s]\n", buf);
    pwrite(fd, "WRITE", 5, 20);
    printf("mapping sees write(): [%.5s]\n", p + 20);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        memcpy(p + 40, "kid", 3);
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    printf("child's store: [%.3s]\n", p + 40);
    char *q = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    memcpy(q, "PRIVATE", 7);
    pread(fd, buf, 6, 0);
    printf("private store: private [%.7s] shared [%.6s] file [%s]\n", q, p, buf);

    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        sink = p[2 * 4096];
        _exit(0);
    }
    waitpid(pid, &st, 0);
    printf("page beyond EOF: %s\n", WIFSIGNALED(st) && WTERMSIG(st) == SIGBUS ? "SIGBUS" : "no SIGBUS");
    ftruncate(fd, 3 * 4096);
    p[2 * 4096 + 1] = 'x';
    pread(fd, buf, 1, 2 * 4096 + 1);
    printf("after growing with ftruncate, store reached the file: %c\n", buf[0]);
    ftruncate(fd, 10);
    printf("after shrinking, byte 20 reads %d\n", p[20]);
    munmap(p, 3 * 4096);
    munmap(q, 4096);
    close(fd);
    fd = open(name, O_RDONLY);
    memset(buf, 0, sizeof buf);
    read(fd, buf, 6);
    printf("after munmap: [%s]\n", buf);
    unlink(name);
    return 0;
}
