// statfs/fstatfs/statvfs: the directory the program runs in reports its host file system's kind
// and sizes (the same through a path, a descriptor and statvfs); /proc, /dev and /dev/shm report
// Linux's proc and tmpfs kinds; pipes, sockets, memfds and eventfds their pseudo file systems;
// missing paths are ENOENT.
#define _GNU_SOURCE
#include "../common/errname.h"
#include <fcntl.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <unistd.h>

static unsigned long kind_of_fd(int fd)
{
    struct statfs s;
    return fstatfs(fd, &s) == 0 ? (unsigned long)s.f_type : 0;
}

static unsigned long kind_of(const char *path)
{
    struct statfs s;
    return statfs(path, &s) == 0 ? (unsigned long)s.f_type : 0;
}

int main(void)
{
    struct statfs here, by_fd;
    SHOW("statfs .", statfs(".", &here));
    int dot = open(".", O_RDONLY | O_DIRECTORY);
    SHOW("fstatfs of it", fstatfs(dot, &by_fd));
    printf("same kind %d, block size %d, total blocks %d, name length %ld\n", here.f_type == by_fd.f_type,
           here.f_bsize == by_fd.f_bsize, here.f_blocks == by_fd.f_blocks, (long)here.f_namelen);
    printf("kind of .: %#lx, blocks > 0: %d, free <= total: %d\n", (unsigned long)here.f_type,
           here.f_blocks > 0, here.f_bfree <= here.f_blocks);
    struct statvfs v;
    SHOW("statvfs .", statvfs(".", &v));
    printf("statvfs agrees: %d, name max %lu\n", v.f_bsize == (unsigned long)here.f_bsize && v.f_blocks == here.f_blocks,
           (unsigned long)v.f_namemax);
    int f = open("file", O_CREAT | O_RDWR, 0644);
    printf("a file has its directory's kind: %d\n", kind_of_fd(f) == (unsigned long)here.f_type);

    printf("/proc %#lx, /dev/null %#lx, /dev/shm %#lx\n", kind_of("/proc"), kind_of("/dev/null"), kind_of("/dev/shm"));
    int p[2];
    pipe(p);
    int s[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, s);
    printf("pipe %#lx, socket %#lx, memfd %#lx, eventfd %#lx\n", kind_of_fd(p[0]), kind_of_fd(s[0]),
           kind_of_fd(memfd_create("m", 0)), kind_of_fd(eventfd(0, 0)));
    struct statfs none;
    SHOW("missing path", statfs("no/such/dir", &none));
    SHOW("empty path", statfs("", &none));
    SHOW("bad fd", fstatfs(99, &none));
    return 0;
}
