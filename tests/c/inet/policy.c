// LIND-ONLY
// The default network policy (loopback only): connecting or sending off loopback is ENETUNREACH, binding a non-loopback address EACCES; wildcard binds work (served on loopback) and getsockname still reports the wildcard; loopback itself works.
#define _GNU_SOURCE
#include "../common/errname.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in far = {.sin_family = AF_INET, .sin_port = htons(80)};
    inet_pton(AF_INET, "192.0.2.1", &far.sin_addr);
    SHOW("connect 192.0.2.1", connect(s, (struct sockaddr *)&far, sizeof far));
    SHOW("bind 192.0.2.1", bind(s, (struct sockaddr *)&far, sizeof far));
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    SHOW("sendto 192.0.2.1", sendto(u, "x", 1, 0, (struct sockaddr *)&far, sizeof far));
    int s6 = socket(AF_INET6, SOCK_STREAM, 0);
    struct sockaddr_in6 far6 = {.sin6_family = AF_INET6, .sin6_port = htons(80)};
    inet_pton(AF_INET6, "2001:db8::1", &far6.sin6_addr);
    SHOW("connect 2001:db8::1", connect(s6, (struct sockaddr *)&far6, sizeof far6));
    inet_pton(AF_INET6, "::ffff:127.0.0.1", &far6.sin6_addr);
    far6.sin6_port = 0;
    SHOW("bind v4-mapped loopback", bind(s6, (struct sockaddr *)&far6, sizeof far6));
    struct sockaddr_in any = {.sin_family = AF_INET};
    SHOW("bind 0.0.0.0", bind(s, (struct sockaddr *)&any, sizeof any));
    socklen_t len = sizeof any;
    getsockname(s, (struct sockaddr *)&any, &len);
    printf("reported 0.0.0.0 %d port %d\n", any.sin_addr.s_addr == 0, any.sin_port != 0);
    SHOW("listen", listen(s, 1));
    int c = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in lo = any;
    lo.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    SHOW("connect loopback", connect(c, (struct sockaddr *)&lo, sizeof lo));
    lo.sin_addr.s_addr = 0;
    int c2 = socket(AF_INET, SOCK_STREAM, 0);
    SHOW("connect 0.0.0.0 (this host)", connect(c2, (struct sockaddr *)&lo, sizeof lo));
    return 0;
}
