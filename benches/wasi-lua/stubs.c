// Only for the wasm32-wasi build of lua_bench.c: the three C library functions Lua's
// os and io libraries name that Debian's wasi-libc leaves out (WASI has no processes
// and no temporary directory). lua_bench.lua calls none of them (os.execute,
// os.tmpname, io.tmpfile); here they fail as a libc without them would.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

int system(const char *cmd)
{
	errno = ENOSYS;
	return cmd ? -1 : 0; // no command processor
}

char *tmpnam(char *buf)
{
	(void)buf;
	errno = ENOSYS;
	return NULL;
}

FILE *tmpfile(void)
{
	errno = ENOSYS;
	return NULL;
}
