// SQLite's own speedtest1 (test/speedtest1.c of Debian's sqlite3 3.40.1 source,
// build/programs/sqlite3/src, fetched by programs/sqlite3/build.sh) on an in-memory
// database, built three ways (gcc -O2, lind cc -O2, clang-19 for wasm32-wasi) together
// with the amalgamation sqlite3.c that build.sh generated. Each repetition runs
// speedtest1's main() with the same fixed arguments (--memdb --size 50: its "main"
// test set, ~0.8 s natively); this program prints "sqlite_speedtest1 ns_per_run"
// (best of -r repetitions). speedtest1's own report goes to stderr.
//
// All three builds compile sqlite3.c with the same defines (run.py):
// SQLITE_THREADSAFE=0, SQLITE_OMIT_LOAD_EXTENSION and SQLITE_OS_OTHER=1 with the
// tiny VFS below, because 3.40's unix VFS does not compile for wasi-libc (no
// fcntl locks, fchown, geteuid). With :memory: the VFS only supplies the time
// and the random seed (fixed here, so every build runs the same work), so it
// costs nothing measurable; any attempt to open a real file fails loudly.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "one_run.h"
#include "sqlite3.h"

// --- the VFS: enough for an in-memory database ---------------------------------
static int vfs_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags, int *out_flags)
{
	(void)vfs, (void)flags, (void)out_flags;
	fprintf(stderr, "speedtest1: bench VFS cannot open files (%s)\n", name ? name : "temp file");
	file->pMethods = 0;
	return SQLITE_CANTOPEN;
}

static int vfs_delete(sqlite3_vfs *vfs, const char *name, int sync_dir)
{
	(void)vfs, (void)name, (void)sync_dir;
	return SQLITE_OK;
}

static int vfs_access(sqlite3_vfs *vfs, const char *name, int flags, int *res)
{
	(void)vfs, (void)name, (void)flags;
	*res = 0;
	return SQLITE_OK;
}

static int vfs_full_pathname(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
	(void)vfs;
	sqlite3_snprintf(n, out, "%s", name);
	return SQLITE_OK;
}

// A fixed seed: the same pseudo-random sequence in every build.
static int vfs_randomness(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	for (int i = 0; i < n; i++)
		out[i] = (char)(i * 131 + 7);
	return n;
}

static int vfs_sleep(sqlite3_vfs *vfs, int us)
{
	(void)vfs;
	return us;
}

// Julian day in milliseconds (what speedtest1 uses for its per-test times).
static int vfs_current_time_int64(sqlite3_vfs *vfs, sqlite3_int64 *out)
{
	(void)vfs;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	*out = (sqlite3_int64)210866760000000LL + (sqlite3_int64)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	return SQLITE_OK;
}

static int vfs_current_time(sqlite3_vfs *vfs, double *out)
{
	sqlite3_int64 ms;
	vfs_current_time_int64(vfs, &ms);
	*out = ms / 86400000.0;
	return SQLITE_OK;
}

static int vfs_get_last_error(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs, (void)n, (void)out;
	return 0;
}

static sqlite3_vfs bench_vfs = {
	.iVersion = 2,
	.szOsFile = sizeof(sqlite3_file),
	.mxPathname = 512,
	.zName = "bench",
	.xOpen = vfs_open,
	.xDelete = vfs_delete,
	.xAccess = vfs_access,
	.xFullPathname = vfs_full_pathname,
	.xRandomness = vfs_randomness,
	.xSleep = vfs_sleep,
	.xCurrentTime = vfs_current_time,
	.xGetLastError = vfs_get_last_error,
	.xCurrentTimeInt64 = vfs_current_time_int64,
};

// SQLITE_OS_OTHER: sqlite3_initialize() calls these instead of the unix VFS's.
int sqlite3_os_init(void)
{
	return sqlite3_vfs_register(&bench_vfs, 1);
}

int sqlite3_os_end(void)
{
	return SQLITE_OK;
}

// --- speedtest1 itself, its report sent to stderr --------------------------------
#define printf(...) fprintf(stderr, __VA_ARGS__)
#define main speedtest1_main
#include "speedtest1.c"
#undef main
#undef printf

int main(int argc, char **argv)
{
	long reps = one_run_reps(argc, argv); // each repetition: one speedtest1 run
	char *args[] = {"speedtest1", "--memdb", "--size", "50", 0};
	double best = -1;
	for (long r = 0; r < reps; r++) {
		uint64_t t0 = now_ns();
		if (speedtest1_main(4, args) != 0) {
			fprintf(stderr, "speedtest1: failed\n");
			return 1;
		}
		double dt = (double)(now_ns() - t0);
		if (best < 0 || dt < best)
			best = dt;
	}
	printf("sqlite_speedtest1 %.2f\n", best);
	return 0;
}
