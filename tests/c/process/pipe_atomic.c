// Writes of at most PIPE_BUF bytes are atomic: two children write 1000 records each (sizes 1..PIPE_BUF) into one pipe; the parent finds every record whole and in per-writer order.
// TIMEOUT: 120
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define RECORDS 1000
#define HDR 8 /* writer id (2), sequence (2), length (4) */

static size_t rec_len(int id, int seq)
{
    return HDR + (size_t)((seq * 2654435761u + id * 97u) % (PIPE_BUF - HDR + 1));
}

static void writer(int fd, int id)
{
    unsigned char rec[PIPE_BUF];
    for (int seq = 0; seq < RECORDS; seq++) {
        size_t n = rec_len(id, seq);
        uint16_t a = id, b = seq;
        uint32_t len = n;
        memcpy(rec, &a, 2);
        memcpy(rec + 2, &b, 2);
        memcpy(rec + 4, &len, 4);
        for (size_t i = HDR; i < n; i++)
            rec[i] = (unsigned char)(id * 31 + seq + i);
        if (write(fd, rec, n) != (ssize_t)n)
            _exit(2);
    }
    _exit(0);
}

int main(void)
{
    int p[2];
    pipe(p);
    fflush(stdout);
    pid_t kids[2];
    for (int id = 0; id < 2; id++) {
        kids[id] = fork();
        if (kids[id] == 0) {
            close(p[0]);
            writer(p[1], id + 1);
        }
    }
    close(p[1]);
    /* Read everything (in odd-sized pieces), then parse. */
    size_t cap = 2 * RECORDS * PIPE_BUF, len = 0;
    unsigned char *all = malloc(cap);
    ssize_t n;
    size_t ask = 1;
    while ((n = read(p[0], all + len, ask < cap - len ? ask : cap - len)) > 0) {
        len += n;
        ask = ask * 7 % 10007 + 1;
    }
    int next[3] = {0, 0, 0}, bad = 0, count = 0;
    size_t off = 0;
    while (off + HDR <= len) {
        uint16_t id, seq;
        uint32_t rl;
        memcpy(&id, all + off, 2);
        memcpy(&seq, all + off + 2, 2);
        memcpy(&rl, all + off + 4, 4);
        if (id < 1 || id > 2 || seq != next[id] || rl != rec_len(id, seq) || off + rl > len) {
            bad++;
            break;
        }
        for (size_t i = HDR; i < rl; i++)
            if (all[off + i] != (unsigned char)(id * 31 + seq + i)) {
                bad++;
                break;
            }
        next[id]++;
        count++;
        off += rl;
    }
    int s1, s2;
    waitpid(kids[0], &s1, 0);
    waitpid(kids[1], &s2, 0);
    printf("records=%d writer1=%d writer2=%d bad=%d leftover=%zu\n", count, next[1], next[2], bad, len - off);
    printf("writers exited %d %d\n", WEXITSTATUS(s1), WEXITSTATUS(s2));
    return 0;
}
