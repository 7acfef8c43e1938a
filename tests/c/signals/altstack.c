// sigaltstack: an SA_ONSTACK handler runs on the alternate stack (and
// sees SS_ONSTACK), one without SA_ONSTACK does not; bad sizes and flags.
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *alt;
static size_t alt_size;
static volatile int on_alt, flags_onstack, change_refused;

static void handler(int sig)
{
    (void)sig;
    char local;
    on_alt = (uintptr_t)&local >= (uintptr_t)alt && (uintptr_t)&local < (uintptr_t)alt + alt_size;
    stack_t cur;
    sigaltstack(0, &cur);
    flags_onstack = (cur.ss_flags & SS_ONSTACK) != 0;
    stack_t other = {.ss_sp = alt, .ss_size = alt_size, .ss_flags = 0};
    change_refused = sigaltstack(&other, 0) < 0 && errno == EPERM;
}

int main(void)
{
    stack_t old;
    sigaltstack(0, &old);
    printf("initially disabled: %d\n", (old.ss_flags & SS_DISABLE) != 0);

    alt_size = 64 * 1024;
    alt = malloc(alt_size);
    stack_t ss = {.ss_sp = alt, .ss_size = alt_size, .ss_flags = 0};
    printf("set: %d\n", sigaltstack(&ss, 0));
    sigaltstack(0, &old);
    printf("reported back: %d\n", old.ss_sp == alt && old.ss_size == alt_size && old.ss_flags == 0);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sa.sa_flags = SA_ONSTACK;
    sigaction(SIGUSR1, &sa, 0);
    raise(SIGUSR1);
    printf("SA_ONSTACK handler on the alternate stack: %d, SS_ONSTACK %d, change refused %d\n", on_alt,
           flags_onstack, change_refused);

    sa.sa_flags = 0;
    sigaction(SIGUSR2, &sa, 0);
    raise(SIGUSR2);
    printf("plain handler on the alternate stack: %d, SS_ONSTACK %d\n", on_alt, flags_onstack);

    stack_t small = {.ss_sp = alt, .ss_size = 16, .ss_flags = 0};
    int r = sigaltstack(&small, 0);
    printf("too small: %d ENOMEM %d\n", r, errno == ENOMEM);
    stack_t bad = {.ss_sp = alt, .ss_size = alt_size, .ss_flags = 0x1234};
    r = sigaltstack(&bad, 0);
    printf("bad flags: %d EINVAL %d\n", r, errno == EINVAL);
    stack_t off = {.ss_flags = SS_DISABLE};
    printf("disable: %d\n", sigaltstack(&off, 0));
    sigaltstack(0, &old);
    printf("disabled again: %d\n", (old.ss_flags & SS_DISABLE) != 0);
    return 0;
}
