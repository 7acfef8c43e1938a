// mprotect is enforced: each protection transition is observed in a forked
// child (killed by SIGSEGV, or not); the kernel's copies to and from
// protected pages fail with EFAULT; protections survive fork in both
// parent and child; bad arguments fail as on Linux.
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static long page;

// Runs `what` on `p` in a child: 0 read, 1 write. Returns "ok" or the signal.
static const char *attempt(volatile char *p, int what)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        if (what == 0) {
            char c = p[0];
            (void)c;
        } else {
            p[0] = 7;
        }
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    if (WIFEXITED(st))
        return WEXITSTATUS(st) == 0 ? "ok" : "exit";
    return WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV ? "SIGSEGV" : "other signal";
}

static void show(const char *label, char *p)
{
    printf("%-10s read %-7s write %s\n", label, attempt(p, 0), attempt(p, 1));
}

int main(void)
{
    page = sysconf(_SC_PAGESIZE);
    char *p = mmap(0, 4 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return 1;
    memset(p, 'x', 4 * page);

    show("rw", p);
    mprotect(p, page, PROT_READ);
    show("read", p);
    mprotect(p, page, PROT_NONE);
    show("none", p);
    mprotect(p, page, PROT_READ | PROT_WRITE);
    show("rw again", p);
    printf("contents kept: %d\n", p[0] == 'x' && p[page - 1] == 'x');
    show("next page", p + page);

    // The kernel's copies: write(2) from a PROT_NONE page, read(2) into a
    // PROT_READ page.
    int fds[2];
    pipe(fds);
    mprotect(p + page, page, PROT_NONE);
    errno = 0;
    ssize_t n = write(fds[1], p + page, 16);
    printf("write from PROT_NONE: %zd EFAULT %d\n", n, errno == EFAULT);
    write(fds[1], "hello", 5);
    mprotect(p + 2 * page, page, PROT_READ);
    errno = 0;
    n = read(fds[0], p + 2 * page, 5);
    printf("read into PROT_READ: %zd EFAULT %d\n", n, errno == EFAULT);
    printf("page untouched: %d\n", p[2 * page] == 'x');

    // Protections are inherited, and the parent keeps its own after fork.
    show("none, 2nd", p + page);
    show("read, 2nd", p + 2 * page);

    // mmap with PROT_NONE (a guard page), then opened up.
    char *g = mmap(0, page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    show("guard", g);
    mprotect(g, page, PROT_READ | PROT_WRITE);
    g[0] = 1;
    printf("guard opened: %d\n", g[0] == 1);

    // munmap then a fresh mapping at the same place is read+write again.
    munmap(p + page, page);
    char *q = mmap(p + page, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    printf("remapped at the same address: %d zeroed %d\n", q == p + page, q[0] == 0);
    show("remapped", q);

    // Bad input. (An unaligned address is not tested: musl rounds it down
    // before the syscall, glibc passes it on and gets EINVAL.)
    int r;
    char *hole = mmap(0, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(hole, page);
    r = mprotect(hole, page, PROT_READ);
    printf("unmapped: %d ENOMEM %d\n", r, errno == ENOMEM);
    return 0;
}
