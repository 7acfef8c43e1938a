// mkstemp in /tmp (created if the root lacks it): unique names, mode 0600, write/read, unlink.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(void)
{
    struct stat st;
    if (stat("/tmp", &st) != 0)
        mkdir("/tmp", 01777);
    printf("/tmp is dir=%d\n", stat("/tmp", &st) == 0 && S_ISDIR(st.st_mode));
    char t1[] = "/tmp/lindsuiteXXXXXX", t2[] = "/tmp/lindsuiteXXXXXX";
    int a = mkstemp(t1), b = mkstemp(t2);
    printf("mkstemp ok=%d %d\n", a >= 0, b >= 0);
    printf("names differ=%d prefix kept=%d XXXXXX replaced=%d\n", strcmp(t1, t2) != 0,
           strncmp(t1, "/tmp/lindsuite", 14) == 0, strstr(t1, "XXXXXX") == NULL);
    fstat(a, &st);
    printf("mode=%04o regular=%d size=%lld\n", (unsigned)(st.st_mode & 07777), S_ISREG(st.st_mode), (long long)st.st_size);
    write(a, "temporary data", 14);
    lseek(a, 0, SEEK_SET);
    char buf[32] = {0};
    read(a, buf, sizeof buf - 1);
    printf("read back=[%s]\n", buf);
    int u1 = unlink(t1);
    int u2 = unlink(t2);
    printf("unlink=%d %d\n", u1, u2);
    printf("still readable after unlink: %zd\n", pread(a, buf, 4, 0));
    fstat(a, &st);
    printf("nlink after unlink=%ld\n", (long)st.st_nlink);
    close(a);
    close(b);
    char bad[] = "/tmp/noXs";
    errno = 0;
    int r = mkstemp(bad);
    printf("mkstemp without XXXXXX=%d EINVAL=%d\n", r, errno == EINVAL);
    char dt[] = "/tmp/lindsuitedirXXXXXX";
    char *d = mkdtemp(dt);
    printf("mkdtemp ok=%d dir=%d\n", d != NULL, d && stat(d, &st) == 0 && S_ISDIR(st.st_mode));
    if (d) {
        unsigned mode = st.st_mode & 0777;
        printf("mkdtemp mode=%04o rmdir=%d\n", mode, rmdir(d));
    }
    FILE *f = tmpfile();
    printf("tmpfile ok=%d\n", f != NULL);
    if (f) {
        fputs("tmpfile contents", f);
        rewind(f);
        char line[32] = {0};
        fgets(line, sizeof line, f);
        printf("tmpfile read=[%s]\n", line);
        fclose(f);
    }
    return 0;
}
