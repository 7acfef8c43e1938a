// posix_spawn's file actions run in the order they were added (open, dup2,
// close, open again on the same fd), an action on the descriptors
// posix_spawn itself uses internally does not hide an exec failure, a
// failing action is the return value, and addchdir changes the child's
// directory before the exec.
// SELF: self
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static void show(const char *path)
{
    char buf[256] = {0};
    int fd = open(path, O_RDONLY);
    ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
    if (fd >= 0)
        close(fd);
    printf("%s: %s", path, n > 0 ? buf : "(nothing)\n");
}

static int run(posix_spawn_file_actions_t *fa, const char *path, char *mode)
{
    char *args[] = {"self", mode, NULL};
    pid_t pid;
    int r = posix_spawn(&pid, path, fa, NULL, args, environ);
    int st = -1;
    if (r == 0)
        waitpid(pid, &st, 0);
    printf("%s: r=%s exit=%d\n", mode, r == 0 ? "0" : r == ENOENT ? "ENOENT" : "other",
           r == 0 && WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    return r;
}

int main(int argc, char **argv)
{
    if (argc > 1) {
        if (strcmp(argv[1], "order") == 0) {
            printf("to stdout\n");
            fprintf(stderr, "to stderr\n");
            printf("fd 7 %s\n", fcntl(7, F_GETFD) >= 0 ? "open" : "closed");
            printf("fd 8 %s\n", fcntl(8, F_GETFD) >= 0 ? "open" : "closed");
        } else if (strcmp(argv[1], "cwd") == 0) {
            char cwd[PATH_MAX];
            if (getcwd(cwd, sizeof cwd)) {
                char *base = strrchr(cwd, '/');
                printf("cwd ends in %s\n", base ? base + 1 : cwd);
            }
        }
        return 3;
    }
    // Children write to the same stdout: flush at each line, as lind does.
    setvbuf(stdout, NULL, _IOLBF, 0);
    posix_spawn_file_actions_t fa;

    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 7, "first.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&fa, 7, 1);
    posix_spawn_file_actions_addclose(&fa, 7);
    posix_spawn_file_actions_addopen(&fa, 7, "second.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&fa, 7, 2);
    posix_spawn_file_actions_adddup2(&fa, 7, 8);
    posix_spawn_file_actions_addclose(&fa, 8);
    run(&fa, "./self", "order");
    posix_spawn_file_actions_destroy(&fa);
    show("first.txt");
    show("second.txt");

    // Descriptors 3 and 4 are where a spawn's own pipe would go: actions
    // that take them over must not lose the exec's failure.
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, 1, 3);
    posix_spawn_file_actions_adddup2(&fa, 1, 4);
    posix_spawn_file_actions_adddup2(&fa, 1, 5);
    run(&fa, "./missing", "taken-over");
    run(&fa, "./self", "taken-over-ok");
    posix_spawn_file_actions_destroy(&fa);

    // A failing action is what posix_spawn returns.
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 5, "no/such/dir/f", O_RDONLY, 0);
    run(&fa, "./self", "bad-open");
    posix_spawn_file_actions_destroy(&fa);

    mkdir("sub", 0755);
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addchdir_np(&fa, "sub");
    run(&fa, "../self", "cwd");
    posix_spawn_file_actions_destroy(&fa);
    return 0;
}
