// AF_UNIX stream sockets between a parent and a forked child: socketpair, a named listener in the cage's file system (S_IFSOCK, EADDRINUSE, unlink), accept/connect, getsockname/getpeername, SO_PEERCRED, SO_TYPE, FIONREAD, MSG_PEEK, shutdown and EOF, 1 MiB with a checksum.
#define _GNU_SOURCE
#include "../common/errname.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static uint32_t sum(const unsigned char *p, size_t n, uint32_t h)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}

#define BIG (1 << 20)

int main(void)
{
    int sv[2];
    SHOW("socketpair", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    pid_t pid = fork();
    if (pid == 0) {
        close(sv[0]);
        char buf[64];
        ssize_t n = read(sv[1], buf, sizeof buf);
        for (ssize_t i = 0; i < n; i++)
            buf[i] = buf[i] >= 'a' && buf[i] <= 'z' ? buf[i] - 32 : buf[i];
        write(sv[1], buf, n);
        _exit(0);
    }
    close(sv[1]);
    write(sv[0], "hello, child", 12);
    char buf[64] = {0};
    ssize_t n = read(sv[0], buf, sizeof buf);
    printf("pair echo: %zd %.*s\n", n, (int)n, buf);
    n = read(sv[0], buf, sizeof buf);
    printf("after child exit: %zd\n", n);
    waitpid(pid, NULL, 0);
    close(sv[0]);

    /* A named listener. */
    unlink("sock");
    int l = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    strcpy(a.sun_path, "sock");
    SHOW("bind", bind(l, (struct sockaddr *)&a, sizeof a));
    struct stat st;
    SHOW("stat", stat("sock", &st));
    printf("is socket: %d\n", S_ISSOCK(st.st_mode));
    int l2 = socket(AF_UNIX, SOCK_STREAM, 0);
    SHOW("bind again", bind(l2, (struct sockaddr *)&a, sizeof a));
    SHOW("bind twice", bind(l, (struct sockaddr *)&a, sizeof a));
    SHOW("connect before listen", connect(l2, (struct sockaddr *)&a, sizeof a));
    close(l2);
    SHOW("listen", listen(l, 4));
    struct sockaddr_un got;
    socklen_t gl = sizeof got;
    SHOW("getsockname", getsockname(l, (struct sockaddr *)&got, &gl));
    printf("name: len=%d path=%s\n", (int)gl, got.sun_path);

    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        int c = socket(AF_UNIX, SOCK_STREAM, 0);
        if (connect(c, (struct sockaddr *)&a, sizeof a) != 0)
            _exit(1);
        struct ucred cr;
        socklen_t cl = sizeof cr;
        getsockopt(c, SOL_SOCKET, SO_PEERCRED, &cr, &cl);
        int ok = cr.pid == getppid() && cr.uid == getuid();
        unsigned char *big = malloc(BIG);
        for (int i = 0; i < BIG; i++)
            big[i] = (unsigned char)(i * 7 + (i >> 9));
        size_t off = 0;
        while (off < BIG) {
            ssize_t w = write(c, big + off, BIG - off);
            if (w <= 0)
                _exit(2);
            off += w;
        }
        shutdown(c, SHUT_WR);
        char r[8];
        ssize_t k = read(c, r, sizeof r);
        _exit(ok && k == 2 && memcmp(r, "ok", 2) == 0 ? 0 : 3);
    }
    gl = sizeof got;
    int s = accept(l, (struct sockaddr *)&got, &gl);
    printf("accept: %d peer len=%d\n", s >= 0, (int)gl);
    struct ucred cr;
    socklen_t cl = sizeof cr;
    SHOW("SO_PEERCRED", getsockopt(s, SOL_SOCKET, SO_PEERCRED, &cr, &cl));
    printf("peer is child: %d len=%d\n", cr.pid == pid, (int)cl);
    int type = 0;
    socklen_t tl = sizeof type;
    getsockopt(s, SOL_SOCKET, SO_TYPE, &type, &tl);
    printf("SO_TYPE stream: %d\n", type == SOCK_STREAM);
    gl = sizeof got;
    SHOW("getsockname accepted", getsockname(s, (struct sockaddr *)&got, &gl));
    printf("accepted name: %s\n", got.sun_path);
    gl = sizeof got;
    SHOW("getpeername accepted", getpeername(s, (struct sockaddr *)&got, &gl));
    printf("peer name len: %d\n", (int)gl);
    char peek[4];
    n = recv(s, peek, 4, MSG_PEEK | MSG_WAITALL);
    printf("peek: %zd\n", n);
    unsigned char *big = malloc(BIG), *in = malloc(BIG);
    for (int i = 0; i < BIG; i++)
        big[i] = (unsigned char)(i * 7 + (i >> 9));
    size_t total = 0;
    for (;;) {
        ssize_t r = read(s, in + total, BIG - total + (total == BIG));
        if (r <= 0)
            break;
        total += r;
    }
    printf("received %zu bytes, checksum ok: %d\n", total, sum(in, total, 2166136261u) == sum(big, BIG, 2166136261u));
    int avail = -1;
    ioctl(s, FIONREAD, &avail);
    printf("FIONREAD at eof: %d\n", avail);
    write(s, "ok", 2);
    int wst;
    waitpid(pid, &wst, 0);
    printf("child: %d\n", WEXITSTATUS(wst));
    close(s);
    close(l);
    SHOW("unlink", unlink("sock"));
    int c = socket(AF_UNIX, SOCK_STREAM, 0);
    SHOW("connect after unlink", connect(c, (struct sockaddr *)&a, sizeof a));
    close(c);
    return 0;
}
