// POSIX shm_open between two programs that share nothing but the name (the second started by fork+exec, no inherited descriptor): the object's pages are shared both ways; O_EXCL, shm_unlink and ENOENT afterwards.
// SELF: self
#include "../common/errname.h"
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc > 2) {
        /* The other program: open by name, read, answer. */
        int fd = shm_open(argv[2], O_RDWR, 0);
        if (fd < 0)
            return 3;
        struct stat st;
        fstat(fd, &st);
        char *p = mmap(NULL, st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        printf("other program: size %lld, sees [%s]\n", (long long)st.st_size, p);
        strcpy(p + 1000, "answer from the other program");
        return 0;
    }
    char name[64];
    snprintf(name, sizeof name, "/lind-test-%d", (int)getpid());
    int fd = shm_open(name, O_CREAT | O_EXCL | O_RDWR, 0600);
    printf("shm_open create ok=%d cloexec=%d\n", fd >= 0, (fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0);
    errno = 0;
    int dup = shm_open(name, O_CREAT | O_EXCL | O_RDWR, 0600);
    int e = errno;
    printf("again with O_EXCL: %d %s\n", dup, errname(e));
    ftruncate(fd, 4096);
    char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    strcpy(p, "hello from the first program");
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        execl("./self", "self", "other", name, (char *)0);
        _exit(127);
    }
    int st;
    waitpid(pid, &st, 0);
    printf("other exit %d; first program sees [%s]\n", WEXITSTATUS(st), p + 1000);
    SHOW("shm_unlink", shm_unlink(name));
    errno = 0;
    int gone = shm_open(name, O_RDWR, 0);
    e = errno;
    printf("open after unlink: %d %s\n", gone, errname(e));
    printf("mapping still usable: [%.5s]\n", p);
    SHOW("shm_unlink again", shm_unlink(name));
    errno = 0;
    int badname = shm_open("/a/b", O_CREAT | O_RDWR, 0600);
    e = errno;
    printf("name with a slash: %d %s\n", badname, errname(e));
    return 0;
}
