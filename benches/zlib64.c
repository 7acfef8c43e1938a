// zlib compressing 64 MiB: deflate (level 1, zlib's fastest) of generated, moderately
// compressible text held in memory, built three ways (gcc -O2, lind cc -O2,
// clang-19 for wasm32-wasi) together with zlib's own sources from Debian
// (build/programs/zlib/src, fetched by programs/zlib/build.sh).
// Prints "zlib_compress_64mib ns_per_64mib" (best of -r repetitions) and
// the compressed size on stderr.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "one_run.h"
#include "zlib.h"

#define SIZE (64u << 20)

int main(int argc, char **argv)
{
	long reps = one_run_reps(argc, argv); // each repetition: one 64 MiB compression
	static const char *words[] = {"lind ", "cage ", "kernel ", "wasm ", "fork ", "pipe ",
				      "signal ", "memory ", "the ", "a ", "of ", "syscall\n"};
	unsigned char *in = malloc(SIZE);
	uLong bound = compressBound(SIZE);
	unsigned char *out = malloc(bound);
	if (!in || !out) {
		fprintf(stderr, "zlib64: out of memory\n");
		return 1;
	}
	uint32_t x = 12345;
	for (size_t i = 0; i < SIZE;) {
		x = x * 1103515245u + 12345u;
		const char *w = words[(x >> 16) % 12];
		size_t l = strlen(w);
		if (i + l > SIZE)
			l = SIZE - i;
		memcpy(in + i, w, l);
		i += l;
		if ((x & 0xff) == 0 && i < SIZE)
			in[i++] = (unsigned char)(x >> 8); // a little noise
	}
	double best = -1;
	uLongf got = 0;
	for (long r = 0; r < reps; r++) {
		got = bound;
		uint64_t t0 = now_ns();
		if (compress2(out, &got, in, SIZE, 1) != Z_OK) {
			fprintf(stderr, "zlib64: compress2 failed\n");
			return 1;
		}
		double dt = (double)(now_ns() - t0);
		if (best < 0 || dt < best)
			best = dt;
	}
	fprintf(stderr, "zlib64: %u -> %lu bytes\n", SIZE, (unsigned long)got);
	printf("zlib_compress_64mib %.2f\n", best);
	return 0;
}
