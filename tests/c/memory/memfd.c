// memfd_create: an anonymous file (ftruncate, write/read, fstat), mapped MAP_SHARED it is shared with a forked child, reopened through /proc/self/fd it is the same file, passed with SCM_RIGHTS to a child that maps it, MAP_PRIVATE stays private; bad flags are EINVAL.
#define _GNU_SOURCE
#include "../common/errname.h"
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    int fd = memfd_create("lind-test", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    printf("memfd_create ok=%d cloexec=%d\n", fd >= 0, (fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0);
    struct stat st;
    fstat(fd, &st);
    printf("regular=%d size=%lld\n", S_ISREG(st.st_mode), (long long)st.st_size);
    SHOW("ftruncate", ftruncate(fd, 8192));
    fstat(fd, &st);
    printf("size after ftruncate=%lld\n", (long long)st.st_size);
    pwrite(fd, "written", 7, 4096);
    char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    printf("mapping sees write(): [%.7s]\n", p + 4096);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        memcpy(p, "child", 5);
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    char buf[8] = {0};
    pread(fd, buf, 5, 0);
    printf("child's store: mapping [%.5s] read() [%s]\n", p, buf);

    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    int again = open(path, O_RDWR);
    char *q = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, again, 0);
    printf("reopened through /proc: %d, sees [%.5s]\n", again >= 0, q == MAP_FAILED ? "?????" : q);
    if (q != MAP_FAILED) {
        q[100] = 'Q';
        printf("store through the second mapping seen by the first: %c\n", p[100]);
    }
    char *r = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    r[0] = 'R';
    printf("private store: private %c shared %c\n", r[0], p[0]);

    /* A memfd made after the fork reaches the child only through the socket. */
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        char c;
        struct iovec iov = {&c, 1};
        char ctl[CMSG_SPACE(sizeof(int))];
        struct msghdr msg = {0};
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        msg.msg_control = ctl;
        msg.msg_controllen = sizeof ctl;
        if (recvmsg(sv[1], &msg, 0) != 1)
            _exit(2);
        int got;
        memcpy(&got, CMSG_DATA(CMSG_FIRSTHDR(&msg)), sizeof got);
        char *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, got, 0);
        if (m == MAP_FAILED)
            _exit(3);
        memcpy(m + 10, m, 4);
        _exit(0);
    }
    int late = memfd_create("late", 0);
    ftruncate(late, 4096);
    char *l = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, late, 0);
    memcpy(l, "sent", 4);
    char one = 'x';
    struct iovec iov = {&one, 1};
    char ctl[CMSG_SPACE(sizeof(int))];
    struct msghdr msg = {0};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = ctl;
    msg.msg_controllen = sizeof ctl;
    struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
    cm->cmsg_level = SOL_SOCKET;
    cm->cmsg_type = SCM_RIGHTS;
    cm->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(cm), &late, sizeof late);
    sendmsg(sv[0], &msg, 0);
    waitpid(pid, &status, 0);
    printf("SCM_RIGHTS child exit %d, its store through the passed memfd: [%.4s]\n", WEXITSTATUS(status), l + 10);

    errno = 0;
    int bad = memfd_create("x", 0x100);
    int e = errno;
    printf("unknown flag: %d %s\n", bad, errname(e));
    return 0;
}
