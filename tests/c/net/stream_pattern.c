// Streams 8 MiB of a known pattern through an AF_UNIX stream socketpair and through a pipe to a forked reader, with odd write and read sizes (1, 7, 4095, 65537, 300000 bytes; write/send/writev, read/recv/readv, MSG_PEEK, MSG_WAITALL) and checks every byte; a read or readv into an unwritable buffer fails with EFAULT and leaves the bytes queued, a write from an unreadable one queues nothing.
#define _GNU_SOURCE
#include "../common/errname.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#define TOTAL (8u << 20)

static const size_t wsizes[] = {1, 7, 4095, 65537, 300000};
static const size_t rsizes[] = {300000, 1, 65537, 7, 4095, 65536};

static unsigned char pattern(size_t i)
{
    return (unsigned char)(i ^ (i >> 8) * 31 ^ (i >> 16) * 7);
}

static unsigned char *src;

/* Writes all of src[off..off+n) with call number k's method. */
static int put(int fd, int sock, size_t off, size_t n, unsigned k)
{
    while (n > 0) {
        ssize_t w;
        unsigned how = sock ? k % 3 : k % 2 * 2;
        if (how == 0) {
            w = write(fd, src + off, n);
        } else if (how == 1) {
            w = send(fd, src + off, n, 0);
        } else {
            size_t half = n / 2;
            struct iovec iov[2] = {{src + off, half}, {src + off + half, n - half}};
            w = writev(fd, iov, 2);
        }
        if (w <= 0)
            return -1;
        off += (size_t)w;
        n -= (size_t)w;
    }
    return 0;
}

/* Reads everything, checking each byte; prints what it saw. */
static void reader(int fd, int sock, const char *what)
{
    static unsigned char buf[300000];
    size_t at = 0, bad = 0, first_bad = 0, peeks_ok = 0, peeks = 0;
    unsigned k = 0;
    for (;;) {
        size_t want = rsizes[k % 6];
        unsigned how = sock ? k % 5 : k % 2;
        k++;
        ssize_t r;
        if (how == 0) {
            r = read(fd, buf, want);
        } else if (how == 1) {
            struct iovec iov[3] = {{buf, want / 3}, {buf + want / 3, want / 3}, {buf + 2 * (want / 3), want - 2 * (want / 3)}};
            r = readv(fd, iov, 3);
        } else if (how == 2) {
            r = recv(fd, buf, want, 0);
        } else if (how == 3) {
            /* Peeked bytes come again from the next read. */
            unsigned char p[7];
            ssize_t pn = recv(fd, p, sizeof p, MSG_PEEK);
            r = recv(fd, buf, want, 0);
            if (pn > 0 && r > 0) {
                size_t same = (size_t)(r < pn ? r : pn);
                peeks++;
                peeks_ok += memcmp(p, buf, same) == 0;
            }
        } else {
            size_t left = TOTAL - at;
            r = recv(fd, buf, want < left ? want : left, MSG_WAITALL);
            if (r >= 0 && (size_t)r != (want < left ? want : left) && left > 0)
                printf("%s: MSG_WAITALL short: %zd\n", what, r);
        }
        if (r < 0) {
            printf("%s: read failed\n", what);
            break;
        }
        if (r == 0)
            break;
        for (ssize_t i = 0; i < r; i++) {
            if (buf[i] != pattern(at + (size_t)i)) {
                if (!bad)
                    first_bad = at + (size_t)i;
                bad++;
            }
        }
        at += (size_t)r;
    }
    printf("%s: %zu bytes, %zu bad (first %zu), peeks match: %d\n", what, at, bad, first_bad,
           peeks_ok == peeks && (peeks > 0) == sock);
}

static void stream(int rfd, int wfd, int sock, const char *what)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        close(wfd);
        reader(rfd, sock, what);
        fflush(stdout);
        _exit(0);
    }
    close(rfd);
    size_t off = 0;
    unsigned k = 0;
    while (off < TOTAL) {
        size_t n = wsizes[k % 5];
        if (n > TOTAL - off)
            n = TOTAL - off;
        if (put(wfd, sock, off, n, k) != 0) {
            printf("%s: write failed\n", what);
            break;
        }
        off += n;
        k++;
    }
    close(wfd);
    int st;
    waitpid(pid, &st, 0);
    printf("%s: writer done, child status %d\n", what, st);
}

/* EFAULT on both sides, with the queue left as it was. */
static void faults(int rfd, int wfd, const char *what)
{
    unsigned char *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    unsigned char *none = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    SHOW("write from PROT_NONE", write(wfd, none, 100));
    SHOW("write", write(wfd, "abcdef", 6));
    SHOW("read into PROT_READ", read(rfd, ro, 6));
    char buf[16] = {0};
    struct iovec iov[2] = {{buf, 3}, {ro, 3}};
    SHOW("readv ending in PROT_READ", readv(rfd, iov, 2));
    memset(buf, 0, sizeof buf);
    SHOW("read", read(rfd, buf, sizeof buf));
    printf("%s: got %s\n", what, buf);
    munmap(ro, 4096);
    munmap(none, 4096);
}

int main(void)
{
    src = malloc(TOTAL);
    for (size_t i = 0; i < TOTAL; i++)
        src[i] = pattern(i);

    int sv[2];
    SHOW("socketpair", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    stream(sv[1], sv[0], 1, "unix");
    int p[2];
    SHOW("pipe", pipe(p));
    stream(p[0], p[1], 0, "pipe");

    SHOW("socketpair", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    faults(sv[1], sv[0], "unix");
    SHOW("pipe", pipe(p));
    faults(p[0], p[1], "pipe");
    return 0;
}
