// umask returns the previous mask and filters creation modes; chmod/fchmod/fchmodat set exact bits.
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

static unsigned perm(const char *p)
{
    struct stat st;
    if (stat(p, &st) != 0)
        return 0xFFFF;
    return st.st_mode & 07777;
}

int main(void)
{
    umask(022);
    printf("umask(027) old=%03o\n", (unsigned)umask(027));
    printf("umask(027) again old=%03o\n", (unsigned)umask(027));
    close(open("a", O_CREAT | O_WRONLY, 0777));
    printf("a created 0777 under 027 -> %04o\n", perm("a"));
    mkdir("d", 0777);
    printf("d mkdir 0777 under 027 -> %04o\n", perm("d"));
    umask(0);
    close(open("b", O_CREAT | O_WRONLY, 0666));
    printf("b created 0666 under 000 -> %04o\n", perm("b"));
    int r = chmod("a", 0604);
    printf("chmod a 0604=%d -> %04o\n", r, perm("a"));
    r = chmod("a", 0);
    printf("chmod a 0=%d -> %04o\n", r, perm("a"));
    int fd = open("b", O_RDONLY);
    r = fchmod(fd, 0751);
    printf("fchmod b 0751=%d -> %04o\n", r, perm("b"));
    r = fchmod(fd, 04755);
    printf("fchmod setuid 04755=%d -> %04o\n", r, perm("b"));
    close(fd);
    r = fchmodat(AT_FDCWD, "d", 0700, 0);
    printf("fchmodat 0700=%d -> %04o\n", r, perm("d"));
    symlink("b", "l");
    r = chmod("l", 0640);
    printf("chmod via symlink 0640=%d b -> %04o\n", r, perm("b"));
    printf("chmod missing=%d\n", chmod("missing", 0644));
    printf("umask final old=%03o\n", (unsigned)umask(022));
    return 0;
}
