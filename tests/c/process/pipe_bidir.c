// Two pipes between parent and child: the parent sends 2000 numbers, the child answers each with its square plus one; then a 1 MiB block each way, checked by sum.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static int read_full(int fd, void *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, (char *)buf + got, n - got);
        if (r <= 0)
            return -1;
        got += r;
    }
    return 0;
}

static int write_full(int fd, const void *buf, size_t n)
{
    size_t done = 0;
    while (done < n) {
        ssize_t r = write(fd, (const char *)buf + done, n - done);
        if (r <= 0)
            return -1;
        done += r;
    }
    return 0;
}

#define BLOCK (1 << 20)

int main(void)
{
    int down[2], up[2];
    pipe(down);
    pipe(up);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        close(down[1]);
        close(up[0]);
        int32_t x;
        while (read_full(down[0], &x, sizeof x) == 0 && x >= 0) {
            int64_t y = (int64_t)x * x + 1;
            write_full(up[1], &y, sizeof y);
        }
        /* Then a block down, a block up (read fully before writing: no deadlock). */
        unsigned char *b = malloc(BLOCK);
        if (read_full(down[0], b, BLOCK) != 0)
            _exit(2);
        uint64_t s = 0;
        for (int i = 0; i < BLOCK; i++)
            s += b[i];
        for (int i = 0; i < BLOCK; i++)
            b[i] = (unsigned char)(i * 13);
        write_full(up[1], &s, sizeof s);
        write_full(up[1], b, BLOCK);
        char c;
        _exit(read(down[0], &c, 1) == 0 ? 0 : 3); /* EOF after the parent closes */
    }
    close(down[0]);
    close(up[1]);
    int64_t total = 0;
    int wrong = 0;
    for (int32_t i = 0; i < 2000; i++) {
        write_full(down[1], &i, sizeof i);
        int64_t y;
        if (read_full(up[0], &y, sizeof y) != 0) { printf("short read\n"); return 1; }
        wrong += y != (int64_t)i * i + 1;
        total += y;
    }
    int32_t stop = -1;
    write_full(down[1], &stop, sizeof stop);
    printf("ping-pong: wrong=%d total=%lld\n", wrong, (long long)total);

    unsigned char *b = malloc(BLOCK);
    uint64_t want = 0;
    for (int i = 0; i < BLOCK; i++) {
        b[i] = (unsigned char)(i * 7 + 1);
        want += b[i];
    }
    write_full(down[1], b, BLOCK);
    close(down[1]);
    uint64_t childsum, upsum = 0;
    read_full(up[0], &childsum, sizeof childsum);
    read_full(up[0], b, BLOCK);
    for (int i = 0; i < BLOCK; i++)
        upsum += b[i];
    printf("block down: child's sum matches=%d; block up sum=%llu\n", childsum == want, (unsigned long long)upsum);
    char c;
    printf("EOF on up after child exits: %d\n", read(up[0], &c, 1) == 0);
    int st;
    waitpid(pid, &st, 0);
    printf("child status=%d\n", WEXITSTATUS(st));
    return 0;
}
