// POSIX record locks between a parent and forked children: F_SETLK conflicts, F_GETLK reports the holder, F_SETLKW waits for the unlock, closing any fd of the file releases, locks are not inherited, exit releases, and a two-process deadlock is refused.
#include "../common/errname.h"
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *FILE_NAME = "locks.dat";

static int lk(int fd, int cmd, short type, short whence, off_t start, off_t len)
{
    struct flock fl;
    memset(&fl, 0, sizeof fl);
    fl.l_type = type;
    fl.l_whence = whence;
    fl.l_start = start;
    fl.l_len = len;
    return fcntl(fd, cmd, &fl);
}

/* F_SETLK result as a word: Linux may say EAGAIN or EACCES for a conflict. */
static const char *setlk(int fd, short type, off_t start, off_t len)
{
    errno = 0;
    if (lk(fd, F_SETLK, type, SEEK_SET, start, len) == 0)
        return "ok";
    if (errno == EAGAIN || errno == EACCES)
        return "conflict";
    return errname(errno);
}

static void wait_byte(int fd)
{
    char c;
    if (read(fd, &c, 1) != 1)
        _exit(99);
}

static void send_byte(int fd)
{
    if (write(fd, "x", 1) != 1)
        _exit(98);
}

int main(void)
{
    int fd = open(FILE_NAME, O_CREAT | O_RDWR | O_TRUNC, 0644);
    char zeros[100] = {0};
    write(fd, zeros, sizeof zeros);

    /* 1. The child write-locks bytes 0..9; the parent sees the conflict and the holder. */
    int up[2], down[2];
    pipe(up);
    pipe(down);
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        int r = lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 10);
        send_byte(up[1]);
        wait_byte(down[0]);
        _exit(r == 0 ? 0 : 1);
    }
    wait_byte(up[0]);
    printf("parent F_SETLK write 5..: %s\n", setlk(fd, F_WRLCK, 5, 0));
    printf("parent F_SETLK read 9: %s\n", setlk(fd, F_RDLCK, 9, 1));
    printf("parent F_SETLK read 20..29: %s\n", setlk(fd, F_RDLCK, 20, 10));
    struct flock fl;
    memset(&fl, 0, sizeof fl);
    fl.l_type = F_RDLCK;
    fl.l_whence = SEEK_CUR;
    fl.l_start = -95; /* the offset is 100 after the write: byte 5 */
    fl.l_len = 1;
    int r = fcntl(fd, F_GETLK, &fl);
    printf("F_GETLK: ret=%d type=%s whence=%s start=%lld len=%lld pid-is-child=%d\n", r,
           fl.l_type == F_WRLCK ? "F_WRLCK" : fl.l_type == F_RDLCK ? "F_RDLCK" : "F_UNLCK",
           fl.l_whence == SEEK_SET ? "SEEK_SET" : "other", (long long)fl.l_start,
           (long long)fl.l_len, fl.l_pid == child);
    memset(&fl, 0, sizeof fl);
    fl.l_type = F_WRLCK;
    fl.l_whence = SEEK_SET;
    fl.l_start = 50;
    fl.l_len = 7;
    fcntl(fd, F_GETLK, &fl);
    printf("F_GETLK on free bytes: type=%s start=%lld len=%lld\n",
           fl.l_type == F_UNLCK ? "F_UNLCK" : "locked", (long long)fl.l_start, (long long)fl.l_len);
    send_byte(down[1]);
    int st;
    waitpid(child, &st, 0);
    printf("child locked: %d\n", WIFEXITED(st) && WEXITSTATUS(st) == 0);
    /* The child exited holding its lock: gone with it. */
    printf("after the child's exit, write 0..: %s\n", setlk(fd, F_WRLCK, 0, 0));

    /* 2. Not inherited: the parent holds the whole file; a new child has nothing. */
    child = fork();
    if (child == 0) {
        struct flock g;
        memset(&g, 0, sizeof g);
        g.l_type = F_RDLCK;
        g.l_whence = SEEK_SET;
        int ok = fcntl(fd, F_GETLK, &g) == 0 && g.l_type == F_WRLCK && g.l_pid == getppid();
        const char *s = setlk(fd, F_RDLCK, 0, 1);
        /* Unlocking what it does not hold is fine and changes nothing for the parent. */
        int un = lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0);
        _exit(ok && strcmp(s, "conflict") == 0 && un == 0 ? 0 : 1);
    }
    waitpid(child, &st, 0);
    printf("child sees the parent's lock and holds none: %d\n", WIFEXITED(st) && WEXITSTATUS(st) == 0);

    /* 3. Closing another descriptor of the file releases the parent's locks. */
    int fd2 = open(FILE_NAME, O_RDONLY);
    close(fd2);
    child = fork();
    if (child == 0)
        _exit(strcmp(setlk(fd, F_WRLCK, 0, 0), "ok") == 0 ? 0 : 1);
    waitpid(child, &st, 0);
    printf("after closing another fd, the child could lock: %d\n", WIFEXITED(st) && WEXITSTATUS(st) == 0);

    /* 4. Wrong access mode and bad arguments. */
    int ro = open(FILE_NAME, O_RDONLY);
    SHOW("write lock on O_RDONLY fd", lk(ro, F_SETLK, F_WRLCK, SEEK_SET, 0, 1));
    SHOW("read lock on O_RDONLY fd", lk(ro, F_SETLK, F_RDLCK, SEEK_SET, 0, 1));
    SHOW("bad whence", lk(ro, F_SETLK, F_RDLCK, 9, 0, 1));
    SHOW("negative start", lk(ro, F_SETLK, F_RDLCK, SEEK_SET, -1, 1));
    SHOW("F_GETLK with F_UNLCK", lk(ro, F_GETLK, F_UNLCK, SEEK_SET, 0, 1));
    close(ro); /* releases the read lock too */

    /* 5. F_SETLKW waits until the child unlocks. The child says "U" before unlocking,
       so the parent finds the note already there when its wait ends. */
    int note[2];
    pipe(note);
    child = fork();
    if (child == 0) {
        lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 0);
        send_byte(up[1]);
        usleep(100 * 1000);
        write(note[1], "U", 1);
        lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0);
        wait_byte(down[0]);
        _exit(0);
    }
    wait_byte(up[0]);
    r = lk(fd, F_SETLKW, F_WRLCK, SEEK_SET, 10, 5);
    fcntl(note[0], F_SETFL, O_NONBLOCK);
    char c = 0;
    ssize_t n = read(note[0], &c, 1);
    printf("F_SETLKW: ret=%d, the child had unlocked first: %d\n", r, n == 1 && c == 'U');
    send_byte(down[1]);
    waitpid(child, &st, 0);
    lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0);

    /* 6. Deadlock: parent holds byte 0, child byte 1, each then waits for the other's.
       Whoever asks second gets EDEADLK (timing decides who); the other then gets its lock. */
    int rep[2];
    pipe(rep);
    lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 1);
    child = fork();
    if (child == 0) {
        lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 1, 1);
        send_byte(up[1]);
        wait_byte(down[0]);
        int rr = lk(fd, F_SETLKW, F_WRLCK, SEEK_SET, 0, 1);
        int e = errno;
        char res = rr == 0 ? 'G' : e == EDEADLK ? 'D' : '?';
        write(rep[1], &res, 1);
        _exit(0); /* releases byte 1 if the parent is waiting for it */
    }
    wait_byte(up[0]);
    send_byte(down[1]);
    usleep(50 * 1000);
    r = lk(fd, F_SETLKW, F_WRLCK, SEEK_SET, 1, 1);
    char mine = r == 0 ? 'G' : errno == EDEADLK ? 'D' : '?';
    if (mine == 'D')
        lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 1); /* let the child have byte 0 */
    char theirs = '?';
    read(rep[0], &theirs, 1);
    waitpid(child, &st, 0);
    printf("deadlock: exactly one side got EDEADLK and the other its lock: %d\n",
           (mine == 'D' && theirs == 'G') || (mine == 'G' && theirs == 'D'));

    close(fd);
    unlink(FILE_NAME);
    return 0;
}
