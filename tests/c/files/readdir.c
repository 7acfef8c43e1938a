// opendir/readdir (getdents) lists created entries; names are sorted before printing; d_type checked.
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void list(const char *path)
{
    DIR *d = opendir(path);
    if (!d) {
        printf("opendir %s failed\n", path);
        return;
    }
    char *names[512];
    int n = 0, dots = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 512) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) {
            dots++;
            continue;
        }
        char tmp[300];
        const char *t = e->d_type == DT_DIR ? "/" : e->d_type == DT_LNK ? "@" : e->d_type == DT_REG ? "" : e->d_type == DT_UNKNOWN ? "?" : "!";
        snprintf(tmp, sizeof tmp, "%s%s", e->d_name, t);
        names[n++] = strdup(tmp);
    }
    closedir(d);
    qsort(names, n, sizeof names[0], cmp);
    printf("%s: %d entries, dot entries=%d\n", path, n, dots);
    for (int i = 0; i < n; i++) {
        if (n <= 20 || i < 3 || i >= n - 3)
            printf("  %s\n", names[i]);
        free(names[i]);
    }
}

int main(void)
{
    mkdir("d", 0755);
    const char *files[] = {"zeta", "alpha", "Mid", "b.txt", ".hidden", "with space"};
    for (int i = 0; i < 6; i++) {
        char p[64];
        snprintf(p, sizeof p, "d/%s", files[i]);
        close(open(p, O_CREAT | O_WRONLY, 0644));
    }
    mkdir("d/sub", 0755);
    symlink("alpha", "d/lnk");
    list("d");
    list("d/sub");
    /* many entries force several getdents calls */
    mkdir("many", 0755);
    for (int i = 0; i < 300; i++) {
        char p[64];
        snprintf(p, sizeof p, "many/file_with_a_longish_name_%03d", i);
        close(open(p, O_CREAT | O_WRONLY, 0644));
    }
    list("many");
    unlink("d/zeta");
    list("d");
    /* rewinddir and telldir consistency */
    DIR *dd = opendir("d");
    int c1 = 0, c2 = 0;
    while (readdir(dd)) c1++;
    rewinddir(dd);
    while (readdir(dd)) c2++;
    closedir(dd);
    printf("rewinddir counts equal=%d (%d)\n", c1 == c2, c1);
    return 0;
}
