// Lua 5.4 running benches/lua_bench.lua: Debian's lua5.4 5.4.4 source
// (build/programs/lua/src, fetched by programs/lua/build.sh; every src/*.c but the
// lua.c/luac.c front ends) compiled into this small host, built three ways (gcc -O2,
// lind cc -O2, clang-19 for wasm32-wasi). Each repetition runs the script in a fresh
// Lua state and checks the checksum it returns; prints "lua_bench ns_per_run" (best
// of -r repetitions). The script is read from the cwd (run.py copies it into the
// scratch directory: the native cwd, the cage's root, wasmtime's --dir .).
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "one_run.h"
#include "lauxlib.h"
#include "lua.h"
#include "lualib.h"

// The script's result (its own self-check passed if it got this far).
#define EXPECT "lua_bench ok 2178309"

int main(int argc, char **argv)
{
	long reps = one_run_reps(argc, argv); // each repetition: one run of the script
	double best = -1;
	for (long r = 0; r < reps; r++) {
		uint64_t t0 = now_ns();
		lua_State *L = luaL_newstate();
		if (!L) {
			fprintf(stderr, "lua_bench: no memory for a Lua state\n");
			return 1;
		}
		luaL_openlibs(L);
		if (luaL_loadfile(L, "lua_bench.lua") != LUA_OK || lua_pcall(L, 0, 1, 0) != LUA_OK) {
			fprintf(stderr, "lua_bench: %s\n", lua_tostring(L, -1));
			return 1;
		}
		const char *got = lua_tostring(L, -1);
		if (!got || strcmp(got, EXPECT) != 0) {
			fprintf(stderr, "lua_bench: the script returned %s, expected %s\n", got ? got : "nil", EXPECT);
			return 1;
		}
		lua_close(L);
		double dt = (double)(now_ns() - t0);
		if (best < 0 || dt < best)
			best = dt;
	}
	printf("lua_bench %.2f\n", best);
	return 0;
}
