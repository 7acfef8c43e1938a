// fcntl F_GETFD/F_SETFD, F_GETFL/F_SETFL (O_APPEND, O_NONBLOCK), F_DUPFD/F_DUPFD_CLOEXEC.
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int main(void)
{
    int fd = open("f", O_CREAT | O_RDWR | O_TRUNC, 0644);
    printf("F_GETFD=%d\n", fcntl(fd, F_GETFD));
    int r = fcntl(fd, F_SETFD, FD_CLOEXEC);
    printf("F_SETFD=%d F_GETFD=%d\n", r, fcntl(fd, F_GETFD));
    int fl = fcntl(fd, F_GETFL);
    printf("accmode RDWR=%d append=%d nonblock=%d\n", (fl & O_ACCMODE) == O_RDWR, !!(fl & O_APPEND), !!(fl & O_NONBLOCK));
    r = fcntl(fd, F_SETFL, fl | O_APPEND | O_NONBLOCK);
    printf("F_SETFL=%d\n", r);
    fl = fcntl(fd, F_GETFL);
    printf("append=%d nonblock=%d\n", !!(fl & O_APPEND), !!(fl & O_NONBLOCK));
    write(fd, "12345", 5);
    lseek(fd, 0, SEEK_SET);
    write(fd, "6", 1);
    printf("offset after appended write=%lld\n", (long long)lseek(fd, 0, SEEK_CUR));
    int d = fcntl(fd, F_DUPFD, 20);
    printf("F_DUPFD >=20 -> %d cloexec=%d\n", d, fcntl(d, F_GETFD));
    int d2 = fcntl(fd, F_DUPFD, 20);
    printf("F_DUPFD again -> %d\n", d2);
    int d3 = fcntl(fd, F_DUPFD_CLOEXEC, 5);
    printf("F_DUPFD_CLOEXEC >=5 -> %d cloexec=%d\n", d3, fcntl(d3, F_GETFD));
    printf("dup shares status flags: append=%d\n", !!(fcntl(d, F_GETFL) & O_APPEND));
    int ro = open("f", O_RDONLY);
    printf("O_RDONLY accmode=%d\n", (fcntl(ro, F_GETFL) & O_ACCMODE) == O_RDONLY);
    int w = open("f", O_WRONLY | O_CLOEXEC);
    printf("O_WRONLY accmode=%d O_CLOEXEC->FD_CLOEXEC=%d\n", (fcntl(w, F_GETFL) & O_ACCMODE) == O_WRONLY, fcntl(w, F_GETFD));
    return 0;
}
