// Name resolution without DNS: getaddrinfo for localhost and numeric hosts (IPv4 and IPv6), with service names, getservbyname/getservbyport, getprotobyname/getprotobynumber, inet_pton/ntop, and getnameinfo with NI_NUMERICHOST.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

static void gai(const char *host, const char *serv, int family, int flags)
{
    struct addrinfo hints = {.ai_family = family, .ai_socktype = SOCK_STREAM, .ai_flags = flags}, *res;
    int r = getaddrinfo(host, serv, &hints, &res);
    if (r) {
        printf("getaddrinfo %s %s: failed\n", host ? host : "NULL", serv ? serv : "NULL");
        return;
    }
    char buf[64] = "";
    int port = 0;
    if (res->ai_family == AF_INET) {
        struct sockaddr_in *a = (void *)res->ai_addr;
        inet_ntop(AF_INET, &a->sin_addr, buf, sizeof buf);
        port = ntohs(a->sin_port);
    } else {
        struct sockaddr_in6 *a = (void *)res->ai_addr;
        inet_ntop(AF_INET6, &a->sin6_addr, buf, sizeof buf);
        port = ntohs(a->sin6_port);
    }
    printf("getaddrinfo %s %s: %s port %d family %s len %d\n", host ? host : "NULL", serv ? serv : "NULL",
           buf, port, res->ai_family == AF_INET ? "inet" : "inet6", (int)res->ai_addrlen);
    freeaddrinfo(res);
}

int main(void)
{
    gai("localhost", "http", AF_INET, 0);
    gai("localhost", "8080", AF_INET, 0);
    gai("127.0.0.1", "ssh", AF_UNSPEC, 0);
    gai("::1", "443", AF_UNSPEC, 0);
    gai(NULL, "80", AF_INET, AI_PASSIVE);
    gai("1.2.3.4", "https", AF_INET, AI_NUMERICHOST);
    struct addrinfo hints = {.ai_family = AF_INET, .ai_flags = AI_NUMERICHOST}, *res;
    printf("numeric-only name fails %d\n", getaddrinfo("localhost", NULL, &hints, &res) != 0);
    struct servent *se = getservbyname("http", "tcp");
    printf("http/tcp %d\n", se ? ntohs(se->s_port) : -1);
    se = getservbyname("domain", "udp");
    printf("domain/udp %d\n", se ? ntohs(se->s_port) : -1);
    se = getservbyport(htons(443), "tcp");
    printf("443/tcp %s\n", se ? se->s_name : "none");
    struct protoent *pe = getprotobyname("tcp");
    printf("tcp proto %d\n", pe ? pe->p_proto : -1);
    pe = getprotobynumber(17);
    printf("proto 17 %s\n", pe ? pe->p_name : "none");
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(8080)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    char host[64], serv[16];
    int r = getnameinfo((struct sockaddr *)&a, sizeof a, host, sizeof host, serv, sizeof serv,
                        NI_NUMERICHOST | NI_NUMERICSERV);
    printf("getnameinfo %d %s %s\n", r, host, serv);
    return 0;
}
