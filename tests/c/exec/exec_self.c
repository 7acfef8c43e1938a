// execve of a program inside the root: arguments and environment arrive, the pid stays, close-on-exec descriptors close and others stay open; a failed exec returns to the caller.
// SELF: self
#include "../common/errname.h"
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "child") == 0) {
        /* The new image: report what it inherited. */
        printf("new image: argc=%d argv[2]=%s GREETING=%s\n", argc, argv[2], getenv("GREETING") ? getenv("GREETING") : "(none)");
        printf("pid kept: %d\n", atoi(argv[3]) == getpid());
        printf("fd 5 (no cloexec) open: %d, fd 6 (cloexec) open: %d\n", fcntl(5, F_GETFD) >= 0, fcntl(6, F_GETFD) >= 0);
        char buf[6] = {0};
        printf("read through fd 5: %zd '%s'\n", pread(5, buf, 5, 0), buf);
        return 7;
    }
    int fd = open("data.txt", O_RDWR | O_CREAT | O_TRUNC, 0644);
    write(fd, "hello", 5);
    dup2(fd, 5);
    fcntl(fd, F_DUPFD_CLOEXEC, 6);
    SHOW("exec of a missing file", execl("./missing", "missing", (char *)0));
    SHOW("exec of a directory", execl(".", "dot", (char *)0));
    int nf = open("notexec.txt", O_WRONLY | O_CREAT, 0644);
    write(nf, "text\n", 5);
    close(nf);
    SHOW("exec without x permission", execl("./notexec.txt", "x", (char *)0));
    chmod("notexec.txt", 0755);
    SHOW("exec of a text file without #!", execl("./notexec.txt", "x", (char *)0));
    /* A Wasm module header without Lind's ABI mark (natively: no format). */
    int wf = open("bare.wasm", O_WRONLY | O_CREAT, 0755);
    write(wf, "\0asm\1\0\0\0", 8);
    close(wf);
    SHOW("exec of a module not built by lind cc", execl("./bare.wasm", "bare", (char *)0));
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        char pidbuf[16];
        snprintf(pidbuf, sizeof pidbuf, "%d", getpid());
        char *args[] = {"self", "child", "second-arg", pidbuf, NULL};
        char *env[] = {"GREETING=hi", NULL};
        execve("./self", args, env);
        printf("execve failed: %s\n", errname(errno));
        _exit(1);
    }
    int st;
    waitpid(pid, &st, 0);
    printf("child exited %d\n", WEXITSTATUS(st));
    return 0;
}
