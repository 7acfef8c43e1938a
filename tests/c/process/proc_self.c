// /proc/self (status Pid/PPid lines, cmdline, the fd directory and its links), /dev/fd/N and /dev/stdin, and realpath() of relative paths and symlinks in a subdirectory.
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int status_field(const char *name, long *out)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return 0;
    char line[256];
    size_t n = strlen(name);
    int found = 0;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, name, n) == 0 && line[n] == ':') {
            *out = strtol(line + n + 1, NULL, 10);
            found = 1;
        }
    }
    fclose(f);
    return found;
}

static int fd_listed(int fd)
{
    DIR *d = opendir("/proc/self/fd");
    if (!d)
        return 0;
    char want[16];
    snprintf(want, sizeof want, "%d", fd);
    int found = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, want) == 0)
            found = 1;
    closedir(d);
    return found;
}

int main(int argc, char **argv)
{
    long pid = -1, ppid = -1;
    int has_pid = status_field("Pid", &pid);
    int has_ppid = status_field("PPid", &ppid);
    printf("status Pid: line equals getpid(): %d\n", has_pid && pid == getpid());
    printf("status PPid: line equals getppid(): %d\n", has_ppid && ppid == getppid());

    char buf[PATH_MAX];
    ssize_t n = readlink("/proc/self", buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    char mine[32];
    snprintf(mine, sizeof mine, "%d", (int)getpid());
    printf("/proc/self links to the pid: %d\n", strcmp(buf, mine) == 0);

    /* cmdline: the arguments, each NUL-terminated. */
    int fd = open("/proc/self/cmdline", O_RDONLY);
    char cmd[4096];
    n = read(fd, cmd, sizeof cmd);
    close(fd);
    size_t want = 0;
    int same = 1;
    for (int i = 0; i < argc; i++) {
        size_t l = strlen(argv[i]) + 1;
        if (want + l > (size_t)n || memcmp(cmd + want, argv[i], l) != 0)
            same = 0;
        want += l;
    }
    printf("cmdline matches argv: %d\n", same && (size_t)n == want);

    /* A file in a subdirectory, opened by a relative path. */
    mkdir("sub", 0755);
    fd = open("sub/data.txt", O_CREAT | O_RDWR | O_TRUNC, 0644);
    write(fd, "hello", 5);
    char cwd[PATH_MAX], expect[PATH_MAX + 32];
    getcwd(cwd, sizeof cwd);
    snprintf(expect, sizeof expect, "%s/sub/data.txt", strcmp(cwd, "/") == 0 ? "" : cwd);
    char link[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    n = readlink(link, buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    printf("fd link names cwd + /sub/data.txt: %d\n", strcmp(buf, expect) == 0);
    struct stat a, b;
    fstat(fd, &a);
    stat(link, &b);
    printf("stat through the fd link is the file: %d\n", a.st_ino == b.st_ino && a.st_dev == b.st_dev);
    printf("fd listed in /proc/self/fd: %d, stdio too: %d\n", fd_listed(fd),
           fd_listed(0) && fd_listed(1) && fd_listed(2));

    /* /dev/fd/N after dup2 opens the same file afresh (offset 0). */
    dup2(fd, 7);
    int again = open("/dev/fd/7", O_RDONLY);
    char got[16] = {0};
    n = read(again, got, sizeof got - 1);
    printf("/dev/fd/7 read: %d \"%s\"\n", (int)n, got);
    close(again);

    /* A pipe has no path, yet /dev/fd/N reaches it. */
    int p[2];
    pipe(p);
    write(p[1], "piped", 5);
    char name[32];
    snprintf(name, sizeof name, "/dev/fd/%d", p[0]);
    int pr = open(name, O_RDONLY);
    memset(got, 0, sizeof got);
    n = read(pr, got, sizeof got - 1);
    printf("pipe through %s: %d \"%s\"\n", pr >= 0 ? "/dev/fd/N" : "nothing", (int)n, got);
    snprintf(link, sizeof link, "/proc/self/fd/%d", p[0]);
    n = readlink(link, buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    printf("pipe link looks like pipe:[N]: %d\n", strncmp(buf, "pipe:[", 6) == 0 && buf[n - 1] == ']');

    /* stdin is /dev/null in this suite: /dev/stdin reads EOF; /dev/stdout writes. */
    int in = open("/dev/stdin", O_RDONLY);
    printf("/dev/stdin: open ok %d, read %d\n", in >= 0, (int)read(in, got, 1));
    fflush(stdout);
    int out = open("/dev/stdout", O_WRONLY);
    write(out, "written via /dev/stdout\n", 24);
    close(out);

    /* realpath of relative paths and a symlink. */
    symlink("sub/data.txt", "link");
    char *r1 = realpath("sub/../sub/./data.txt", NULL);
    char *r2 = realpath("link", NULL);
    chdir("sub");
    char *r3 = realpath("data.txt", NULL);
    char *r4 = realpath("..", NULL);
    printf("realpath(sub/../sub/./data.txt) = cwd/sub/data.txt: %d\n", r1 && strcmp(r1, expect) == 0);
    printf("realpath(link) = cwd/sub/data.txt: %d\n", r2 && strcmp(r2, expect) == 0);
    printf("in sub: realpath(data.txt) = cwd/sub/data.txt: %d\n", r3 && strcmp(r3, expect) == 0);
    printf("in sub: realpath(..) = cwd: %d\n", r4 && strcmp(r4, cwd) == 0);
    printf("realpath(missing) fails: %d\n", realpath("missing/x", buf) == NULL);
    free(r1);
    free(r2);
    free(r3);
    free(r4);
    chdir("..");
    unlink("link");
    unlink("sub/data.txt");
    rmdir("sub");
    return 0;
}
