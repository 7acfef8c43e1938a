// flock(2) locks belong to the open-file description: shared by dup and fork (the child's LOCK_UN unlocks for both), independent of another open() of the same file, released with the description's last fd; LOCK_NB gives EWOULDBLOCK; a blocked LOCK_EX waits for the unlock.
#include "../common/errname.h"
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *FILE_NAME = "flock.dat";

static const char *try_lock(int fd, int op)
{
    errno = 0;
    if (flock(fd, op) == 0)
        return "ok";
    if (errno == EWOULDBLOCK)
        return "EWOULDBLOCK";
    return errname(errno);
}

int main(void)
{
    int a = open(FILE_NAME, O_CREAT | O_RDWR | O_TRUNC, 0644);
    int b = open(FILE_NAME, O_RDONLY);
    printf("a LOCK_EX: %s\n", try_lock(a, LOCK_EX));
    printf("a LOCK_EX again: %s\n", try_lock(a, LOCK_EX | LOCK_NB));
    printf("b (another open) LOCK_SH|LOCK_NB: %s\n", try_lock(b, LOCK_SH | LOCK_NB));

    /* The child shares a's description, so a's lock. */
    int res[2];
    pipe(res);
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        char out[2];
        out[0] = flock(a, LOCK_EX | LOCK_NB) == 0 ? 'y' : 'n';
        out[1] = flock(a, LOCK_UN) == 0 ? 'y' : 'n';
        write(res[1], out, 2);
        _exit(0);
    }
    char out[2] = {0, 0};
    read(res[0], out, 2);
    waitpid(child, NULL, 0);
    printf("child LOCK_EX|LOCK_NB on the inherited fd: %c, its LOCK_UN: %c\n", out[0], out[1]);
    printf("after the child's LOCK_UN, b LOCK_EX|LOCK_NB: %s\n", try_lock(b, LOCK_EX | LOCK_NB));
    printf("a LOCK_SH|LOCK_NB now: %s\n", try_lock(a, LOCK_SH | LOCK_NB));

    /* dup shares too: the lock lives until the description's last fd closes. */
    int b2 = dup(b);
    close(b);
    printf("b closed, its dup still holds: a LOCK_SH|LOCK_NB: %s\n", try_lock(a, LOCK_SH | LOCK_NB));
    close(b2);
    printf("last fd closed: a LOCK_EX|LOCK_NB: %s\n", try_lock(a, LOCK_EX | LOCK_NB));

    /* Shared locks coexist; converting to exclusive with another holder fails. */
    int c = open(FILE_NAME, O_RDONLY);
    printf("a LOCK_SH: %s\n", try_lock(a, LOCK_SH));
    printf("c LOCK_SH|LOCK_NB: %s\n", try_lock(c, LOCK_SH | LOCK_NB));
    printf("c LOCK_EX|LOCK_NB: %s\n", try_lock(c, LOCK_EX | LOCK_NB));
    printf("c LOCK_UN: %s\n", try_lock(c, LOCK_UN));

    /* A blocking LOCK_EX in the child waits until the parent unlocks; the parent
       leaves a note before unlocking, which the child finds once it has the lock. */
    int up[2], note[2];
    pipe(up);
    pipe(note);
    child = fork();
    if (child == 0) {
        int d = open(FILE_NAME, O_RDONLY);
        write(up[1], "w", 1);
        int r = flock(d, LOCK_EX);
        fcntl(note[0], F_SETFL, O_NONBLOCK);
        char n = 0;
        ssize_t got = read(note[0], &n, 1);
        _exit(r == 0 && got == 1 && n == 'U' ? 0 : 1);
    }
    char w;
    read(up[0], &w, 1);
    usleep(100 * 1000);
    write(note[1], "U", 1);
    flock(a, LOCK_UN);
    int st;
    waitpid(child, &st, 0);
    printf("blocked LOCK_EX got the lock after the unlock: %d\n", WIFEXITED(st) && WEXITSTATUS(st) == 0);

    printf("bad operation: %s\n", try_lock(a, LOCK_SH | LOCK_EX));
    printf("bad fd: %s\n", try_lock(99, LOCK_UN));
    close(a);
    close(c);
    unlink(FILE_NAME);
    return 0;
}
