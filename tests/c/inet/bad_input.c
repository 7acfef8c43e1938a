// AF_INET/AF_INET6 with bad input and options: short sockaddrs (EINVAL), wrong families (EAFNOSUPPORT), unsupported families and types, socketpair (EOPNOTSUPP), state errors (ENOTCONN, EISCONN, EADDRINUSE); SO_REUSEADDR, SO_REUSEPORT, SO_KEEPALIVE, SO_RCVBUF/SO_SNDBUF, SO_LINGER, TCP_NODELAY, IPV6_V6ONLY, SO_TYPE/SO_DOMAIN/SO_PROTOCOL/SO_ACCEPTCONN round trips; wildcard bind reported by getsockname.
#define _GNU_SOURCE
#include "../common/errname.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int geti(int s, int level, int name)
{
    int v = -7;
    socklen_t l = sizeof v;
    if (getsockopt(s, level, name, &v, &l) < 0)
        return -100 - errno;
    return v;
}

int main(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    SHOW("bind len 0", bind(s, (struct sockaddr *)&a, 0));
    SHOW("bind len 15", bind(s, (struct sockaddr *)&a, 15));
    SHOW("bind len 129", bind(s, (struct sockaddr *)&a, 129));
    struct sockaddr_in6 six = {.sin6_family = AF_INET6};
    SHOW("bind v6 addr on v4", bind(s, (struct sockaddr *)&six, sizeof six));
    struct sockaddr_un un = {.sun_family = AF_UNIX};
    SHOW("connect unix addr on v4", connect(s, (struct sockaddr *)&un, sizeof un));
    SHOW("connect len 1", connect(s, (struct sockaddr *)&a, 1));
    SHOW("connect len 8", connect(s, (struct sockaddr *)&a, 8));
    SHOW("getpeername unconnected", getpeername(s, (struct sockaddr *)&a, &(socklen_t){sizeof a}));
    SHOW("recv unconnected", recv(s, &a, 1, 0));
    SHOW("send unconnected", send(s, "x", 1, MSG_NOSIGNAL));
    SHOW("accept not listening", accept(s, NULL, NULL));
    SHOW("shutdown unconnected", shutdown(s, SHUT_RDWR));
    SHOW("shutdown bad how", shutdown(s, 7));

    int s6 = socket(AF_INET6, SOCK_STREAM, 0);
    SHOW("v6 bind len 20", bind(s6, (struct sockaddr *)&six, 20));
    SHOW("v6 bind v4 addr", bind(s6, (struct sockaddr *)&a, sizeof a));
    SHOW("v6 connect len 23", connect(s6, (struct sockaddr *)&six, 23));
    SHOW("v6 connect v4 family", connect(s6, (struct sockaddr *)&a, 24));
    int on = 1;
    SHOW("IPV6_V6ONLY", setsockopt(s6, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on));
    printf("IPV6_V6ONLY back %d\n", geti(s6, IPPROTO_IPV6, IPV6_V6ONLY));
    close(s6);

    SHOW("socket AF_INET SEQPACKET", socket(AF_INET, SOCK_SEQPACKET, 0));
    SHOW("socket AF_INET stream/udp", socket(AF_INET, SOCK_STREAM, IPPROTO_UDP));
    SHOW("socket AF_INET dgram/tcp", socket(AF_INET, SOCK_DGRAM, IPPROTO_TCP));
    SHOW("socket AF_APPLETALK", socket(5, SOCK_DGRAM, 0));
    SHOW("socket AF_PACKET-ish 200", socket(200, SOCK_DGRAM, 0));
    int sv[2];
    SHOW("socketpair AF_INET", socketpair(AF_INET, SOCK_STREAM, 0, sv));

    /* Options. */
    printf("type %d domain %d proto %d acceptconn %d\n", geti(s, SOL_SOCKET, SO_TYPE),
           geti(s, SOL_SOCKET, SO_DOMAIN), geti(s, SOL_SOCKET, SO_PROTOCOL),
           geti(s, SOL_SOCKET, SO_ACCEPTCONN));
    SHOW("SO_REUSEADDR", setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on));
    SHOW("SO_REUSEPORT", setsockopt(s, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on));
    SHOW("SO_KEEPALIVE", setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on));
    SHOW("TCP_NODELAY", setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on));
    printf("back: reuseaddr %d reuseport %d keepalive %d nodelay %d\n",
           geti(s, SOL_SOCKET, SO_REUSEADDR), geti(s, SOL_SOCKET, SO_REUSEPORT),
           geti(s, SOL_SOCKET, SO_KEEPALIVE), geti(s, IPPROTO_TCP, TCP_NODELAY));
    int sz = 65536;
    SHOW("SO_RCVBUF", setsockopt(s, SOL_SOCKET, SO_RCVBUF, &sz, sizeof sz));
    SHOW("SO_SNDBUF", setsockopt(s, SOL_SOCKET, SO_SNDBUF, &sz, sizeof sz));
    printf("buffers doubled %d %d\n", geti(s, SOL_SOCKET, SO_RCVBUF) == 2 * sz,
           geti(s, SOL_SOCKET, SO_SNDBUF) == 2 * sz);
    struct linger lg = {1, 5}, lb = {0, 0};
    SHOW("SO_LINGER", setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof lg));
    socklen_t ll = sizeof lb;
    getsockopt(s, SOL_SOCKET, SO_LINGER, &lb, &ll);
    printf("linger %d %d len %d\n", lb.l_onoff, lb.l_linger, (int)ll);
    SHOW("SO_LINGER short", setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, 4));
    SHOW("set SO_TYPE", setsockopt(s, SOL_SOCKET, SO_TYPE, &on, sizeof on));
    SHOW("unknown option", setsockopt(s, SOL_SOCKET, 9999, &on, sizeof on));
    printf("unknown tcp option %d\n", geti(s, IPPROTO_TCP, 9999));

    /* A wildcard bind is reported as such; a second bind is EINVAL and
       another socket on the same port EADDRINUSE. */
    struct sockaddr_in any = {.sin_family = AF_INET};
    SHOW("bind any", bind(s, (struct sockaddr *)&any, sizeof any));
    socklen_t len = sizeof any;
    getsockname(s, (struct sockaddr *)&any, &len);
    printf("any: addr 0 %d port nonzero %d\n", any.sin_addr.s_addr == 0, any.sin_port != 0);
    SHOW("bind again", bind(s, (struct sockaddr *)&a, sizeof a));
    listen(s, 1);
    printf("acceptconn %d\n", geti(s, SOL_SOCKET, SO_ACCEPTCONN));
    int t = socket(AF_INET, SOCK_STREAM, 0);
    a.sin_port = any.sin_port;
    SHOW("bind in use", bind(t, (struct sockaddr *)&a, sizeof a));
    SHOW("connect", connect(t, (struct sockaddr *)&a, sizeof a));
    SHOW("connect again", connect(t, (struct sockaddr *)&a, sizeof a));
    close(t);
    close(s);
    SHOW("udp socket", (s = socket(AF_INET, SOCK_DGRAM, 0)) >= 0 ? 0 : -1);
    printf("udp type %d proto %d\n", geti(s, SOL_SOCKET, SO_TYPE), geti(s, SOL_SOCKET, SO_PROTOCOL));
    SHOW("udp listen", listen(s, 1));
    SHOW("udp send no dest", send(s, "x", 1, 0));
    SHOW("udp sendto short addr", sendto(s, "x", 1, 0, (struct sockaddr *)&a, 8));
    return 0;
}
