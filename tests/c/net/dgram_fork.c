// AF_UNIX datagram and seqpacket sockets with fork: socketpair message boundaries, named and abstract datagram sockets, sendto/recvfrom with the sender's address, MSG_TRUNC, FIONREAD, connected datagrams, seqpacket through listen/accept.
#define _GNU_SOURCE
#include "../common/errname.h"
#include <stddef.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static socklen_t mkaddr(struct sockaddr_un *a, const char *path, int abstract)
{
    memset(a, 0, sizeof *a);
    a->sun_family = AF_UNIX;
    if (abstract) {
        memcpy(a->sun_path + 1, path, strlen(path));
        return offsetof(struct sockaddr_un, sun_path) + 1 + strlen(path);
    }
    strcpy(a->sun_path, path);
    return sizeof *a;
}

int main(void)
{
    int sv[2];
    SHOW("socketpair dgram", socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        close(sv[0]);
        send(sv[1], "one", 3, 0);
        send(sv[1], "two!", 4, 0);
        send(sv[1], "", 0, 0);
        send(sv[1], "a longer message", 16, 0);
        _exit(0);
    }
    close(sv[1]);
    waitpid(pid, NULL, 0);
    char buf[64];
    int avail = -1;
    ioctl(sv[0], FIONREAD, &avail);
    printf("FIONREAD: %d\n", avail);
    for (int i = 0; i < 3; i++) {
        ssize_t n = recv(sv[0], buf, sizeof buf, 0);
        printf("msg %d: %zd %.*s\n", i, n, (int)(n > 0 ? n : 0), buf);
    }
    ssize_t n = recv(sv[0], buf, 4, MSG_TRUNC);
    printf("truncated: %zd %.4s\n", n, buf);
    n = recv(sv[0], buf, sizeof buf, MSG_DONTWAIT);
    printf("empty: %zd %s\n", n, errname(errno));
    close(sv[0]);

    /* Named datagram sockets: a server replies to whoever wrote. */
    unlink("dsrv");
    unlink("dcli");
    struct sockaddr_un srv, cli, from;
    socklen_t srvlen = mkaddr(&srv, "dsrv", 0);
    int s = socket(AF_UNIX, SOCK_DGRAM, 0);
    SHOW("bind server", bind(s, (struct sockaddr *)&srv, srvlen));
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        int c = socket(AF_UNIX, SOCK_DGRAM, 0);
        socklen_t cl = mkaddr(&cli, "dcli", 0);
        bind(c, (struct sockaddr *)&cli, cl);
        sendto(c, "ping", 4, 0, (struct sockaddr *)&srv, srvlen);
        char r[16];
        ssize_t k = recv(c, r, sizeof r, 0);
        _exit(k == 4 && memcmp(r, "pong", 4) == 0 ? 0 : 1);
    }
    socklen_t fl = sizeof from;
    n = recvfrom(s, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl);
    printf("server got: %zd %.*s from %s (len %d)\n", n, (int)n, buf, from.sun_path, (int)fl);
    SHOW("reply", sendto(s, "pong", 4, 0, (struct sockaddr *)&from, fl));
    int st;
    waitpid(pid, &st, 0);
    printf("client: %d\n", WEXITSTATUS(st));
    close(s);
    unlink("dsrv");
    unlink("dcli");

    /* Abstract names: no file, connected datagrams, unnamed senders. */
    struct sockaddr_un ab;
    socklen_t ablen = mkaddr(&ab, "lind-test-abstract", 1);
    s = socket(AF_UNIX, SOCK_DGRAM, 0);
    SHOW("bind abstract", bind(s, (struct sockaddr *)&ab, ablen));
    int s2 = socket(AF_UNIX, SOCK_DGRAM, 0);
    SHOW("bind abstract again", bind(s2, (struct sockaddr *)&ab, ablen));
    SHOW("connect abstract", connect(s2, (struct sockaddr *)&ab, ablen));
    SHOW("send connected", send(s2, "hi", 2, 0));
    fl = sizeof from;
    n = recvfrom(s, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl);
    printf("from unnamed: %zd addrlen=%d\n", n, (int)fl);
    struct sockaddr_un got;
    socklen_t gl = sizeof got;
    getpeername(s2, (struct sockaddr *)&got, &gl);
    printf("peer abstract: len=%d match=%d\n", (int)gl, gl == ablen && memcmp(&got, &ab, ablen) == 0);
    gl = sizeof got;
    getsockname(s, (struct sockaddr *)&got, &gl);
    printf("abstract name: len=%d first=%d\n", (int)gl, got.sun_path[0]);
    close(s);
    SHOW("send to closed", send(s2, "x", 1, 0));
    close(s2);

    /* Autobind: an empty address gets an abstract name. */
    s = socket(AF_UNIX, SOCK_DGRAM, 0);
    SHOW("autobind", bind(s, (struct sockaddr *)&(struct sockaddr_un){.sun_family = AF_UNIX}, sizeof(sa_family_t)));
    gl = sizeof got;
    getsockname(s, (struct sockaddr *)&got, &gl);
    printf("autobound: len=%d abstract=%d\n", (int)gl, got.sun_path[0] == 0);
    close(s);

    /* Seqpacket keeps message boundaries over a connection. */
    unlink("sqp");
    struct sockaddr_un sq;
    socklen_t sqlen = mkaddr(&sq, "sqp", 0);
    int l = socket(AF_UNIX, SOCK_SEQPACKET, 0);
    bind(l, (struct sockaddr *)&sq, sqlen);
    SHOW("listen seqpacket", listen(l, 1));
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        int c = socket(AF_UNIX, SOCK_SEQPACKET, 0);
        if (connect(c, (struct sockaddr *)&sq, sqlen))
            _exit(1);
        send(c, "first", 5, 0);
        send(c, "second", 6, 0);
        _exit(0);
    }
    int a = accept(l, NULL, NULL);
    waitpid(pid, &st, 0);
    for (int i = 0; i < 3; i++) {
        n = recv(a, buf, sizeof buf, 0);
        printf("seqpacket %d: %zd %.*s\n", i, n, (int)(n > 0 ? n : 0), buf);
    }
    close(a);
    close(l);
    unlink("sqp");
    return 0;
}
