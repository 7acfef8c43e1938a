// UDP over loopback (IPv4 and IPv6): sendto/recvfrom with sender addresses, connected send/recv, MSG_TRUNC and truncation, sendmsg/recvmsg with iovecs, MSG_DONTWAIT on an empty socket, getsockname after an implicit bind.
#define _GNU_SOURCE
#include "../common/errname.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

static void v4(void)
{
    int a = socket(AF_INET, SOCK_DGRAM, 0), b = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET}, sb, from;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    SHOW("bind a", bind(a, (struct sockaddr *)&sa, sizeof sa));
    socklen_t len = sizeof sa;
    getsockname(a, (struct sockaddr *)&sa, &len);
    SHOW("sendto a", sendto(b, "ping", 4, 0, (struct sockaddr *)&sa, sizeof sa));
    len = sizeof sb;
    getsockname(b, (struct sockaddr *)&sb, &len);
    printf("b implicitly bound: %d\n", sb.sin_port != 0);
    char buf[64] = {0};
    len = sizeof from;
    SHOW("recvfrom", recvfrom(a, buf, sizeof buf, 0, (struct sockaddr *)&from, &len));
    printf("data %s, from b: %d, len %d\n", buf, from.sin_port == sb.sin_port, (int)len);
    SHOW("reply", sendto(a, "pong!", 5, 0, (struct sockaddr *)&from, len));
    memset(buf, 0, sizeof buf);
    SHOW("recv truncated", recv(b, buf, 3, 0));
    printf("data %s\n", buf);
    SHOW("empty dontwait", recv(b, buf, sizeof buf, MSG_DONTWAIT));
    SHOW("connect b", connect(b, (struct sockaddr *)&sa, sizeof sa));
    SHOW("send connected", send(b, "0123456789", 10, 0));
    SHOW("recv MSG_TRUNC", recv(a, buf, 4, MSG_TRUNC));
    /* sendmsg/recvmsg with two iovecs each. */
    struct iovec ov[2] = {{"ab", 2}, {"cdef", 4}};
    struct msghdr m = {.msg_name = &sa, .msg_namelen = sizeof sa, .msg_iov = ov, .msg_iovlen = 2};
    SHOW("sendmsg", sendmsg(b, &m, 0));
    char x[3] = {0}, y[8] = {0};
    struct iovec iv[2] = {{x, 2}, {y, 8}};
    struct sockaddr_in src;
    struct msghdr r = {.msg_name = &src, .msg_namelen = sizeof src, .msg_iov = iv, .msg_iovlen = 2};
    SHOW("recvmsg", recvmsg(a, &r, 0));
    printf("parts %s %s, namelen %d, flags %d\n", x, y, (int)r.msg_namelen, r.msg_flags);
    close(a);
    close(b);
}

static void v6(void)
{
    int a = socket(AF_INET6, SOCK_DGRAM, 0), b = socket(AF_INET6, SOCK_DGRAM, 0);
    struct sockaddr_in6 sa = {.sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT}, from;
    int ok = bind(a, (struct sockaddr *)&sa, sizeof sa) == 0;
    socklen_t len = sizeof sa;
    getsockname(a, (struct sockaddr *)&sa, &len);
    ok = ok && sendto(b, "six", 3, 0, (struct sockaddr *)&sa, sizeof sa) == 3;
    char buf[8] = {0};
    len = sizeof from;
    ok = ok && recvfrom(a, buf, sizeof buf, 0, (struct sockaddr *)&from, &len) == 3;
    printf("v6 roundtrip ok %d, data right %d, family %d, len %d\n", ok, ok && !strcmp(buf, "six"),
           ok ? from.sin6_family == AF_INET6 : 1, ok ? (int)len : 28);
    close(a);
    close(b);
}

int main(void)
{
    v4();
    v6();
    return 0;
}
