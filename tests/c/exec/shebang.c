// #! scripts: the kernel runs the interpreter named on the first line with its optional argument, the script path and the original arguments; nested interpreters work.
// SELF: interp
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void write_script(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    chmod(path, 0755);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "-i") == 0) {
        /* Acting as the interpreter: show what the kernel passed. */
        for (int i = 1; i < argc; i++) printf("  arg[%d]=%s\n", i, argv[i]);
        return 3;
    }
    write_script("script1", "#!./interp -i\nignored body\n");
    write_script("script2", "#!./script1\n");
    const char *names[] = {"./script1", "./script2"};
    for (int k = 0; k < 2; k++) {
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0) {
            execl(names[k], "argv0", "one", "two", (char *)0);
            _exit(99);
        }
        int st;
        waitpid(pid, &st, 0);
        printf("%s exited %d\n", names[k], WEXITSTATUS(st));
    }
    return 0;
}
