// pipe2 flags: O_CLOEXEC is visible through F_GETFD on both ends (and inherited over fork), O_NONBLOCK through F_GETFL; access modes are read/write-only; unknown flags are EINVAL; bad pointer is EFAULT; ends are the lowest free fds.
#define _GNU_SOURCE /* pipe2 in glibc */
#include "../common/errname.h"
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    int p[2];
    SHOW("pipe", pipe(p));
    printf("plain: fds %d %d FD_CLOEXEC %d %d\n", p[0], p[1], fcntl(p[0], F_GETFD), fcntl(p[1], F_GETFD));
    printf("plain: accmode read=%d write=%d nonblock=%d\n", (fcntl(p[0], F_GETFL) & O_ACCMODE) == O_RDONLY,
           (fcntl(p[1], F_GETFL) & O_ACCMODE) == O_WRONLY, (fcntl(p[0], F_GETFL) & O_NONBLOCK) != 0);
    SHOW("write on the read end", write(p[0], "x", 1));
    char c;
    SHOW("read on the write end", read(p[1], &c, 1));
    struct stat st;
    fstat(p[0], &st);
    printf("S_ISFIFO=%d\n", S_ISFIFO(st.st_mode));
    SHOW("lseek on a pipe", lseek(p[0], 0, SEEK_SET));
    close(p[0]);
    close(p[1]);

    int q[2];
    SHOW("pipe2 O_CLOEXEC", pipe2(q, O_CLOEXEC));
    printf("cloexec: fds %d %d FD_CLOEXEC %d %d\n", q[0], q[1], fcntl(q[0], F_GETFD), fcntl(q[1], F_GETFD));
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0)
        _exit(fcntl(q[0], F_GETFD) == FD_CLOEXEC && fcntl(q[1], F_GETFD) == FD_CLOEXEC ? 1 : 2);
    int s;
    waitpid(pid, &s, 0);
    printf("child sees FD_CLOEXEC on both: %d\n", WEXITSTATUS(s) == 1);
    close(q[0]);
    close(q[1]);

    SHOW("pipe2 O_NONBLOCK|O_CLOEXEC", pipe2(q, O_NONBLOCK | O_CLOEXEC));
    printf("nonblock: %d %d cloexec: %d %d\n", (fcntl(q[0], F_GETFL) & O_NONBLOCK) != 0,
           (fcntl(q[1], F_GETFL) & O_NONBLOCK) != 0, fcntl(q[0], F_GETFD), fcntl(q[1], F_GETFD));
    close(q[0]);
    close(q[1]);

    SHOW("pipe2 bad flag O_APPEND", pipe2(q, O_APPEND));
    SHOW("pipe2 bad flag 0x1", pipe2(q, 1));
    SHOW("pipe bad pointer", pipe((int *)8));

    /* Lowest free descriptors: close 0 (stdin) and the pipe takes 0 and 3. */
    close(0);
    SHOW("pipe with fd 0 free", pipe(p));
    printf("ends: %d %d\n", p[0], p[1]);
    return 0;
}
