// Shared by the compute programs that time one whole run of a workload per
// repetition (zlib64.c, sqlite_speedtest1.c, lua_bench.c): run.py passes them
// "-t MS -r REPS" like every benchmark program; -t is accepted and ignored.
#ifndef LIND_BENCH_ONE_RUN_H
#define LIND_BENCH_ONE_RUN_H
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

// The -r repetition count (default 1).
static long one_run_reps(int argc, char **argv)
{
	long reps = 1;
	int opt;
	while ((opt = getopt(argc, argv, "t:r:")) != -1)
		if (opt == 'r')
			reps = atol(optarg);
	return reps;
}
#endif
