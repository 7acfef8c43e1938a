// poll and select over pipes, a regular file, /dev/null, stdout and unix sockets: readiness, timeouts, POLLNVAL, POLLHUP and POLLRDHUP after the peer closes or shuts down, a listening socket becoming readable, wake-up by a forked writer.
#define _GNU_SOURCE
#include "../common/errname.h"
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int pollone(int fd, short events, int timeout)
{
    struct pollfd p = {.fd = fd, .events = events};
    int n = poll(&p, 1, timeout);
    return n < 0 ? -1 : p.revents;
}

static void show(const char *what, int rev)
{
    if (rev < 0) {
        printf("%s: error %s\n", what, errname(errno));
        return;
    }
    printf("%s:%s%s%s%s%s%s\n", what, rev & POLLIN ? " IN" : "", rev & POLLOUT ? " OUT" : "",
           rev & POLLHUP ? " HUP" : "", rev & POLLERR ? " ERR" : "", rev & POLLRDHUP ? " RDHUP" : "",
           rev & POLLNVAL ? " NVAL" : "");
}

int main(void)
{
    int p[2];
    pipe(p);
    show("empty pipe read end", pollone(p[0], POLLIN, 0));
    show("pipe write end", pollone(p[1], POLLOUT, 0));
    write(p[1], "x", 1);
    show("pipe with data", pollone(p[0], POLLIN | POLLOUT, 0));
    close(p[1]);
    show("pipe writer closed", pollone(p[0], POLLIN, 0));
    close(p[0]);
    pipe(p);
    close(p[0]);
    show("pipe reader closed", pollone(p[1], POLLOUT, 0));
    close(p[1]);

    int f = open("poll_file", O_CREAT | O_RDWR | O_TRUNC, 0644);
    show("regular file", pollone(f, POLLIN | POLLOUT, 0));
    close(f);
    unlink("poll_file");
    int dn = open("/dev/null", O_RDWR);
    show("/dev/null", pollone(dn, POLLIN | POLLOUT, 0));
    close(dn);
    show("stdout", pollone(1, POLLOUT, 0));
    show("closed fd", pollone(dn, POLLIN, 0));
    struct pollfd neg = {.fd = -1, .events = POLLIN, .revents = 77};
    int nneg = poll(&neg, 1, 0);
    printf("negative fd: n=%d revents=%d\n", nneg, neg.revents);

    /* Timeouts. */
    pipe(p);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    show("timeout 50ms", pollone(p[0], POLLIN, 50));
    clock_gettime(CLOCK_MONOTONIC, &t1);
    long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
    printf("waited >= 45ms: %d\n", ms >= 45);
    struct timespec ts = {0, 20 * 1000000};
    struct pollfd pp = {.fd = p[0], .events = POLLIN};
    printf("ppoll timeout: %d\n", ppoll(&pp, 1, &ts, NULL));
    SHOW("ppoll bad timeout", ppoll(&pp, 1, &(struct timespec){0, 2000000000}, NULL));
    SHOW("poll bad pointer", poll((void *)16, 1, 0));

    /* A forked writer wakes a blocked poll. */
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        usleep(50000);
        write(p[1], "y", 1);
        _exit(0);
    }
    show("woken by child", pollone(p[0], POLLIN, 5000));
    waitpid(pid, NULL, 0);

    /* select. */
    fd_set r, w;
    FD_ZERO(&r);
    FD_ZERO(&w);
    FD_SET(p[0], &r);
    FD_SET(p[1], &w);
    int n = select(p[1] + 1, &r, &w, NULL, &(struct timeval){0, 0});
    printf("select: n=%d r=%d w=%d\n", n, FD_ISSET(p[0], &r) != 0, FD_ISSET(p[1], &w) != 0);
    char ch;
    read(p[0], &ch, 1);
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    n = select(p[0] + 1, &r, NULL, NULL, &(struct timeval){0, 20000});
    printf("select timeout: n=%d r=%d\n", n, FD_ISSET(p[0], &r) != 0);
    FD_ZERO(&r);
    FD_SET(dn, &r);
    SHOW("select closed fd", select(dn + 1, &r, NULL, NULL, &(struct timeval){0, 0}));
    SHOW("select negative n", select(-1, NULL, NULL, NULL, &(struct timeval){0, 0}));
    SHOW("select bad timeout", select(0, NULL, NULL, NULL, &(struct timeval){0, -1}));
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    sigset_t none;
    sigemptyset(&none);
    n = pselect(p[0] + 1, &r, NULL, NULL, &(struct timespec){0, 1000000}, &none);
    printf("pselect: %d\n", n);

    /* Sockets: peer close and shutdown. */
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    show("fresh socketpair", pollone(sv[0], POLLIN | POLLOUT | POLLRDHUP, 0));
    send(sv[1], "z", 1, 0);
    show("socket with data", pollone(sv[0], POLLIN | POLLRDHUP, 0));
    shutdown(sv[1], SHUT_WR);
    show("peer shut write", pollone(sv[0], POLLIN | POLLOUT | POLLRDHUP, 0));
    show("own side after shut write", pollone(sv[1], POLLIN | POLLOUT | POLLRDHUP, 0));
    close(sv[1]);
    show("peer closed", pollone(sv[0], POLLIN | POLLOUT | POLLRDHUP, 0));
    close(sv[0]);
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    show("unconnected stream", pollone(s, POLLIN | POLLOUT, 0));
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    strcpy(a.sun_path, "poll_sock");
    unlink("poll_sock");
    bind(s, (struct sockaddr *)&a, sizeof a);
    listen(s, 5);
    show("idle listener", pollone(s, POLLIN | POLLOUT, 0));
    int c = socket(AF_UNIX, SOCK_STREAM, 0);
    connect(c, (struct sockaddr *)&a, sizeof a);
    show("listener with a connection", pollone(s, POLLIN | POLLOUT, 0));
    show("connected client", pollone(c, POLLIN | POLLOUT, 0));
    int acc = accept(s, NULL, NULL);
    show("listener after accept", pollone(s, POLLIN, 0));
    close(acc);
    show("client after server closed", pollone(c, POLLIN | POLLOUT | POLLRDHUP, 0));
    close(c);
    close(s);
    unlink("poll_sock");
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    show("dgram pair", pollone(sv[0], POLLIN | POLLOUT, 0));
    send(sv[1], "d", 1, 0);
    show("dgram with data", pollone(sv[0], POLLIN | POLLOUT, 0));
    return 0;
}
