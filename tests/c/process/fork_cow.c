// Copy-on-write fork keeps memories apart: a 16 MiB heap is forked repeatedly while parent and children each rewrite parts of it; every side checks it sees only its own writes.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define WORDS (4u << 20) /* 16 MiB of uint32_t */

static uint32_t *heap;

static int check(uint32_t seed_lo, uint32_t seed_hi)
{
    for (uint32_t i = 0; i < WORDS; i++) {
        uint32_t want = (i < WORDS / 2 ? seed_lo : seed_hi) ^ i;
        if (heap[i] != want) return 0;
    }
    return 1;
}

static void fill(uint32_t from, uint32_t to, uint32_t seed)
{
    for (uint32_t i = from; i < to; i++) heap[i] = seed ^ i;
}

int main(void)
{
    heap = malloc(WORDS * sizeof *heap);
    fill(0, WORDS, 1);
    for (uint32_t round = 2; round < 6; round++) {
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0) {
            /* The child sees the parent's memory as of the fork, then its own writes. */
            int before = check(round - 1, round - 1 == 1 ? 1 : round - 1);
            fill(0, WORDS / 2, 100 + round);
            int after = check(100 + round, round - 1);
            /* A grandchild sees the child's state. */
            pid_t g = fork();
            if (g == 0) _exit(check(100 + round, round - 1) ? 0 : 1);
            int gs;
            waitpid(g, &gs, 0);
            fill(WORDS / 2, WORDS, 200 + round);
            _exit(before && after && WEXITSTATUS(gs) == 0 && check(100 + round, 200 + round) ? 0 : 1);
        }
        /* Meanwhile the parent rewrites everything. */
        fill(0, WORDS, round);
        int st;
        waitpid(pid, &st, 0);
        printf("round %u: child ok=%d parent ok=%d\n", round, WIFEXITED(st) && WEXITSTATUS(st) == 0, check(round, round));
    }
    return 0;
}
