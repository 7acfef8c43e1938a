// LIND-ONLY
// LIND-RUN: --max-memory 32M
// CFLAGS: -fno-builtin
// lind run --max-memory: RLIMIT_AS starts at the cap; mmap, brk, malloc and the memory.grow instruction all stop at it (ENOMEM / NULL / -1), even after the soft and hard limits are raised; a forked child has the same cap.
#include "../common/errname.h"
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define MIB (1024 * 1024)

static void check(const char *who)
{
    errno = 0;
    void *p = mmap(NULL, 64 * MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("%s: mmap 64 MiB: %s\n", who, p == MAP_FAILED ? errname(errno) : "mapped");
    long cur = syscall(SYS_brk, 0);
    long b = syscall(SYS_brk, cur + 64 * MIB);
    printf("%s: brk +64 MiB: %s\n", who, b == cur ? "refused" : "grown");
    /* 1 MiB blocks until malloc says no: most of the 32 MiB, never more. */
    static char *volatile blocks[64];
    int n = 0;
    errno = 0;
    while (n < 64 && (blocks[n] = malloc(MIB)) != NULL)
        blocks[n++][MIB - 1] = 1;
    int e = errno;
    printf("%s: 1 MiB blocks: 16 to 31: %d, then %s\n", who, n >= 16 && n < 32, errname(e));
    while (n > 0)
        free(blocks[--n]);
    printf("%s: memory.grow by 64 MiB: %ld\n", who, (long)__builtin_wasm_memory_grow(0, 1024));
    printf("%s: memory below 32 MiB: %d\n", who, __builtin_wasm_memory_size(0) * 65536 <= 32 * MIB);
}

int main(void)
{
    struct rlimit rl;
    getrlimit(RLIMIT_AS, &rl);
    printf("RLIMIT_AS soft and hard 32 MiB: %d %d\n", rl.rlim_cur == 32 * MIB, rl.rlim_max == 32 * MIB);
    check("cage");
    /* Raising the limits (root may) does not lift the cap. */
    rl.rlim_cur = rl.rlim_max = RLIM_INFINITY;
    setrlimit(RLIMIT_AS, &rl);
    check("limits raised");
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        check("child");
        fflush(stdout);
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    printf("child exited %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    return 0;
}
