// The parent forks while another child is blocked in read() on a pipe: the new child (which inherits both ends) can wake the blocked one, and the blocked child then reports back.
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
    int a[2], back[2];
    pipe(a);
    pipe(back);
    fflush(stdout);
    pid_t reader = fork();
    if (reader == 0) {
        close(a[1]);
        close(back[0]);
        char buf[32];
        ssize_t n = read(a[0], buf, sizeof buf); /* blocks until the second child writes */
        write(back[1], buf, n > 0 ? n : 0);
        _exit(n > 0 ? 0 : 1);
    }
    /* Give the reader time to block (not required for correctness). */
    struct timespec ts = {0, 50 * 1000000};
    nanosleep(&ts, NULL);
    int st;
    printf("reader still blocked: %d\n", waitpid(reader, &st, WNOHANG) == 0);
    /* Several forks while it is blocked. */
    int ok = 0;
    for (int i = 0; i < 5; i++) {
        pid_t p = fork();
        if (p == 0)
            _exit(i);
        if (waitpid(p, &st, 0) == p && WEXITSTATUS(st) == i)
            ok++;
    }
    printf("forks while the reader blocks: %d of 5\n", ok);
    pid_t waker = fork();
    if (waker == 0) {
        close(a[0]);
        write(a[1], "wake up", 7);
        _exit(0);
    }
    close(a[0]);
    close(a[1]);
    close(back[1]);
    char buf[32] = {0};
    ssize_t n = read(back[0], buf, sizeof buf - 1);
    printf("reader reported: %d \"%s\"\n", (int)n, buf);
    waitpid(waker, &st, 0);
    printf("waker status=%d\n", WEXITSTATUS(st));
    waitpid(reader, &st, 0);
    printf("reader status=%d\n", WEXITSTATUS(st));
    return 0;
}
