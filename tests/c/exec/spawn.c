// posix_spawn starts programs from the root (here the test itself, via its copy ./self), with file actions redirecting output; a missing program is reported (system() and popen(): exec/system.c).
// SELF: self
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
    if (argc > 1) {
        printf("spawned with %s\n", argv[1]);
        return atoi(argv[2]);
    }
    pid_t pid;
    char *args[] = {"self", "file-actions", "4", NULL};
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "out.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int r = posix_spawn(&pid, "./self", &fa, NULL, args, environ);
    int st;
    waitpid(pid, &st, 0);
    printf("posix_spawn=%d exit=%d\n", r, WEXITSTATUS(st));
    char line[100] = {0};
    FILE *f = fopen("out.txt", "r");
    fgets(line, sizeof line, f);
    fclose(f);
    printf("redirected: %s", line);
    r = posix_spawn(&pid, "./missing", NULL, NULL, args, environ);
    printf("missing program: %s\n", r == ENOENT ? "ENOENT" : "other");
    return 0;
}
