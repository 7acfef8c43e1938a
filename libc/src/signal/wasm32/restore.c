/* sa_restorer for rt_sigaction. Lind's kernel calls signal handlers itself
 * and does the sigreturn on the host side, so this is never called; musl
 * always passes it (with SA_RESTORER). */
#include <features.h>
#include "syscall.h"

hidden void __restore_rt()
{
}

/* The runtime's way into a program's signal handlers while it computes
 * without syscalls: a host signal makes the interrupted thread call this
 * (its code has no poll points), and the handlers run on the return from
 * this syscall, as after any other. It lives here because every program
 * that can install a handler links this file (musl's sigaction refers to
 * __restore_rt). */
__attribute__((__export_name__("__lind_signal_entry")))
void __lind_signal_entry(void)
{
	__syscall(SYS_lind_signal_point);
}
