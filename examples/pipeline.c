/* Lind demo: one C program that does what a shell pipeline does. It forks
 * three cages connected by pipes — a generator, a filter and a counter —
 * exactly as on Linux, and waits for them. Under `lind run` all of this
 * happens inside one host process, and every cage sees only the root it
 * was given. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void die(const char *what) { perror(what); exit(1); }

/* Stage 1: read the poem from the cage's root and write it N times. */
static void generate(int out, const char *path, int times) {
    FILE *in = fopen(path, "r");
    if (!in) die(path);
    char text[4096];
    size_t n = fread(text, 1, sizeof text, in);
    fclose(in);
    for (int i = 0; i < times; i++)
        if (write(out, text, n) != (ssize_t)n) die("write");
}

/* Stage 2: keep only letters and spaces, upper-cased. */
static void filter(int in, int out) {
    char buf[4096];
    ssize_t n;
    while ((n = read(in, buf, sizeof buf)) > 0) {
        for (ssize_t i = 0; i < n; i++)
            buf[i] = isalpha((unsigned char)buf[i]) ? toupper((unsigned char)buf[i]) : ' ';
        write(out, buf, n);
    }
}

/* Stage 3: count bytes and words. */
static void count(int in, long *bytes, long *words) {
    char buf[4096];
    ssize_t n;
    int inword = 0;
    while ((n = read(in, buf, sizeof buf)) > 0) {
        *bytes += n;
        for (ssize_t i = 0; i < n; i++) {
            if (buf[i] != ' ' && !inword) (*words)++;
            inword = buf[i] != ' ';
        }
    }
}

int main(int argc, char **argv) {
    const char *path = argc > 1 ? argv[1] : "/poem.txt";
    int times = argc > 2 ? atoi(argv[2]) : 1000;
    int a[2], b[2];
    if (pipe(a) || pipe(b)) die("pipe");
    pid_t gen = fork();
    if (gen < 0) die("fork");
    if (gen == 0) {
        close(a[0]); close(b[0]); close(b[1]);
        generate(a[1], path, times);
        _exit(0);
    }
    pid_t filt = fork();
    if (filt < 0) die("fork");
    if (filt == 0) {
        close(a[1]); close(b[0]);
        filter(a[0], b[1]);
        _exit(0);
    }
    close(a[0]); close(a[1]); close(b[1]);
    long bytes = 0, words = 0;
    count(b[0], &bytes, &words);
    int s1, s2;
    waitpid(gen, &s1, 0);
    waitpid(filt, &s2, 0);
    printf("pipeline of 3 cages: %ld bytes, %ld words through 2 pipes (%d copies of %s)\n",
           bytes, words, times, path);
    printf("generator exited %d, filter exited %d\n", WEXITSTATUS(s1), WEXITSTATUS(s2));
    return WEXITSTATUS(s1) || WEXITSTATUS(s2);
}
