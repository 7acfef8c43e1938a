// posix_fallocate and posix_fadvise: a file grows to cover the range (reading zeros), a range
// inside it changes nothing, a memfd grows too; fadvise accepts the known advice on files and
// refuses pipes (ESPIPE), bad advice and lengths (EINVAL); fallocate refuses read-only and bad
// descriptors (EBADF), sockets and devices (ENODEV), empty ranges (EINVAL).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

static long long size_of(int fd)
{
    struct stat st;
    fstat(fd, &st);
    return (long long)st.st_size;
}

static const char *name(int e)
{
    switch (e) {
    case 0: return "OK";
    case EBADF: return "EBADF";
    case EINVAL: return "EINVAL";
    case ESPIPE: return "ESPIPE";
    case ENODEV: return "ENODEV";
    default: return "other";
    }
}

static void grow(const char *what, int fd)
{
    write(fd, "abc", 3);
    int r1 = posix_fallocate(fd, 4096, 8192);
    long long s1 = size_of(fd);
    int r2 = posix_fallocate(fd, 0, 100);
    long long s2 = size_of(fd);
    char buf[4] = {1, 1, 1, 1};
    pread(fd, buf, 4, 5000);
    int zeros = !buf[0] && !buf[1] && !buf[2] && !buf[3];
    char head[3];
    pread(fd, head, 3, 0);
    printf("%s: grow %s to %lld, inside %s stays %lld, zeros %d, data kept %d\n", what, name(r1), s1,
           name(r2), s2, zeros, memcmp(head, "abc", 3) == 0);
}

int main(void)
{
    int f = open("file", O_CREAT | O_RDWR | O_TRUNC, 0644);
    grow("regular file", f);
    int t = open("/tmp/lind-fallocate-test", O_CREAT | O_RDWR | O_TRUNC, 0644);
    if (t >= 0) {
        grow("/tmp file", t);
        unlink("/tmp/lind-fallocate-test");
    }
    int m = memfd_create("m", 0);
    grow("memfd", m);

    for (int advice = POSIX_FADV_NORMAL; advice <= POSIX_FADV_NOREUSE; advice++)
        printf("fadvise %d: %s\n", advice, name(posix_fadvise(f, 0, 100, advice)));
    printf("fadvise bad advice: %s, negative length: %s\n", name(posix_fadvise(f, 0, 100, 77)),
           name(posix_fadvise(f, 0, -1, POSIX_FADV_NORMAL)));

    int p[2];
    pipe(p);
    int s[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, s);
    int null = open("/dev/null", O_RDWR);
    int ro = open("file", O_RDONLY);
    printf("fadvise pipe: %s, socket: %s, bad fd: %s\n", name(posix_fadvise(p[0], 0, 1, 0)),
           name(posix_fadvise(s[0], 0, 1, 0)), name(posix_fadvise(99, 0, 1, 0)));
    printf("fallocate read-only: %s, pipe writer: %s, socket: %s, /dev/null: %s, bad fd: %s\n",
           name(posix_fallocate(ro, 0, 10)), name(posix_fallocate(p[1], 0, 10)),
           name(posix_fallocate(s[0], 0, 10)), name(posix_fallocate(null, 0, 10)),
           name(posix_fallocate(99, 0, 10)));
    printf("fallocate empty range: %s, negative offset: %s\n", name(posix_fallocate(f, 0, 0)),
           name(posix_fallocate(f, -1, 10)));
    return 0;
}
