// Ownership: new files belong to getuid()/getgid(); chown/fchown/lchown to the same ids succeed.
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

int main(void)
{
    int fd = open("f", O_CREAT | O_WRONLY, 0644);
    struct stat st;
    fstat(fd, &st);
    printf("owner is getuid=%d group is getgid=%d\n", st.st_uid == getuid(), st.st_gid == getgid());
    printf("chown same=%d\n", chown("f", getuid(), getgid()));
    printf("fchown same=%d\n", fchown(fd, getuid(), getgid()));
    printf("chown -1,-1=%d\n", chown("f", (uid_t)-1, (gid_t)-1));
    symlink("f", "l");
    printf("lchown same=%d\n", lchown("l", getuid(), getgid()));
    mkdir("d", 0755);
    stat("d", &st);
    printf("dir owner is getuid=%d\n", st.st_uid == getuid());
    stat(".", &st);
    printf("cwd owner is getuid=%d\n", st.st_uid == getuid());
    close(fd);
    return 0;
}
