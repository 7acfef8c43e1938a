/* setjmp/longjmp for Lind, on LLVM's "Emscripten" setjmp lowering.
 *
 * `lind cc` (and libc/build.sh) compile with -mllvm -enable-emscripten-sjlj.
 * In a function that calls setjmp, LLVM then records each setjmp with
 * __wasm_setjmp(env, label, invocation), where `invocation` is a slot in
 * that function's own frame, and routes every call that could longjmp
 * through an `invoke_<signature>` import. The runtime's invoke calls the
 * function and catches the trap longjmp raises: the frames in between are
 * abandoned, never unwound. After each invoke the function checks
 * __THREW__: if a longjmp is in flight and __wasm_setjmp_test says the
 * jmp_buf belongs to this invocation, it resumes at that setjmp with
 * __threwValue; otherwise it passes the longjmp on.
 *
 * So setjmp costs a few stores and nothing on the stack needs Asyncify
 * (fork alone does). The symbol names below are the ones LLVM emits.
 * longjmp itself is in longjmp.c: LLVM's lowering makes its own
 * emscripten_longjmp in a file that has both, which clashes with ours. */
#include <setjmp.h>
#include <stdint.h>
#include "syscall.h"

/* What __wasm_setjmp keeps in the jmp_buf. */
struct sjlj_target {
	void *invocation;
	uint32_t label;
	/* A longjmp out of a region that refuses unwinding (a qsort
	 * comparator, see lind_unwinding.c) leaves the region too. */
	int unwind_refused;
};

extern hidden __thread int __lind_unwind_refused;

_Static_assert(sizeof(struct sjlj_target) <= sizeof(__jmp_buf), "jmp_buf too small");

/* Per thread: a longjmp in flight in one thread is not another's. */
_Thread_local uintptr_t __THREW__;
_Thread_local int __threwValue;
static _Thread_local int temp_ret;

void __wasm_setjmp(void *env, uint32_t label, void *invocation)
{
	struct sjlj_target *t = env;
	t->invocation = invocation;
	t->label = label;
	t->unwind_refused = __lind_unwind_refused;
}

uint32_t __wasm_setjmp_test(void *env, void *invocation)
{
	const struct sjlj_target *t = env;
	if (t->invocation != invocation)
		return 0;
	/* The longjmp lands here. */
	__lind_unwind_refused = t->unwind_refused;
	return t->label;
}

void setTempRet0(int value)
{
	temp_ret = value;
}

int getTempRet0(void)
{
	return temp_ret;
}

_Noreturn void emscripten_longjmp(uintptr_t env, int val)
{
	__THREW__ = env;
	__threwValue = val ? val : 1;
	/* The runtime traps out of every frame up to the innermost invoke. */
	__lind_syscall(SYS_lind_longjmp, (long)env, __threwValue, 0, 0, 0, 0);
	__builtin_unreachable();
}


/* setjmp itself is never called: LLVM turns every direct call into the
 * code above. Only code compiled without `lind cc` (or a call through a
 * pointer) gets here, and it cannot work. (No alias: the lowering refuses
 * any use of setjmp other than a call.) */
static _Noreturn void not_lowered(void)
{
	static const char msg[] =
		"lind: setjmp called from code not compiled by `lind cc`; rebuild it with lind cc\n";
	__syscall(SYS_write, 2, msg, sizeof msg - 1);
	__syscall(SYS_exit_group, 134);
	__builtin_unreachable();
}

int setjmp(jmp_buf env)
{
	not_lowered();
}

int _setjmp(jmp_buf env)
{
	not_lowered();
}
