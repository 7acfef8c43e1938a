// SO_RCVTIMEO and SO_SNDTIMEO on AF_UNIX sockets: recv, read, recvfrom and accept give up with EAGAIN
// after the timeout, a blocked write returns what it wrote and then EAGAIN, data that comes in time is
// received, getsockopt shows the value, and a bad tv_usec is EDOM.
#include "../common/errname.h"
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void set_timeout(int fd, int which, long usec)
{
    struct timeval tv = {usec / 1000000, usec % 1000000};
    setsockopt(fd, SOL_SOCKET, which, &tv, sizeof tv);
}

/* Runs `call` expecting a timeout of ~100 ms. */
#define TIMED(label, call)                                                                      \
    do {                                                                                        \
        long start_ = now_ms();                                                                 \
        errno = 0;                                                                              \
        long r_ = (long)(call);                                                                 \
        int e_ = errno;                                                                         \
        long took_ = now_ms() - start_;                                                         \
        printf("%s: ret=%ld %s, waited about the timeout: %d\n", label, r_, errname(e_),        \
               took_ >= 80 && took_ < 3000);                                                    \
    } while (0)

int main(void)
{
    char buf[64];
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    set_timeout(sv[0], SO_RCVTIMEO, 100000);
    struct timeval got;
    socklen_t len = sizeof got;
    getsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &got, &len);
    printf("getsockopt SO_RCVTIMEO: %ld.%06ld\n", (long)got.tv_sec, (long)got.tv_usec);
    TIMED("recv", recv(sv[0], buf, sizeof buf, 0));
    TIMED("read", read(sv[0], buf, sizeof buf));

    /* Data that comes before the timeout is received. */
    set_timeout(sv[0], SO_RCVTIMEO, 3000000);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        usleep(50000);
        write(sv[1], "late but in time", 16);
        _exit(0);
    }
    ssize_t n = recv(sv[0], buf, sizeof buf, 0);
    printf("in time: %zd [%.*s]\n", n, (int)(n > 0 ? n : 0), buf);
    waitpid(pid, NULL, 0);

    /* A writer that fills the peer's buffer: what fitted, then EAGAIN. */
    set_timeout(sv[1], SO_SNDTIMEO, 100000);
    static char chunk[65536];
    long total = 0, last = 0;
    int e = 0;
    long start = now_ms();
    for (int i = 0; i < 1000; i++) {
        errno = 0;
        last = write(sv[1], chunk, sizeof chunk);
        if (last < 0) {
            e = errno;
            break;
        }
        total += last;
    }
    long took = now_ms() - start;
    printf("send timeout: wrote some=%d, then %ld %s, waited about the timeout: %d\n", total > 0, last,
           errname(e), took >= 80 && took < 3000);

    int dg[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, dg);
    set_timeout(dg[0], SO_RCVTIMEO, 100000);
    TIMED("recvfrom (datagram)", recvfrom(dg[0], buf, sizeof buf, 0, NULL, NULL));

    int l = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    strcpy(addr.sun_path, "listener.sock");
    bind(l, (struct sockaddr *)&addr, sizeof addr);
    listen(l, 4);
    set_timeout(l, SO_RCVTIMEO, 100000);
    TIMED("accept", accept(l, NULL, NULL));
    unlink("listener.sock");

    struct timeval bad = {0, 1000000};
    SHOW("tv_usec of a second", setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &bad, sizeof bad));
    return 0;
}
