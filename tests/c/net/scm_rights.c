// SCM_RIGHTS across fork: a child opens a file and a pipe and passes them to its parent over a unix socket (the received descriptors share the open-file description: offsets); the parent passes a socket back; MSG_CTRUNC when the control buffer is short; SCM_CREDENTIALS with SO_PASSCRED.
#define _GNU_SOURCE
#include "../common/errname.h"
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static int send_fds(int s, const int *fds, int n, const char *data)
{
    char ctl[CMSG_SPACE(sizeof(int) * 4)];
    memset(ctl, 0, sizeof ctl);
    struct iovec iov = {.iov_base = (void *)data, .iov_len = strlen(data)};
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = CMSG_SPACE(sizeof(int) * n)};
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int) * n);
    memcpy(CMSG_DATA(c), fds, sizeof(int) * n);
    return sendmsg(s, &m, 0);
}

/* Receives data and up to `max` descriptors; returns how many came. */
static int recv_fds(int s, int *fds, int max, char *data, size_t dlen, int *flags)
{
    char ctl[CMSG_SPACE(sizeof(int) * 4)];
    struct iovec iov = {.iov_base = data, .iov_len = dlen};
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = max ? CMSG_SPACE(sizeof(int) * max) : 0};
    ssize_t n = recvmsg(s, &m, 0);
    if (n < 0)
        return -1;
    data[n] = 0;
    *flags = m.msg_flags;
    int got = 0;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c))
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
            got = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
            memcpy(fds, CMSG_DATA(c), got * sizeof(int));
        }
    return got;
}

int main(void)
{
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        close(sv[0]);
        int f = open("scm_file", O_RDWR | O_CREAT | O_TRUNC, 0644);
        write(f, "0123456789", 10);
        lseek(f, 3, SEEK_SET);
        int p[2];
        pipe(p);
        write(p[1], "through a pipe", 14);
        int fds[2] = {f, p[0]};
        if (send_fds(sv[1], fds, 2, "files") < 0)
            _exit(1);
        close(f);
        close(p[0]);
        close(p[1]);
        /* Receive a socket back and answer through it. */
        int back[1], fl;
        char d[16];
        if (recv_fds(sv[1], back, 1, d, sizeof d - 1, &fl) != 1)
            _exit(2);
        write(back[0], "via passed socket", 17);
        _exit(0);
    }
    close(sv[1]);
    int fds[4], fl;
    char data[32];
    int got = recv_fds(sv[0], fds, 2, data, sizeof data - 1, &fl);
    printf("received %d fds with '%s' flags=%d\n", got, data, fl);
    if (got == 2) {
        char b[32] = {0};
        ssize_t n = read(fds[0], b, 4);
        printf("file from offset 3: %zd %.4s\n", n, b);
        n = read(fds[1], b, sizeof b);
        printf("pipe: %zd %.*s\n", n, (int)n, b);
        printf("fd flags cloexec: %d\n", fcntl(fds[0], F_GETFD) & FD_CLOEXEC);
        close(fds[0]);
        close(fds[1]);
    }
    int q[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, q);
    SHOW("send socket", send_fds(sv[0], &q[1], 1, "sock"));
    close(q[1]);
    char b[32] = {0};
    ssize_t n = read(q[0], b, sizeof b);
    printf("answer: %.*s\n", (int)n, b);
    int st;
    waitpid(pid, &st, 0);
    printf("child: %d\n", WEXITSTATUS(st));

    /* Not enough room for the descriptors: MSG_CTRUNC, the rest closed. */
    int p[2];
    pipe(p);
    int three[3] = {p[0], p[1], p[0]};
    socketpair(AF_UNIX, SOCK_DGRAM, 0, q);
    send_fds(q[0], three, 3, "x");
    got = recv_fds(q[1], fds, 1, data, sizeof data - 1, &fl);
    printf("short control: some=%d not all=%d ctrunc=%d\n", got >= 1, got < 3, (fl & MSG_CTRUNC) != 0);
    send_fds(q[0], three, 3, "y");
    got = recv_fds(q[1], fds, 0, data, sizeof data - 1, &fl);
    printf("no control: got=%d ctrunc=%d data=%s\n", got, (fl & MSG_CTRUNC) != 0, data);
    int bad = 999;
    SHOW("send bad fd", send_fds(q[0], &bad, 1, "z"));

    /* SCM_CREDENTIALS: the sender's ids arrive with SO_PASSCRED. */
    int one = 1;
    setsockopt(q[1], SOL_SOCKET, SO_PASSCRED, &one, sizeof one);
    send(q[0], "c", 1, 0);
    char ctl[CMSG_SPACE(sizeof(struct ucred))];
    struct iovec iov = {.iov_base = data, .iov_len = sizeof data};
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = sizeof ctl};
    n = recvmsg(q[1], &m, 0);
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    int credok = 0;
    if (c && c->cmsg_type == SCM_CREDENTIALS) {
        struct ucred u;
        memcpy(&u, CMSG_DATA(c), sizeof u);
        credok = u.pid == getpid() && u.uid == geteuid() && u.gid == getegid();
    }
    printf("credentials: n=%zd ok=%d len ok=%d\n", n, credok, c && c->cmsg_len == CMSG_LEN(sizeof(struct ucred)));
    /* Forged credentials are refused. */
    struct ucred fake = {.pid = getpid() + 1, .uid = getuid(), .gid = getgid()};
    m.msg_controllen = sizeof ctl;
    c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_CREDENTIALS;
    c->cmsg_len = CMSG_LEN(sizeof fake);
    memcpy(CMSG_DATA(c), &fake, sizeof fake);
    iov.iov_len = 1;
    SHOW("forged pid", geteuid() == 0 ? -1 : sendmsg(q[0], &m, 0));
    unlink("scm_file");
    return 0;
}
