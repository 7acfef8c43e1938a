// O_NONBLOCK pipes: read on an empty pipe is EAGAIN (EOF once the writer is gone), the pipe holds 64 KiB, a big write is partial, a write <= PIPE_BUF that does not fit is EAGAIN (all or nothing).
#define _GNU_SOURCE /* pipe2 in glibc */
#include "../common/errname.h"
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

static char buf[200000];

int main(void)
{
    int p[2];
    pipe2(p, O_NONBLOCK);
    printf("PIPE_BUF=%d\n", PIPE_BUF);
    SHOW("read empty", read(p[0], buf, 10));
    /* Fill with 4096-byte writes until EAGAIN. (Smaller writes would show Linux's page-slot
       accounting, which POSIX leaves open.) */
    long total = 0;
    ssize_t r;
    while ((r = write(p[1], buf, 4096)) > 0)
        total += r;
    int e = errno;
    printf("filled with 4096-byte writes: %ld bytes, then %s\n", total, errname(e));
    SHOW("1-byte write into the full pipe", write(p[1], "x", 1));
    /* Drain. */
    long drained = 0;
    while ((r = read(p[0], buf, sizeof buf)) > 0)
        drained += r;
    printf("drained %ld bytes, then %s\n", drained, errname(errno));

    /* One big write into the empty pipe is partial. */
    SHOW("200000-byte write into the empty pipe", write(p[1], buf, sizeof buf));
    SHOW("then a 1-byte write", write(p[1], buf, 1));
    while (read(p[0], buf, sizeof buf) > 0)
        ;

    /* Leave 100 bytes of room: a 4096-byte write (<= PIPE_BUF) does not fit -> EAGAIN, nothing written. */
    SHOW("write 65436", write(p[1], buf, 65436));
    SHOW("write 4096 with 100 free", write(p[1], buf, 4096));
    SHOW("write 50 with 100 free", write(p[1], buf, 50));
    SHOW("write 100 with 50 free", write(p[1], buf, 100));
    drained = 0;
    while ((r = read(p[0], buf, sizeof buf)) > 0)
        drained += r;
    printf("pipe held %ld bytes\n", drained);

    /* Writer gone: read returns 0, not EAGAIN. */
    close(p[1]);
    SHOW("read after the writer closed", read(p[0], buf, 10));
    close(p[0]);

    /* O_NONBLOCK set later with fcntl, on a pipe made by pipe(). */
    pipe(p);
    printf("pipe() read end O_NONBLOCK: %d\n", (fcntl(p[0], F_GETFL) & O_NONBLOCK) != 0);
    fcntl(p[0], F_SETFL, fcntl(p[0], F_GETFL) | O_NONBLOCK);
    SHOW("read empty after F_SETFL O_NONBLOCK", read(p[0], buf, 10));
    write(p[1], "abc", 3);
    SHOW("read with data", read(p[0], buf, 10));
    fcntl(p[0], F_SETFL, fcntl(p[0], F_GETFL) & ~O_NONBLOCK);
    printf("cleared: %d\n", (fcntl(p[0], F_GETFL) & O_NONBLOCK) == 0);
    return 0;
}
