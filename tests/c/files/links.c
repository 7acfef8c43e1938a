// link raises nlink, symlink/readlink round-trip, lstat vs stat, dangling and relative symlinks.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../common/errname.h"

int main(void)
{
    int fd = open("orig", O_CREAT | O_WRONLY | O_TRUNC, 0644);
    write(fd, "payload", 7);
    close(fd);
    struct stat st, st2;
    stat("orig", &st);
    printf("nlink before=%ld\n", (long)st.st_nlink);
    SHOW("link", link("orig", "hard"));
    stat("orig", &st);
    stat("hard", &st2);
    printf("nlink after=%ld same inode=%d\n", (long)st.st_nlink, st.st_ino == st2.st_ino && st.st_dev == st2.st_dev);
    SHOW("link existing", link("orig", "hard"));
    SHOW("symlink", symlink("orig", "soft"));
    char buf[256];
    ssize_t n = readlink("soft", buf, sizeof buf);
    printf("readlink=%zd [%.*s]\n", n, (int)(n > 0 ? n : 0), buf);
    n = readlink("soft", buf, 2);
    printf("readlink truncated=%zd [%.*s]\n", n, (int)(n > 0 ? n : 0), buf);
    lstat("soft", &st);
    printf("lstat: symlink=%d size=%lld\n", S_ISLNK(st.st_mode), (long long)st.st_size);
    stat("soft", &st);
    printf("stat: regular=%d size=%lld\n", S_ISREG(st.st_mode), (long long)st.st_size);
    fd = open("soft", O_RDONLY);
    memset(buf, 0, sizeof buf);
    read(fd, buf, sizeof buf - 1);
    close(fd);
    printf("read through symlink=[%s]\n", buf);
    SHOW("unlink orig", unlink("orig"));
    stat("hard", &st);
    printf("hard nlink=%ld\n", (long)st.st_nlink);
    errno = 0;
    int r = stat("soft", &st);
    printf("stat dangling=%d %s\n", r, errname(errno));
    printf("lstat dangling=%d\n", lstat("soft", &st));
    mkdir("dir", 0755);
    SHOW("symlink relative into dir", symlink("../hard", "dir/up"));
    fd = open("dir/up", O_RDONLY);
    memset(buf, 0, sizeof buf);
    read(fd, buf, sizeof buf - 1);
    close(fd);
    printf("read dir/up=[%s]\n", buf);
    SHOW("symlink to dir", symlink("dir", "dirlink"));
    fd = open("dirlink/up", O_RDONLY);
    printf("open via dir symlink ok=%d\n", fd >= 0);
    close(fd);
    SHOW("symlink loop a", symlink("loop_b", "loop_a"));
    SHOW("symlink loop b", symlink("loop_a", "loop_b"));
    SHOW("open loop", open("loop_a", O_RDONLY));
    SHOW("O_NOFOLLOW on symlink", open("dirlink", O_RDONLY | O_NOFOLLOW));
    SHOW("unlink symlink", unlink("dirlink"));
    printf("dir still exists=%d\n", access("dir", F_OK) == 0);
    SHOW("symlinkat/readlinkat", symlinkat("target-text", AT_FDCWD, "s2"));
    n = readlinkat(AT_FDCWD, "s2", buf, sizeof buf);
    printf("readlinkat=[%.*s]\n", (int)(n > 0 ? n : 0), buf);
    return 0;
}
