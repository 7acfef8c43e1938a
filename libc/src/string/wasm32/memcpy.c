/* With -mbulk-memory clang lowers __builtin_memcpy to the wasm memory.copy
 * instruction (never to a call of memcpy), which the engine implements
 * natively. Same for memmove.c and memset.c (memory.fill). */
#include <string.h>

void *memcpy(void *restrict dest, const void *restrict src, size_t n)
{
	return __builtin_memcpy(dest, src, n);
}
