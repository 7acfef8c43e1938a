// Socket calls with bad input: sockaddr lengths and families (EINVAL), unsupported families and types, closed descriptors (EBADF), non-sockets (ENOTSOCK), bad iovecs (EFAULT), RLIMIT_NOFILE (EMFILE), state errors (ENOTCONN, EISCONN, EOPNOTSUPP), non-blocking accept/connect (EAGAIN), EPIPE with SIGPIPE and MSG_NOSIGNAL, bad options.
#define _GNU_SOURCE
#include "../common/errname.h"
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t got_pipe;
static void on_pipe(int s) { (void)s; got_pipe++; }

int main(void)
{
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    strcpy(a.sun_path, "bad_sock");
    unlink("bad_sock");
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    SHOW("bind len 0", bind(s, (struct sockaddr *)&a, 0));
    SHOW("bind len 1", bind(s, (struct sockaddr *)&a, 1));
    SHOW("bind len too long", bind(s, (struct sockaddr *)&a, sizeof a + 1));
    SHOW("bind len huge", bind(s, (struct sockaddr *)&a, 4096));
    struct sockaddr_un wrong = a;
    wrong.sun_family = AF_INET;
    SHOW("bind wrong family", bind(s, (struct sockaddr *)&wrong, sizeof wrong));
    SHOW("connect len 2", connect(s, (struct sockaddr *)&a, 2));
    SHOW("connect wrong family", connect(s, (struct sockaddr *)&wrong, sizeof wrong));
    SHOW("connect missing", connect(s, (struct sockaddr *)&a, sizeof a));
    SHOW("bind NULL", bind(s, NULL, sizeof a));
    struct sockaddr_un dir = {.sun_family = AF_UNIX};
    strcpy(dir.sun_path, "no/such/dir/sock");
    SHOW("bind missing dir", bind(s, (struct sockaddr *)&dir, sizeof dir));
    close(open("plain_file", O_CREAT | O_WRONLY, 0644));
    strcpy(dir.sun_path, "plain_file");
    SHOW("bind over file", bind(s, (struct sockaddr *)&dir, sizeof dir));
    SHOW("connect to plain file", connect(s, (struct sockaddr *)&dir, sizeof dir));
    unlink("plain_file");

    SHOW("socket AF_INET6 raw", socket(AF_INET6 + 100, SOCK_STREAM, 0));
    SHOW("socket family 9999", socket(9999, SOCK_STREAM, 0));
    SHOW("socket type 99", socket(AF_UNIX, 99, 0));
    SHOW("socket bad flags", socket(AF_UNIX, SOCK_STREAM | 0x100000, 0));
    SHOW("socket bad protocol", socket(AF_UNIX, SOCK_STREAM, 7));
    SHOW("socket SOCK_RDM", socket(AF_UNIX, SOCK_RDM, 0));
    int sv[2];
    SHOW("socketpair NULL", socketpair(AF_UNIX, SOCK_STREAM, 0, NULL));

    /* Closed descriptors and descriptors that are not sockets. */
    close(s);
    SHOW("bind closed", bind(s, (struct sockaddr *)&a, sizeof a));
    SHOW("listen closed", listen(s, 1));
    SHOW("accept closed", accept(s, NULL, NULL));
    SHOW("connect closed", connect(s, (struct sockaddr *)&a, sizeof a));
    SHOW("send closed", send(s, "x", 1, 0));
    SHOW("recv closed", recv(s, sv, 1, 0));
    SHOW("shutdown closed", shutdown(s, SHUT_RDWR));
    SHOW("getsockopt closed", getsockopt(s, SOL_SOCKET, SO_TYPE, &sv[0], &(socklen_t){4}));
    SHOW("listen -1", listen(-1, 1));
    int p[2];
    pipe(p);
    SHOW("bind pipe", bind(p[0], (struct sockaddr *)&a, sizeof a));
    SHOW("listen pipe", listen(p[0], 1));
    SHOW("send pipe", send(p[1], "x", 1, 0));
    SHOW("getsockname pipe", getsockname(p[0], (struct sockaddr *)&a, &(socklen_t){sizeof a}));
    SHOW("shutdown stdout", shutdown(1, SHUT_RD));

    /* State errors. */
    s = socket(AF_UNIX, SOCK_STREAM, 0);
    SHOW("listen unbound", listen(s, 1));
    SHOW("send unconnected", send(s, "x", 1, MSG_NOSIGNAL));
    SHOW("recv unconnected", recv(s, sv, 1, MSG_DONTWAIT));
    SHOW("getpeername unconnected", getpeername(s, (struct sockaddr *)&a, &(socklen_t){sizeof a}));
    SHOW("accept unlistened", accept(s, NULL, NULL));
    SHOW("shutdown bad how", shutdown(s, 7));
    SHOW("bind", bind(s, (struct sockaddr *)&a, sizeof a));
    SHOW("listen 0", listen(s, 0));
    fcntl(s, F_SETFL, O_NONBLOCK);
    SHOW("accept nonblock", accept(s, NULL, NULL));
    SHOW("accept bad len", accept(s, (struct sockaddr *)&a, &(socklen_t){-1}));
    /* Backlog 0 admits one pending connection; then non-blocking connect says EAGAIN. */
    int c1 = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int c2 = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int c3 = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
    SHOW("connect 1", connect(c1, (struct sockaddr *)&a, sizeof a));
    SHOW("connect again", connect(c1, (struct sockaddr *)&a, sizeof a));
    int r2 = connect(c2, (struct sockaddr *)&a, sizeof a);
    int e2 = errno;
    int r3 = connect(c3, (struct sockaddr *)&a, sizeof a);
    int e3 = errno;
    printf("backlog full: %s\n", (r2 < 0 && e2 == EAGAIN) || (r3 < 0 && e3 == EAGAIN) ? "EAGAIN" : "no");
    int dg = socket(AF_UNIX, SOCK_DGRAM, 0);
    SHOW("connect dgram to stream", connect(dg, (struct sockaddr *)&a, sizeof a));
    SHOW("listen dgram", listen(dg, 1));
    SHOW("sendto on connected stream", sendto(c1, "x", 1, 0, (struct sockaddr *)&a, sizeof a));
    SHOW("send dgram unconnected", send(dg, "x", 1, 0));
    int acc = accept(s, NULL, NULL);
    printf("accepted: %d nonblock inherited: %d\n", acc >= 0, (fcntl(acc, F_GETFL) & O_NONBLOCK) != 0);
    close(c2);
    close(c3);

    /* Options. */
    SHOW("getsockopt bad level", getsockopt(acc, 12345, SO_TYPE, &sv[0], &(socklen_t){4}));
    SHOW("getsockopt bad name", getsockopt(acc, SOL_SOCKET, 12345, &sv[0], &(socklen_t){4}));
    SHOW("getsockopt bad len", getsockopt(acc, SOL_SOCKET, SO_TYPE, &sv[0], &(socklen_t){-1}));
    SHOW("setsockopt short", setsockopt(acc, SOL_SOCKET, SO_SNDBUF, "ab", 2));
    int big = 1 << 16, got = 0;
    socklen_t gl = sizeof got;
    SHOW("SO_SNDBUF", setsockopt(acc, SOL_SOCKET, SO_SNDBUF, &big, sizeof big));
    getsockopt(acc, SOL_SOCKET, SO_SNDBUF, &got, &gl);
    printf("sndbuf doubled: %d\n", got == 2 * big);
    int err = -1;
    gl = sizeof err;
    SHOW("SO_ERROR", getsockopt(acc, SOL_SOCKET, SO_ERROR, &err, &gl));
    printf("so_error=%d len=%d\n", err, (int)gl);
    int on = 1;
    SHOW("SO_REUSEADDR", setsockopt(acc, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on));
    int avail = -1;
    SHOW("FIONBIO", ioctl(acc, FIONBIO, &on));
    SHOW("recv nonblock", recv(acc, &avail, 4, 0));
    SHOW("FIONREAD", ioctl(acc, FIONREAD, &avail));
    printf("avail=%d\n", avail);

    /* Bad iovecs. */
    struct iovec iov[2] = {{.iov_base = "ok", .iov_len = 2}, {.iov_base = (void *)16, .iov_len = 100}};
    struct msghdr m = {.msg_iov = iov, .msg_iovlen = 2};
    SHOW("sendmsg bad iovec", sendmsg(c1, &m, 0));
    m.msg_iov = (void *)16;
    SHOW("sendmsg bad iov array", sendmsg(c1, &m, 0));
    SHOW("sendmsg bad msghdr", sendmsg(c1, (void *)16, 0));
    m.msg_iov = iov;
    m.msg_iovlen = 5000;
    SHOW("sendmsg iovlen huge", sendmsg(c1, &m, 0));
    m.msg_iovlen = 1;
    char ctl[16] = {0};
    m.msg_control = ctl;
    m.msg_controllen = sizeof ctl;
    ((struct cmsghdr *)ctl)->cmsg_len = 1000;
    SHOW("sendmsg bad cmsg_len", sendmsg(c1, &m, 0));
    SHOW("send bad buffer", send(c1, (void *)16, 10, 0));
    SHOW("recv bad buffer", recv(acc, (void *)16, 10, MSG_DONTWAIT));

    /* EPIPE: SIGPIPE unless MSG_NOSIGNAL. */
    signal(SIGPIPE, on_pipe);
    close(acc);
    SHOW("send to closed peer", send(c1, "x", 1, 0));
    printf("sigpipe count: %d\n", got_pipe);
    SHOW("send MSG_NOSIGNAL", send(c1, "x", 1, MSG_NOSIGNAL));
    printf("sigpipe count: %d\n", got_pipe);
    SHOW("write to closed peer", write(c1, "x", 1));
    printf("sigpipe count: %d\n", got_pipe);
    SHOW("recv eof", recv(c1, sv, 1, 0));
    close(c1);
    close(s);
    close(dg);
    unlink("bad_sock");

    /* RLIMIT_NOFILE: EMFILE from socket, socketpair and accept. */
    struct rlimit rl = {8, 8};
    setrlimit(RLIMIT_NOFILE, &rl);
    int last = 0, e = 0;
    for (int i = 0; i < 10; i++) {
        int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
        if (fd < 0) {
            e = errno;
            break;
        }
        last = fd;
    }
    printf("socket until: last=%d %s\n", last, errname(e));
    SHOW("socketpair at limit", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    close(last);
    SHOW("socketpair needs two", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    return 0;
}
