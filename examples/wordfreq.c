/* Lind demo: a small C program doing what real programs do — reads a file
 * from the cage's root, counts words with a hash table on the heap, writes a
 * report into the cage's in-memory /tmp, reads it back and prints it. Its
 * view of the file system is only the directory given with --root. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct word { char *text; int count; struct word *next; };

static unsigned hash(const char *s) {
    unsigned h = 2166136261u;
    while (*s) h = (h ^ (unsigned char)*s++) * 16777619u;
    return h;
}

static int by_count(const void *a, const void *b) {
    const struct word *x = *(struct word *const *)a, *y = *(struct word *const *)b;
    return x->count != y->count ? y->count - x->count : strcmp(x->text, y->text);
}

int main(int argc, char **argv) {
    const char *path = argc > 1 ? argv[1] : "/poem.txt";
    FILE *in = fopen(path, "r");
    if (!in) {
        fprintf(stderr, "wordfreq: %s: %s\n", path, strerror(errno));
        return 1;
    }
    enum { BUCKETS = 1024 };
    struct word *table[BUCKETS] = {0};
    int distinct = 0, total = 0, len = 0, c;
    char buf[128];
    do {
        c = fgetc(in);
        if (c != EOF && isalpha(c) && len < (int)sizeof buf - 1) {
            buf[len++] = (char)tolower(c);
            continue;
        }
        if (len == 0) continue;
        buf[len] = 0;
        len = 0;
        total++;
        struct word **slot = &table[hash(buf) % BUCKETS];
        while (*slot && strcmp((*slot)->text, buf)) slot = &(*slot)->next;
        if (!*slot) {
            *slot = calloc(1, sizeof **slot);
            (*slot)->text = strdup(buf);
            distinct++;
        }
        (*slot)->count++;
    } while (c != EOF);
    fclose(in);

    struct word **all = malloc(distinct * sizeof *all);
    int n = 0;
    for (int i = 0; i < BUCKETS; i++)
        for (struct word *w = table[i]; w; w = w->next) all[n++] = w;
    qsort(all, n, sizeof *all, by_count);

    FILE *out = fopen("/tmp/report.txt", "w");
    fprintf(out, "%d words, %d distinct\n", total, distinct);
    for (int i = 0; i < n && i < 5; i++) fprintf(out, "%6d  %s\n", all[i]->count, all[i]->text);
    fclose(out);

    struct stat st;
    stat("/tmp/report.txt", &st);
    int fd = open("/tmp/report.txt", O_RDONLY);
    char *report = malloc(st.st_size + 1);
    ssize_t got = read(fd, report, st.st_size);
    close(fd);
    report[got > 0 ? got : 0] = 0;
    printf("%s: top words (report of %lld bytes written to /tmp and read back)\n%s", path,
           (long long)st.st_size, report);
    return 0;
}
