/* Lind wasm32 program entry, replacing musl's crt1.c (which needs an
 * assembly stub reading the initial stack; a cage has no such stack).
 *
 * _start asks the kernel for the Linux initial-stack block with the Lind
 * syscall LIND_STARTUP (1024): called with (0, 0) it returns the number of
 * bytes needed; called with a buffer that large it fills it with
 *   [argc][argv...][0][envp...][0][auxv key,value...][AT_NULL,0] strings...
 * (32-bit words, pointers absolute) and returns argc. The block lives in
 * _start's frame on the wasm shadow stack, which is never popped.
 *
 * Start-up does what musl's __libc_start_main does, but calls its two
 * stages directly: __init_libc (thread pointer, TLS, environment), then
 * __libc_start_init, which runs _init (__wasm_call_ctors) and the init
 * array, the same point where ELF constructors run. musl reaches its second
 * stage and main through function pointers of type (i32, i32, i32) -> i32,
 * the type of every FILE read/write callback; Asyncify instrumentation
 * follows indirect calls by type, so those two table entries (which lead to
 * main and so to fork) made every stdio call site look like it could fork.
 *
 * main: clang renames `int main(int, char **)` to __main_argc_argv and
 * gives `int main(void)` the alias __main_void. This file calls
 * __main_void; a user's main(void) defines it, otherwise libc.a's
 * src/env/wasm32/__main_void.c calls __main_argc_argv, and if the user
 * wrote `int main(int, char **, char **)` (which clang leaves as `main`)
 * libc.a's src/env/wasm32/__main_argc_argv.c calls that. Archive members
 * are only pulled in when needed, so no signature ever mismatches. */

#include <features.h>
#include <stddef.h>
#include <stdint.h>
#include "libc.h"
#include "syscall.h"

extern void __wasm_call_ctors(void);
_Noreturn void exit(int);
int __main_void(void);

hidden int __lind_argc;
hidden char **__lind_argv;

/* Called by musl's libc_start_init (it is weak there). */
void _init(void)
{
	__wasm_call_ctors();
}


static _Noreturn void startup_failed(void)
{
	static const char msg[] = "lind: crt1: LIND_STARTUP syscall failed\n";
	__lind_syscall(SYS_write, 2, (uintptr_t)msg, sizeof msg - 1, 0, 0, 0);
	for (;;) __lind_syscall(SYS_exit_group, 127, 0, 0, 0, 0, 0);
}

__attribute__((__export_name__("_start")))
void _start(void)
{
	long long need = __lind_syscall(SYS_lind_startup, 0, 0, 0, 0, 0, 0);
	if (need < (long long)(3 * sizeof(size_t)) || need > (1LL << 28))
		startup_failed();
	size_t len = ((size_t)need + 15) & -16;
	unsigned char *buf = __builtin_alloca_with_align(len, 128);
	long long argc = __lind_syscall(SYS_lind_startup, (uintptr_t)buf, len,
	                                0, 0, 0, 0);
	if (argc < 0 || (size_t)argc != *(size_t *)buf)
		startup_failed();
	char **argv = (char **)(buf + sizeof(size_t));
	__lind_argc = argc;
	__lind_argv = argv;
	__init_libc(argv + argc + 1, argv[0]);
	__libc_start_init();
	exit(__main_void());
}
