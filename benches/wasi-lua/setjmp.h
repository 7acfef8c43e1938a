// Only for the wasm32-wasi build of lua_bench.c (run.py puts this directory on its
// include path): Debian's wasi-libc (2022) has no setjmp/longjmp, which Lua's ldo.c
// uses for errors and coroutine yields. Lua lets a build choose its own mechanism
// through LUAI_THROW/LUAI_TRY (ldo.c); here an error stops the program, so the
// benchmark script must raise none (lua_bench.lua raises none and uses no
// coroutines). The work done is the same: a protected call that raises nothing
// only skips one setjmp.
#ifndef LIND_BENCH_WASI_SETJMP_H
#define LIND_BENCH_WASI_SETJMP_H
#include <stdio.h>
#include <stdlib.h>
#define LUAI_THROW(L, c) (fputs("lua_bench: a Lua error, and no longjmp in WASI\n", stderr), abort())
#define LUAI_TRY(L, c, a) { a }
#define luai_jmpbuf int
#endif
