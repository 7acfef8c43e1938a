// A TCP accept blocked with no connection is interrupted by a signal: EINTR without SA_RESTART; with SA_RESTART it is restarted and takes the connection a child makes later. A blocked recv is interrupted the same way.
#define _GNU_SOURCE
#include "../common/errname.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t hits;
static void on_alarm(int s) { (void)s; hits++; }

static void handler(int flags)
{
    struct sigaction sa = {.sa_handler = on_alarm, .sa_flags = flags};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, NULL);
}

static void arm(int ms)
{
    struct itimerval it = {.it_value = {0, ms * 1000}};
    setitimer(ITIMER_REAL, &it, NULL);
}

int main(void)
{
    int l = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(l, (struct sockaddr *)&a, sizeof a);
    socklen_t len = sizeof a;
    getsockname(l, (struct sockaddr *)&a, &len);
    listen(l, 4);

    handler(0);
    arm(50);
    SHOW("accept, no SA_RESTART", accept(l, NULL, NULL));
    printf("hits %d\n", (int)hits);

    handler(SA_RESTART);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        usleep(300000);
        int s = socket(AF_INET, SOCK_STREAM, 0);
        connect(s, (struct sockaddr *)&a, sizeof a);
        usleep(300000);
        write(s, "x", 1);
        usleep(100000);
        close(s);
        _exit(0);
    }
    arm(50);
    int c = accept(l, NULL, NULL);
    printf("accept with SA_RESTART: ok %d, hits %d\n", c >= 0, (int)hits);
    handler(0);
    arm(50);
    char ch;
    SHOW("recv, no SA_RESTART", recv(c, &ch, 1, 0));
    handler(SA_RESTART);
    arm(50);
    SHOW("recv with SA_RESTART", recv(c, &ch, 1, 0));
    printf("hits %d\n", (int)hits);
    int st;
    waitpid(pid, &st, 0);
    return 0;
}
