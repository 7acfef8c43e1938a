// RLIMIT_AS and RLIMIT_DATA: past them malloc returns NULL with ENOMEM, mmap and brk fail with ENOMEM; RLIMIT_DATA spares read-only and shared mappings; the limits are inherited across fork and exec.
// SELF: self
// CFLAGS: -fno-builtin
#define _GNU_SOURCE
#include "../common/errname.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define MIB (1024 * 1024)
static const int rw = PROT_READ | PROT_WRITE, anon = MAP_PRIVATE | MAP_ANONYMOUS;

static const char *try_mmap(size_t len, int prot, int flags)
{
    errno = 0;
    void *p = mmap(NULL, len, prot, flags, -1, 0);
    if (p == MAP_FAILED)
        return errname(errno);
    munmap(p, len);
    return "mapped";
}

static const char *try_malloc(size_t len)
{
    errno = 0;
    /* volatile and -fno-builtin: clang may otherwise drop an unused
     * malloc/free pair, and assume malloc leaves errno alone. */
    char *volatile p = malloc(len);
    int e = errno;
    if (!p)
        return errname(e);
    p[len - 1] = 1;
    free(p);
    return "allocated";
}

/* What a process under a 64 MiB RLIMIT_AS can and cannot do. */
static void under_as_limit(const char *who)
{
    struct rlimit rl;
    getrlimit(RLIMIT_AS, &rl);
    printf("%s: RLIMIT_AS is 64 MiB: %d\n", who, rl.rlim_cur == 64 * MIB);
    printf("%s: mmap 128 MiB: %s\n", who, try_mmap(128 * MIB, rw, anon));
    printf("%s: mmap 128 MiB PROT_NONE: %s\n", who, try_mmap(128 * MIB, PROT_NONE, anon));
    printf("%s: malloc 128 MiB: %s\n", who, try_malloc(128 * MIB));
    /* The raw call: musl's sbrk refuses any increment by itself. */
    long cur = syscall(SYS_brk, 0);
    long b = syscall(SYS_brk, cur + 128 * MIB);
    printf("%s: brk +128 MiB: %s\n", who, b == cur ? "refused" : "grown");
    b = syscall(SYS_brk, cur + 4096);
    printf("%s: brk +4 KiB: %s\n", who, b == cur + 4096 ? "grown" : "refused");
    syscall(SYS_brk, cur);
    printf("%s: mmap 1 MiB: %s\n", who, try_mmap(MIB, rw, anon));
    printf("%s: malloc 1 MiB: %s\n", who, try_malloc(MIB));
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "exec") == 0) {
        under_as_limit("after exec");
        return 0;
    }
    struct rlimit rl;
    getrlimit(RLIMIT_AS, &rl);
    printf("RLIMIT_AS unlimited at start: %d\n", rl.rlim_cur == RLIM_INFINITY);

    /* RLIMIT_DATA: private writable memory only. */
    rl.rlim_cur = rl.rlim_max = 32 * MIB;
    SHOW("setrlimit RLIMIT_DATA 32 MiB", setrlimit(RLIMIT_DATA, &rl));
    printf("data: mmap 64 MiB rw private: %s\n", try_mmap(64 * MIB, rw, anon));
    printf("data: mmap 64 MiB read-only: %s\n", try_mmap(64 * MIB, PROT_READ, anon));
    printf("data: mmap 64 MiB rw shared: %s\n", try_mmap(64 * MIB, rw, MAP_SHARED | MAP_ANONYMOUS));
    printf("data: malloc 64 MiB: %s\n", try_malloc(64 * MIB));
    printf("data: malloc 1 MiB: %s\n", try_malloc(MIB));
    errno = 0;
    char *ro = mmap(NULL, 64 * MIB, PROT_READ, anon, -1, 0);
    SHOW("data: mprotect 64 MiB read-only -> rw", mprotect(ro, 64 * MIB, rw));
    SHOW("data: mprotect 1 MiB of it -> rw", mprotect(ro, MIB, rw));
    munmap(ro, 64 * MIB);
    rl.rlim_cur = RLIM_INFINITY;
    SHOW("raising the soft limit above the hard one", setrlimit(RLIMIT_DATA, &rl));

    /* RLIMIT_AS: everything mapped. */
    rl.rlim_cur = rl.rlim_max = 64 * MIB;
    SHOW("setrlimit RLIMIT_AS 64 MiB", setrlimit(RLIMIT_AS, &rl));
    under_as_limit("parent");
    /* Mapping 1 MiB at a time stops at the limit, then works again once
     * the mappings are gone. */
    static void *maps[128];
    int n = 0;
    for (; n < 128; n++) {
        maps[n] = mmap(NULL, MIB, rw, anon, -1, 0);
        if (maps[n] == MAP_FAILED)
            break;
    }
    int e = errno;
    printf("1 MiB mappings before the limit: at least 16, fewer than 64: %d (then %s)\n", n >= 16 && n < 64, errname(e));
    for (int i = 0; i < n; i++)
        munmap(maps[i], MIB);
    printf("after unmapping them: mmap 16 MiB: %s\n", try_mmap(16 * MIB, rw, anon));
    /* mremap counts only the growth, moved or not: under the 32 MiB
     * RLIMIT_DATA still in force, 14 -> 20 MiB fits (14 + 20 would not),
     * 14 -> 40 does not. A page mapped right after the block makes the
     * growth move it (lind places mappings upward, Linux downward). */
    char *big = mmap(NULL, 14 * MIB, rw, anon, -1, 0);
    if (big == MAP_FAILED) {
        printf("mmap 14 MiB failed\n");
        return 1;
    }
    char *after = mmap(big + 14 * MIB, 4096, PROT_READ, anon | MAP_FIXED_NOREPLACE, -1, 0);
    big[0] = 42;
    errno = 0;
    char *grown = mremap(big, 14 * MIB, 40 * MIB, MREMAP_MAYMOVE);
    printf("mremap 14 -> 40 MiB: %s\n", grown == MAP_FAILED ? errname(errno) : "done");
    errno = 0;
    grown = mremap(big, 14 * MIB, 20 * MIB, MREMAP_MAYMOVE);
    printf("mremap 14 -> 20 MiB: %s, contents kept: %d\n", grown == MAP_FAILED ? errname(errno) : "done",
           grown != MAP_FAILED && grown[0] == 42);
    munmap(grown == MAP_FAILED ? big : grown, grown == MAP_FAILED ? 14 * MIB : 20 * MIB);
    if (after != MAP_FAILED)
        munmap(after, 4096);

    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        under_as_limit("child");
        fflush(stdout);
        execl("./self", "self", "exec", (char *)0);
        printf("exec failed: %s\n", errname(errno));
        _exit(1);
    }
    int st;
    waitpid(pid, &st, 0);
    printf("child exited %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    return 0;
}
