// utimensat/futimens/utime set fixed times that stat reports back; UTIME_OMIT keeps one of them.
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>
#include <utime.h>

static void show(const char *what)
{
    struct stat st;
    stat("f", &st);
    printf("%s: atime=%lld.%09ld mtime=%lld.%09ld\n", what, (long long)st.st_atim.tv_sec, st.st_atim.tv_nsec,
           (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
}

int main(void)
{
    int fd = open("f", O_CREAT | O_WRONLY, 0644);
    struct timespec ts[2] = {{1000000000, 123456789}, {1234567890, 500}};
    printf("utimensat=%d\n", utimensat(AT_FDCWD, "f", ts, 0));
    show("after utimensat");
    struct timespec om[2] = {{0, UTIME_OMIT}, {1500000000, 0}};
    printf("utimensat omit atime=%d\n", utimensat(AT_FDCWD, "f", om, 0));
    show("after omit");
    struct timespec ft[2] = {{2000000000, 1}, {2000000001, 2}};
    printf("futimens=%d\n", futimens(fd, ft));
    show("after futimens");
    struct utimbuf ub = {86400, 172800};
    printf("utime=%d\n", utime("f", &ub));
    show("after utime");
    struct timeval tv[2] = {{300, 4}, {400, 5}};
    printf("utimes=%d\n", utimes("f", tv));
    show("after utimes (usec->nsec)");
    struct timespec big[2] = {{4102444800LL, 0}, {4102444800LL, 999999999}};
    printf("utimensat year 2100=%d\n", utimensat(AT_FDCWD, "f", big, 0));
    show("after 2100");
    symlink("f", "l");
    struct timespec lt[2] = {{5, 0}, {6, 0}};
    printf("utimensat nofollow on symlink=%d\n", utimensat(AT_FDCWD, "l", lt, AT_SYMLINK_NOFOLLOW));
    show("target unchanged");
    struct stat st;
    lstat("l", &st);
    printf("link mtime=%lld\n", (long long)st.st_mtim.tv_sec);
    struct timespec bad[2] = {{0, 1000000000}, {0, 0}};
    printf("utimensat bad nsec=%d\n", utimensat(AT_FDCWD, "f", bad, 0));
    close(fd);
    return 0;
}
