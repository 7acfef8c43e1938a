// Touching a page of a file mapping wholly beyond EOF raises SIGBUS (shared and private, default action and a handler), the partial last page reads zeros past EOF, truncation makes mapped pages SIGBUS, read() into such a page fails with EFAULT.
#include "../common/errname.h"
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile char sink;

static void touch_in_child(const char *what, volatile char *at, int write)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        if (write)
            *at = 1;
        else
            sink = *at;
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    if (WIFSIGNALED(st))
        printf("%s: killed by %s\n", what, WTERMSIG(st) == SIGBUS ? "SIGBUS" : WTERMSIG(st) == SIGSEGV ? "SIGSEGV" : "other");
    else
        printf("%s: exit %d\n", what, WEXITSTATUS(st));
}

static void on_bus(int sig)
{
    (void)sig;
    _exit(42);
}

int main(void)
{
    long pg = sysconf(_SC_PAGESIZE);
    int fd = open("f", O_CREAT | O_RDWR | O_TRUNC, 0644);
    write(fd, "0123456789", 10);
    char *p = mmap(NULL, 3 * pg, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    printf("mapped 3 pages of a 10-byte file: %d\n", p != MAP_FAILED);
    printf("in the file: %c, past EOF on the last page: %d\n", p[5], p[100]);
    touch_in_child("read page 2 (shared)", p + pg, 0);
    touch_in_child("write page 3 (shared)", p + 2 * pg + 7, 1);
    char *q = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    touch_in_child("read page 2 (private)", q + pg, 0);
    touch_in_child("read page 1 (private)", q + 3, 0);

    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        signal(SIGBUS, on_bus);
        sink = p[pg];
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    printf("with a SIGBUS handler: exit %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);

    /* read() into a page beyond EOF: EFAULT, and the page still faults. */
    int src = open("f", O_RDONLY);
    SHOW("read into a page beyond EOF", read(src, p + pg, 4));
    touch_in_child("read page 2 again", p + pg, 0);

    /* Grow the file: the pages become valid; shrink it: they fault again. */
    ftruncate(fd, 2 * pg);
    p[pg] = 'G';
    touch_in_child("read page 2 after growing", p + pg, 0);
    char c = 0;
    pread(fd, &c, 1, pg);
    printf("store on the grown page reached the file: %c\n", c);
    ftruncate(fd, 100);
    printf("truncated bytes of the first page read zero: %d\n", p[200]);
    touch_in_child("read page 2 after truncating", p + pg, 0);
    munmap(p, 3 * pg);
    munmap(q, 2 * pg);
    close(src);
    close(fd);
    return 0;
}
