/* Driven by crates/cli/tests/host_signals.rs: Ctrl-C (SIGINT to `lind run`)
 * reaches the cage's handler, then, with the default action restored, ends
 * the cage while it computes without syscalls. */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

static volatile sig_atomic_t got;

static void on_int(int sig)
{
    got = sig;
}

int main(void)
{
    signal(SIGINT, on_int);
    printf("ready\n");
    fflush(stdout);
    while (!got)
        pause();
    printf("caught SIGINT\n");
    fflush(stdout);
    signal(SIGINT, SIG_DFL);
    for (volatile unsigned long i = 0;; i++) {
    }
}
