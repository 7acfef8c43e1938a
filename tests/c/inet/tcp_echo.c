// TCP over loopback: a forked echo server and a client move 16 MiB each way with a checksum; port 0 + getsockname, getpeername, shutdown(SHUT_WR) to EOF, read/write and send/recv, MSG_PEEK, MSG_WAITALL, FIONREAD.
#define _GNU_SOURCE
#include "../common/errname.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TOTAL (16u << 20)

static uint32_t fnv(uint32_t h, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}

int main(void)
{
    int l = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    SHOW("bind port 0", bind(l, (struct sockaddr *)&a, sizeof a));
    socklen_t len = sizeof a;
    getsockname(l, (struct sockaddr *)&a, &len);
    printf("bound: port nonzero %d, len %d, loopback %d\n", a.sin_port != 0, (int)len,
           a.sin_addr.s_addr == htonl(INADDR_LOOPBACK));
    SHOW("listen", listen(l, 16));
    fflush(stdout);

    pid_t pid = fork();
    if (pid == 0) {
        /* Echo server: one connection, echo until EOF. */
        struct sockaddr_in peer;
        socklen_t pl = sizeof peer;
        int c = accept(l, (struct sockaddr *)&peer, &pl);
        if (c < 0)
            _exit(2);
        char *buf = malloc(65536);
        for (;;) {
            ssize_t n = read(c, buf, 65536);
            if (n <= 0)
                break;
            for (ssize_t off = 0; off < n;) {
                ssize_t w = write(c, buf + off, n - off);
                if (w <= 0)
                    _exit(3);
                off += w;
            }
        }
        close(c);
        _exit(0);
    }
    close(l);
    int s = socket(AF_INET, SOCK_STREAM, 0);
    SHOW("connect", connect(s, (struct sockaddr *)&a, sizeof a));
    struct sockaddr_in p2, me;
    len = sizeof p2;
    getpeername(s, (struct sockaddr *)&p2, &len);
    printf("peer is server: %d\n", p2.sin_port == a.sin_port && p2.sin_addr.s_addr == a.sin_addr.s_addr);
    len = sizeof me;
    getsockname(s, (struct sockaddr *)&me, &len);
    printf("local loopback, ephemeral: %d %d\n", me.sin_addr.s_addr == htonl(INADDR_LOOPBACK), me.sin_port != 0);
    int nd = 1;
    SHOW("TCP_NODELAY", setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &nd, sizeof nd));

    /* Small exchange first: MSG_PEEK, FIONREAD, MSG_WAITALL. */
    send(s, "hello", 5, 0);
    char small[8] = {0};
    SHOW("peek waitall", recv(s, small, 5, MSG_PEEK | MSG_WAITALL));
    int avail = 0;
    ioctl(s, FIONREAD, &avail);
    printf("FIONREAD %d\n", avail);
    SHOW("recv waitall", recv(s, small, 5, MSG_WAITALL));
    printf("got %s\n", small);

    /* 16 MiB: write in a child-free loop, interleaving reads so neither
       side's buffers fill up for good. */
    unsigned char *out = malloc(1 << 16), *in = malloc(1 << 16);
    uint32_t hs = 2166136261u, hr = 2166136261u, seed = 12345;
    size_t sent = 0, got = 0;
    int fl = 1;
    ioctl(s, FIONBIO, &fl);
    while (got < TOTAL) {
        if (sent < TOTAL) {
            size_t chunk = TOTAL - sent < 65536 ? TOTAL - sent : 65536;
            for (size_t i = 0; i < chunk; i++) {
                seed = seed * 1103515245u + 12345u;
                out[i] = seed >> 16;
            }
            size_t off = 0;
            while (off < chunk) {
                ssize_t w = send(s, out + off, chunk - off, 0);
                if (w > 0) {
                    hs = fnv(hs, out + off, w);
                    off += w;
                    continue;
                }
                ssize_t r = recv(s, in, 65536, 0);
                if (r > 0) {
                    hr = fnv(hr, in, r);
                    got += r;
                } else if (r < 0 && errno == EAGAIN) {
                    struct timespec ts = {0, 200000};
                    nanosleep(&ts, NULL);
                }
            }
            sent += chunk;
            if (sent == TOTAL) {
                fl = 0;
                ioctl(s, FIONBIO, &fl);
                SHOW("shutdown wr", shutdown(s, SHUT_WR));
            }
            continue;
        }
        ssize_t r = read(s, in, 65536);
        if (r <= 0)
            break;
        hr = fnv(hr, in, r);
        got += r;
    }
    char tail;
    SHOW("eof", read(s, &tail, 1));
    printf("sent %zu got %zu checksum equal %d\n", sent, got, hs == hr);
    close(s);
    int st;
    waitpid(pid, &st, 0);
    printf("server exit %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    return 0;
}
