/* memory.fill; see memcpy.c. */
#include <string.h>

void *memset(void *dest, int c, size_t n)
{
	return __builtin_memset(dest, c, n);
}
