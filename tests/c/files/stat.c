// stat/fstat/lstat fields that are deterministic: type, size, mode & 0777 under a umask, nlink, ino equality.
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

static void show(const char *what, const struct stat *st)
{
    const char *t = S_ISREG(st->st_mode) ? "reg" : S_ISDIR(st->st_mode) ? "dir" : S_ISLNK(st->st_mode) ? "lnk"
                  : S_ISCHR(st->st_mode) ? "chr" : S_ISFIFO(st->st_mode) ? "fifo" : "other";
    /* directory sizes and link counts depend on the file system: only print them for files */
    if (S_ISDIR(st->st_mode))
        printf("%s: type=%s perm=%04o\n", what, t, (unsigned)(st->st_mode & 07777));
    else
        printf("%s: type=%s perm=%04o size=%lld nlink=%ld\n", what, t, (unsigned)(st->st_mode & 07777),
               (long long)st->st_size, (long)st->st_nlink);
}

int main(void)
{
    umask(022);
    int fd = open("file", O_CREAT | O_WRONLY, 0666);
    write(fd, "12345678901234567890", 20);
    struct stat st, st2;
    fstat(fd, &st);
    show("fstat file", &st);
    close(fd);
    stat("file", &st2);
    show("stat file", &st2);
    printf("same ino/dev=%d\n", st.st_ino == st2.st_ino && st.st_dev == st2.st_dev);
    printf("blocks sane=%d blksize>0=%d\n", st2.st_blocks >= 0, st2.st_blksize > 0);
    mkdir("dir", 0777);
    stat("dir", &st);
    show("stat dir", &st);
    mkdir("dir2", 0700);
    stat("dir2", &st);
    show("stat dir2", &st);
    symlink("file", "link");
    lstat("link", &st);
    printf("lstat link: type=%s size=%lld\n", S_ISLNK(st.st_mode) ? "lnk" : "?", (long long)st.st_size);
    stat(".", &st);
    printf("stat . is dir=%d\n", S_ISDIR(st.st_mode));
    fd = open("empty", O_CREAT | O_WRONLY, 0640);
    fstat(fd, &st);
    show("fstat empty 0640", &st);
    close(fd);
    fstatat(AT_FDCWD, "link", &st, AT_SYMLINK_NOFOLLOW);
    printf("fstatat nofollow is link=%d\n", S_ISLNK(st.st_mode));
    fstatat(AT_FDCWD, "link", &st, 0);
    printf("fstatat follow size=%lld\n", (long long)st.st_size);
    struct stat so;
    printf("fstat stdout ok=%d\n", fstat(1, &so) == 0);
    return 0;
}
