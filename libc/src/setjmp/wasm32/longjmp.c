/* longjmp as a function, for calls LLVM did not turn into
 * emscripten_longjmp (through a pointer, or from code not compiled with
 * -enable-emscripten-sjlj). Kept apart from setjmp.c, see there. */
#include <setjmp.h>
#include <stdint.h>

_Noreturn void emscripten_longjmp(uintptr_t env, int val);

_Noreturn void longjmp(jmp_buf env, int val)
{
	emscripten_longjmp((uintptr_t)env, val);
}

_Noreturn void _longjmp(jmp_buf env, int val)
{
	emscripten_longjmp((uintptr_t)env, val);
}
