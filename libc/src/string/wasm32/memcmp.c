/* musl's memcmp compares a byte per iteration. Wasm loads need no
 * alignment and x86 hosts do them at full speed, so this one compares 8
 * bytes at a time and finds the first differing byte from the XOR of the
 * two words (wasm is little-endian: the lowest set bit is the first byte).
 * sqlite's record and index comparisons spend most of their memcmp time in
 * keys of 8 to 64 bytes. */
#include <stdint.h>
#include <string.h>

static inline uint64_t load64(const unsigned char *p)
{
	uint64_t w;
	__builtin_memcpy(&w, p, sizeof w);
	return w;
}

static inline int first_difference(uint64_t a, uint64_t b)
{
	int shift = __builtin_ctzll(a ^ b) & ~7;
	return (int)((a >> shift) & 0xff) - (int)((b >> shift) & 0xff);
}

int memcmp(const void *vl, const void *vr, size_t n)
{
	const unsigned char *l = vl, *r = vr;
	for (; n >= 8; n -= 8, l += 8, r += 8) {
		uint64_t a = load64(l), b = load64(r);
		if (a != b) return first_difference(a, b);
	}
	for (; n && *l == *r; n--, l++, r++);
	return n ? *l - *r : 0;
}
