// LIND-ONLY
// EXIT: 139
// A SIGSEGV handler that returns: natively the faulting instruction runs
// again (forever, here); a wasm trap cannot be resumed, so lind runs the
// handler once and then the cage dies of SIGSEGV.
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

static void on_segv(int sig)
{
    (void)sig;
    write(1, "in handler\n", 11);
}

static volatile int *volatile wild = (int *)0xfff00000UL;

int main(void)
{
    signal(SIGSEGV, on_segv);
    printf("%d\n", *wild);
    printf("not reached\n");
    return 0;
}
