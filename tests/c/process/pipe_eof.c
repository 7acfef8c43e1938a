// Pipe EOF comes only when every write end is closed, including the copies inherited by children: the classic forgotten-close bug shows as EAGAIN instead of EOF.
#include "../common/errname.h"
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    /* 1. The child reads until EOF after closing its own copy of the write end. */
    int p[2], res[2];
    pipe(p);
    pipe(res);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        close(p[1]);
        close(res[0]);
        char buf[64];
        ssize_t n, total = 0;
        while ((n = read(p[0], buf + total, sizeof buf - total)) > 0)
            total += n;
        int line[2] = {(int)total, (int)n};
        write(res[1], line, sizeof line);
        _exit(0);
    }
    close(p[0]);
    close(res[1]);
    write(p[1], "hello", 5);
    close(p[1]);
    int line[2] = {-1, -1};
    read(res[0], line, sizeof line);
    waitpid(pid, NULL, 0);
    close(res[0]);
    printf("reader got %d bytes, then read()=%d (EOF)\n", line[0], line[1]);

    /* 2. The bug: the reader keeps its inherited write end open, so no EOF ever comes.
       Shown without hanging: with O_NONBLOCK the empty pipe says EAGAIN, not 0. */
    int ack[2];
    pipe(p);
    pipe(res);
    pipe(ack);
    pid = fork();
    if (pid == 0) {
        close(res[0]);
        close(ack[1]);
        /* forgot close(p[1]) */
        char buf[64];
        ssize_t n = read(p[0], buf, sizeof buf); /* the parent's "data" */
        char c;
        read(ack[0], &c, 1); /* the parent has closed its write end by now */
        fcntl(p[0], F_SETFL, O_NONBLOCK);
        errno = 0;
        n = read(p[0], buf, sizeof buf);
        int out[2] = {(int)n, errno};
        write(res[1], out, sizeof out);
        _exit(0);
    }
    close(p[0]);
    close(res[1]);
    close(ack[0]);
    write(p[1], "data", 4);
    close(p[1]); /* all of the parent's write ends are closed */
    write(ack[1], "c", 1);
    close(ack[1]);
    int out[2];
    read(res[0], out, sizeof out);
    waitpid(pid, NULL, 0);
    close(res[0]);
    printf("reader with its own write end open: read()=%d %s (no EOF)\n", out[0], out[0] < 0 ? errname(out[1]) : "");

    /* 3. Two children inherit the write end; the parent reads EOF only after both exit. */
    pipe(p);
    int go1[2], go2[2];
    pipe(go1);
    pipe(go2);
    pid_t a = fork();
    if (a == 0) {
        close(p[0]);
        char g;
        read(go1[0], &g, 1);
        write(p[1], "A", 1);
        _exit(0);
    }
    pid_t b = fork();
    if (b == 0) {
        close(p[0]);
        char g;
        read(go2[0], &g, 1);
        write(p[1], "B", 1);
        _exit(0);
    }
    close(p[1]);
    close(go1[0]);
    close(go2[0]);
    write(go1[1], "g", 1);
    char buf[8];
    ssize_t n = read(p[0], buf, 1);
    printf("first child's byte: %d %c\n", (int)n, buf[0]);
    waitpid(a, NULL, 0);
    fcntl(p[0], F_SETFL, O_NONBLOCK);
    errno = 0;
    n = read(p[0], buf, 1);
    printf("one child gone, one holds the write end: read()=%d %s\n", (int)n, n < 0 ? errname(errno) : "");
    fcntl(p[0], F_SETFL, 0);
    write(go2[1], "g", 1);
    n = read(p[0], buf, 1);
    printf("second child's byte: %d %c\n", (int)n, buf[0]);
    waitpid(b, NULL, 0);
    n = read(p[0], buf, 1);
    printf("both gone: read()=%d (EOF)\n", (int)n);
    return 0;
}
