/* Debugged by crates/cli/tests/debugger.rs: gdb breaks on square_sum and on
 * the line marked LINE-TOTAL, and prints locals; with an argument the
 * program traps in crash() so the backtrace can be checked for file:line.
 * It forks, so `lind cc` runs Asyncify over main and the DWARF must survive
 * Binaryen. Keep the marked lines where the test looks for them. */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int square_sum(int n)
{
    int total = 0;
    for (int i = 1; i <= n; i++) {
        int sq = i * i;
        total += sq; /* LINE-TOTAL */
    }
    return total;
}

int crash(volatile int *p, int divisor)
{
    int quotient = *p / divisor; /* LINE-CRASH */
    return quotient;
}

int main(int argc, char **argv)
{
    int limit = 4 + argc;
    pid_t child = fork();
    if (child == 0)
        _exit(7);
    int status = 0;
    waitpid(child, &status, 0);
    if (argc > 1) {
        int zero = argc - 2;
        printf("crashing %d\n", crash(&limit, zero)); /* LINE-CALL */
    }
    int result = square_sum(limit);
    printf("result %d child %d\n", result, WEXITSTATUS(status));
    return 0;
}
