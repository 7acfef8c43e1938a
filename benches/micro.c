// Lind micro-benchmarks: one program, built natively (gcc -O2) and for lind
// (lind cc -O2), run with a scratch directory as the current directory
// (natively) or as the cage root (under lind).
//
// Output: one line per benchmark, "name ns_per_op", on stdout; progress and
// errors on stderr. Exit status 0 only when every benchmark ran.
//
//   micro [-t MS] [-r REPS] [NAME...]
//     -t MS    time per repetition in milliseconds (default 60)
//     -r REPS  repetitions per benchmark; the best (minimum) is printed
//              (default 5)
//     NAME     run only these benchmarks (default: all)
//
// Each benchmark first calibrates its iteration count (so a repetition takes
// about -t milliseconds on this side, whatever its speed), then runs REPS
// repetitions and reports the fastest: on a shared, noisy machine the
// minimum is the estimate least disturbed by other tenants.
//
// Files live in the current directory (not /tmp: /tmp is the host's tmpfs
// natively but lind's in-memory file system in a cage).
//
// It also builds for wasm32-wasi (wasi-libc, run by wasmtime with the
// directory preopened): items WASI has no call for (signals, pipes, epoll,
// /dev/null, pids) are left out there and the table shows n/a; its
// null_syscall is fcntl(F_GETFL), WASI's cheapest real host call
// (fd_fdstat_get), since it has no getppid. Threads are lind and native only.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#ifndef __wasi__
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#endif
#include <time.h>
#include <unistd.h>

#define SMALL_FILE "lind-bench-small.txt"
#define BIG_FILE "lind-bench-1mib.dat"
#define WRITE_FILE "lind-bench-write.dat"
#define DIR_1000 "lind-bench-dir1000"
#define DIR_FILES 1000
#define MIB (1024 * 1024)

static volatile uint64_t sink;

static void die(const char *what)
{
	fprintf(stderr, "micro: %s: %s\n", what, strerror(errno));
	exit(1);
}

static uint64_t now_ns(void)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		die("clock_gettime");
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

// ---- fixtures ---------------------------------------------------------------

static int fd_devnull = -1, fd_small = -1, fd_big = -1, fd_write = -1;
static unsigned char *big_buf, *big_src;

static void write_file(const char *path, const unsigned char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		die(path);
	size_t done = 0;
	while (done < len) {
		ssize_t n = write(fd, data + done, len - done);
		if (n <= 0)
			die("write fixture");
		done += (size_t)n;
	}
	if (close(fd) != 0)
		die("close fixture");
}

// poll/epoll with one ready descriptor: a pipe holding one byte.
static int ready_pipe[2] = {-1, -1};
static int ready_epoll = -1;

static void setup(void)
{
	static const char small[] = "lind benchmark: a small file for open/close, stat and pread.\n";
	write_file(SMALL_FILE, (const unsigned char *)small, sizeof small - 1);
	big_src = malloc(MIB);
	big_buf = malloc(MIB);
	if (!big_src || !big_buf)
		die("malloc");
	for (size_t i = 0; i < MIB; i++)
		big_src[i] = (unsigned char)(i * 131u + (i >> 12));
	write_file(BIG_FILE, big_src, MIB);
	if ((fd_write = open(WRITE_FILE, O_RDWR | O_CREAT | O_TRUNC, 0644)) < 0)
		die(WRITE_FILE);
	if (mkdir(DIR_1000, 0755) != 0 && errno != EEXIST)
		die(DIR_1000);
	for (int i = 0; i < DIR_FILES; i++) {
		char name[64];
		snprintf(name, sizeof name, DIR_1000 "/f%04d", i);
		write_file(name, (const unsigned char *)"x", 1);
	}
	if ((fd_small = open(SMALL_FILE, O_RDONLY)) < 0)
		die(SMALL_FILE);
	if ((fd_big = open(BIG_FILE, O_RDONLY)) < 0)
		die(BIG_FILE);
#ifndef __wasi__
	if ((fd_devnull = open("/dev/null", O_WRONLY)) < 0)
		die("/dev/null");
	if (pipe(ready_pipe) != 0 || write(ready_pipe[1], "x", 1) != 1)
		die("pipe");
	struct epoll_event ev = {.events = EPOLLIN};
	if ((ready_epoll = epoll_create1(0)) < 0 || epoll_ctl(ready_epoll, EPOLL_CTL_ADD, ready_pipe[0], &ev) != 0)
		die("epoll");
#endif
}

static void teardown(void)
{
	close(fd_small);
	close(fd_big);
	close(fd_write);
#ifndef __wasi__
	close(fd_devnull);
	close(ready_epoll);
	close(ready_pipe[0]);
	close(ready_pipe[1]);
#endif
	unlink(SMALL_FILE);
	unlink(BIG_FILE);
	unlink(WRITE_FILE);
	for (int i = 0; i < DIR_FILES; i++) {
		char name[64];
		snprintf(name, sizeof name, DIR_1000 "/f%04d", i);
		unlink(name);
	}
	rmdir(DIR_1000);
}

// ---- benchmarks: each runs its operation n times --------------------------

static void b_null_syscall(int64_t n)
{
	uint64_t acc = 0;
	for (int64_t i = 0; i < n; i++)
#ifdef __wasi__
		acc += (uint64_t)fcntl(fd_small, F_GETFL);
#else
		acc += (uint64_t)syscall(SYS_getppid);
#endif
	sink += acc;
}

#ifndef __wasi__

static void b_poll_1_ready(int64_t n)
{
	uint64_t acc = 0;
	struct pollfd p = {.fd = ready_pipe[0], .events = POLLIN};
	for (int64_t i = 0; i < n; i++)
		acc += (uint64_t)poll(&p, 1, 0) + (uint64_t)p.revents;
	sink += acc;
}

static void b_epoll_wait_1_ready(int64_t n)
{
	uint64_t acc = 0;
	struct epoll_event ev;
	for (int64_t i = 0; i < n; i++)
		acc += (uint64_t)epoll_wait(ready_epoll, &ev, 1, 0) + ev.events;
	sink += acc;
}

#endif

#ifndef __wasi__
static void b_getpid(int64_t n)
{
	uint64_t acc = 0;
	for (int64_t i = 0; i < n; i++)
		acc += (uint64_t)getpid();
	sink += acc;
}

#endif

static void b_clock_gettime(int64_t n)
{
	uint64_t acc = 0;
	struct timespec ts;
	for (int64_t i = 0; i < n; i++) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		acc += (uint64_t)ts.tv_nsec;
	}
	sink += acc;
}

#ifndef __wasi__
static void b_write_devnull_1b(int64_t n)
{
	static const char c = 'x';
	for (int64_t i = 0; i < n; i++)
		if (write(fd_devnull, &c, 1) != 1)
			die("write /dev/null");
}
#endif

static void b_pwrite_1b(int64_t n)
{
	static const char c = 'x';
	for (int64_t i = 0; i < n; i++)
		if (pwrite(fd_write, &c, 1, 7) != 1)
			die("pwrite 1 byte");
}

// opendir + readdir of every entry + closedir, 1000 files.
static void b_getdents_1000(int64_t n)
{
	uint64_t acc = 0;
	for (int64_t i = 0; i < n; i++) {
		DIR *d = opendir(DIR_1000);
		if (!d)
			die("opendir");
		struct dirent *e;
		while ((e = readdir(d)) != NULL)
			acc++;
		closedir(d);
	}
	if (acc < (uint64_t)n * DIR_FILES)
		die("getdents_1000: entries missing");
	sink += acc;
}

static void b_pread_1b(int64_t n)
{
	unsigned char c;
	uint64_t acc = 0;
	for (int64_t i = 0; i < n; i++) {
		if (pread(fd_small, &c, 1, 7) != 1)
			die("pread 1 byte");
		acc += c;
	}
	sink += acc;
}

static void b_open_close(int64_t n)
{
	for (int64_t i = 0; i < n; i++) {
		int fd = open(SMALL_FILE, O_RDONLY);
		if (fd < 0)
			die("open");
		if (close(fd) != 0)
			die("close");
	}
}

static void b_stat(int64_t n)
{
	struct stat st;
	uint64_t acc = 0;
	for (int64_t i = 0; i < n; i++) {
		if (stat(SMALL_FILE, &st) != 0)
			die("stat");
		acc += (uint64_t)st.st_size;
	}
	sink += acc;
}

static void b_read_1mib(int64_t n)
{
	uint64_t acc = 0;
	for (int64_t i = 0; i < n; i++) {
		size_t done = 0;
		while (done < MIB) {
			ssize_t r = pread(fd_big, big_buf + done, MIB - done, (off_t)done);
			if (r <= 0)
				die("pread 1 MiB");
			done += (size_t)r;
		}
		acc += big_buf[i & (MIB - 1)];
	}
	sink += acc;
}

// Plain memory bandwidth inside the program, to read read_1mib against.
static void b_memcpy_1mib(int64_t n)
{
	uint64_t acc = 0;
	for (int64_t i = 0; i < n; i++) {
		memcpy(big_buf, big_src, MIB);
		__asm__ volatile("" ::"r"(big_buf) : "memory");
		acc += big_buf[(i * 4099) & (MIB - 1)];
	}
	sink += acc;
}

#ifndef __wasi__
// mmap of 1 MiB of anonymous memory, a write to each page, munmap.
static void b_mmap_touch_1mib(int64_t n)
{
	uint64_t acc = 0;
	for (int64_t i = 0; i < n; i++) {
		unsigned char *p = mmap(NULL, MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			die("mmap 1 MiB");
		for (size_t off = 0; off < MIB; off += 4096)
			p[off] = (unsigned char)i;
		acc += p[(i * 4096) & (MIB - 1)];
		if (munmap(p, MIB) != 0)
			die("munmap 1 MiB");
	}
	sink += acc;
}

#define FILE_64MIB "lind-bench-64mib.dat"
#define SIZE_64MIB (64 * MIB)

// A 64 MiB file read through a private read-only mapping: mmap, sum
// every 64-bit word, munmap (per operation; run.py shows MiB/s). The
// file is written on first use, so the page cache holds it on both sides.
static void b_mmap_read_64mib(int64_t n)
{
	static int fd = -1;
	if (fd < 0) {
		unsigned char *chunk = malloc(MIB);
		if (!chunk)
			die("malloc");
		int w = open(FILE_64MIB, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (w < 0)
			die(FILE_64MIB);
		for (int k = 0; k < 64; k++) {
			for (size_t j = 0; j < MIB; j++)
				chunk[j] = (unsigned char)(j * 7u + (unsigned)k);
			if (write(w, chunk, MIB) != MIB)
				die("write 64 MiB fixture");
		}
		close(w);
		free(chunk);
		if ((fd = open(FILE_64MIB, O_RDONLY)) < 0)
			die(FILE_64MIB);
	}
	uint64_t acc = 0;
	for (int64_t i = 0; i < n; i++) {
		const uint64_t *p = mmap(NULL, SIZE_64MIB, PROT_READ, MAP_PRIVATE, fd, 0);
		if (p == MAP_FAILED)
			die("mmap 64 MiB file");
		for (size_t j = 0; j < SIZE_64MIB / 8; j++)
			acc += p[j];
		if (munmap((void *)p, SIZE_64MIB) != 0)
			die("munmap 64 MiB");
	}
	sink += acc;
}
#endif

// Pure computation (no syscalls, no libc): the cost of running as wasm.
static void b_fnv_1mib(int64_t n)
{
	uint64_t h = 1469598103934665603u;
	for (int64_t i = 0; i < n; i++) {
		for (size_t j = 0; j < MIB; j++)
			h = (h ^ big_src[j]) * 1099511628211u;
		__asm__ volatile("" ::"r"(big_src) : "memory");
	}
	sink += h;
}

#define SLOTS 256
static void *slot[SLOTS];
static uint64_t rng = 0x9e3779b97f4a7c15u;

static uint64_t xorshift(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

// A size from 16 B to 64 KiB, log-uniform (as many small as large blocks).
static size_t rand_size(void)
{
	uint64_t r = xorshift();
	unsigned shift = 4 + (unsigned)(r % 12); // 16 B .. 32 KiB
	size_t lo = (size_t)1 << shift;
	return lo + (size_t)((r >> 8) % (lo + 1)); // .. 2*lo, at most 64 KiB
}

// One malloc+free pair per operation, over a pool of live blocks.
static void b_malloc_free(int64_t n)
{
	for (int64_t i = 0; i < n; i++) {
		unsigned k = (unsigned)(xorshift() % SLOTS);
		free(slot[k]);
		size_t sz = rand_size();
		unsigned char *p = malloc(sz);
		if (!p)
			die("malloc");
		p[0] = (unsigned char)i;
		p[sz - 1] = (unsigned char)k;
		slot[k] = p;
	}
}

static void malloc_setup(void)
{
	for (int k = 0; k < SLOTS; k++)
		if (!(slot[k] = malloc(rand_size())))
			die("malloc");
}

#ifndef __wasi__
static volatile sig_atomic_t signals_seen;

static void count_signal(int sig)
{
	(void)sig;
	signals_seen++;
}

// kill(getpid()) with a handler: the signal is delivered before kill
// returns, natively and in lind.
static void b_signal_roundtrip(int64_t n)
{
	pid_t self = getpid();
	signal(SIGUSR1, count_signal);
	signals_seen = 0;
	for (int64_t i = 0; i < n; i++)
		kill(self, SIGUSR1);
	if (signals_seen < n)
		die("signal_roundtrip: a signal was lost");
}

// setjmp, then longjmp back to it from 4 calls deeper (how C programs
// and interpreters such as Lua raise errors).
static jmp_buf jump_target;
static __attribute__((noinline)) void jump_from(int depth)
{
	if (depth == 0)
		longjmp(jump_target, 1);
	jump_from(depth - 1);
	sink++;
}
static void b_setjmp_longjmp(int64_t n)
{
	for (int64_t i = 0; i < n; i++)
		if (!setjmp(jump_target))
			jump_from(4);
}
#endif

#ifndef __wasi__
// Uncontended lock+unlock of a default mutex (atomics only, no syscall).
static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
static void b_mutex_lock_unlock(int64_t n)
{
	for (int64_t i = 0; i < n; i++) {
		pthread_mutex_lock(&mutex);
		sink++;
		pthread_mutex_unlock(&mutex);
	}
}

static void *thread_nop(void *arg)
{
	return arg;
}

// pthread_create of a thread that returns at once, then pthread_join.
static void b_thread_create_join(int64_t n)
{
	for (int64_t i = 0; i < n; i++) {
		pthread_t t;
		void *r;
		if (pthread_create(&t, NULL, thread_nop, (void *)(intptr_t)i) != 0)
			die("pthread_create");
		pthread_join(t, &r);
		sink += (uintptr_t)r;
	}
}
#endif

#ifndef __wasi__
// ---- two threads --------------------------------------------------------------

// A CPU-bound parallel computation: n units of pure arithmetic (no memory
// traffic, so the two halves cannot slow each other down through caches or
// memory bandwidth), split over 1 or 2 threads. Each thread sums into a
// local and stores its result once, into a slot of its own cache line.
#define UNIT 4096
struct slot {
	uint64_t sum;
	char pad[64 - sizeof(uint64_t)];
} __attribute__((aligned(64)));
static struct slot par_out[2];
struct par_job {
	uint64_t from, to;
	int slot;
};

static void *par_work(void *arg)
{
	const struct par_job *j = arg;
	uint64_t acc = 0;
	for (uint64_t i = j->from * UNIT; i < j->to * UNIT; i++) {
		uint64_t x = i * 0x9e3779b97f4a7c15ull;
		x ^= x >> 29;
		x *= 0xbf58476d1ce4e5b9ull;
		x ^= x >> 32;
		acc += x;
	}
	par_out[j->slot].sum = acc;
	return NULL;
}

static uint64_t par_run(int64_t n, int threads)
{
	pthread_t t[2];
	struct par_job jobs[2];
	uint64_t half = (uint64_t)n / (uint64_t)threads;
	for (int k = 0; k < threads; k++) {
		jobs[k].from = half * (uint64_t)k;
		jobs[k].to = k == threads - 1 ? (uint64_t)n : half * (uint64_t)(k + 1);
		jobs[k].slot = k;
		if (pthread_create(&t[k], NULL, par_work, &jobs[k]) != 0)
			die("pthread_create");
	}
	uint64_t sum = 0;
	for (int k = 0; k < threads; k++) {
		pthread_join(t[k], NULL);
		sum += par_out[k].sum;
	}
	return sum;
}

// The same n units on 1 and on 2 threads (run.py reports the speedup);
// the sums must agree.
static uint64_t par_expect, par_expect_n;
static void par_check(int64_t n, uint64_t sum)
{
	if (par_expect_n == (uint64_t)n && par_expect != sum)
		die("parallel: 1- and 2-thread sums differ");
	par_expect_n = (uint64_t)n;
	par_expect = sum;
}
// The work alone, on the calling thread: what the parallel items calibrate
// with (thread start-up would dominate the small counts calibration tries).
static void b_parallel_inline(int64_t n)
{
	struct par_job j = {0, (uint64_t)n, 0};
	par_work(&j);
	sink += par_out[0].sum;
}
static void b_parallel_1t(int64_t n)
{
	par_check(n, par_run(n, 1));
}
static void b_parallel_2t(int64_t n)
{
	par_check(n, par_run(n, 2));
}

// Strict handoff between two threads through a pair of mutexes used as
// binary semaphores (PTHREAD_MUTEX_NORMAL, which glibc and musl both let
// another thread unlock): each step is one unlock waking the other
// thread's blocked lock. n counts handoffs.
static pthread_mutex_t hand[2];
static int64_t hand_n;
static void *hand_peer(void *arg)
{
	(void)arg;
	for (int64_t i = 0; i < hand_n; i += 2) {
		pthread_mutex_lock(&hand[1]);
		pthread_mutex_unlock(&hand[0]);
	}
	return NULL;
}
static void b_mutex_contended_handoff(int64_t n)
{
	pthread_mutexattr_t a;
	pthread_mutexattr_init(&a);
	pthread_mutexattr_settype(&a, PTHREAD_MUTEX_NORMAL);
	pthread_mutex_init(&hand[0], &a);
	pthread_mutex_init(&hand[1], &a);
	pthread_mutex_lock(&hand[1]);
	hand_n = n < 2 ? 2 : n;
	pthread_t t;
	if (pthread_create(&t, NULL, hand_peer, NULL) != 0)
		die("pthread_create");
	for (int64_t i = 0; i < hand_n; i += 2) {
		pthread_mutex_lock(&hand[0]);
		pthread_mutex_unlock(&hand[1]);
	}
	pthread_join(t, NULL);
	pthread_mutex_destroy(&hand[0]);
	pthread_mutex_destroy(&hand[1]);
}

// Two threads taking turns through one mutex and one condvar: n round
// trips (each thread waits for its turn, flips it and signals).
static pthread_mutex_t pp_m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pp_c = PTHREAD_COND_INITIALIZER;
static int pp_turn;
static int64_t pp_n;
static void pp_side(int me)
{
	for (int64_t i = 0; i < pp_n; i++) {
		pthread_mutex_lock(&pp_m);
		while (pp_turn != me)
			pthread_cond_wait(&pp_c, &pp_m);
		pp_turn = !me;
		pthread_cond_signal(&pp_c);
		pthread_mutex_unlock(&pp_m);
	}
}
static void *pp_peer(void *arg)
{
	(void)arg;
	pp_side(1);
	return NULL;
}
static void b_condvar_pingpong(int64_t n)
{
	pp_n = n;
	pp_turn = 0;
	pthread_t t;
	if (pthread_create(&t, NULL, pp_peer, NULL) != 0)
		die("pthread_create");
	pp_side(0);
	pthread_join(t, NULL);
}
#endif

struct bench {
	const char *name;
	void (*fn)(int64_t n);
};

static const struct bench benches[] = {
	{"null_syscall", b_null_syscall},
#ifndef __wasi__
	{"getpid", b_getpid},
#endif
	{"clock_gettime", b_clock_gettime},
#ifndef __wasi__
	{"write_devnull_1b", b_write_devnull_1b},
#endif
	{"pread_1b", b_pread_1b},
	{"pwrite_1b", b_pwrite_1b},
	{"open_close", b_open_close},
	{"stat", b_stat},
	{"getdents_1000", b_getdents_1000},
	{"read_1mib", b_read_1mib},
	{"memcpy_1mib", b_memcpy_1mib},
	{"malloc_free", b_malloc_free},
	{"fnv_1mib", b_fnv_1mib},
#ifndef __wasi__
	{"mmap_touch_1mib", b_mmap_touch_1mib},
	{"mmap_read_64mib", b_mmap_read_64mib},
	{"signal_roundtrip", b_signal_roundtrip},
	{"setjmp_longjmp", b_setjmp_longjmp},
	{"poll_1_ready", b_poll_1_ready},
	{"epoll_wait_1_ready", b_epoll_wait_1_ready},
	{"mutex_lock_unlock", b_mutex_lock_unlock},
	{"thread_create_join", b_thread_create_join},
	{"mutex_contended_handoff", b_mutex_contended_handoff},
	{"condvar_pingpong", b_condvar_pingpong},
	{"parallel_1t", b_parallel_1t},
	{"parallel_2t", b_parallel_2t},
#endif
};
#define NBENCH (sizeof benches / sizeof benches[0])

// Grows n until one run takes >= 5 ms, then scales it to the target time.
static int64_t calibrate(void (*fn)(int64_t), uint64_t target_ns)
{
	int64_t n = 1;
	for (;;) {
		uint64_t t0 = now_ns();
		fn(n);
		uint64_t dt = now_ns() - t0;
		if (dt >= 5000000 || n >= ((int64_t)1 << 40)) {
			double per = (double)dt / (double)n;
			int64_t want = (int64_t)((double)target_ns / (per > 0 ? per : 1));
			return want < 1 ? 1 : want;
		}
		n *= dt < 500000 ? 10 : 2;
	}
}

int main(int argc, char **argv)
{
	long ms = 60, reps = 5;
	int opt;
	while ((opt = getopt(argc, argv, "t:r:")) != -1) {
		switch (opt) {
		case 't': ms = atol(optarg); break;
		case 'r': reps = atol(optarg); break;
		default:
			fprintf(stderr, "usage: micro [-t MS] [-r REPS] [NAME...]\n");
			return 2;
		}
	}
	if (ms < 1 || reps < 1) {
		fprintf(stderr, "micro: -t and -r must be positive\n");
		return 2;
	}
	for (int i = optind; i < argc; i++) {
		size_t k;
		for (k = 0; k < NBENCH && strcmp(argv[i], benches[k].name) != 0; k++)
			;
		if (k == NBENCH) {
			fprintf(stderr, "micro: unknown benchmark %s\n", argv[i]);
			return 2;
		}
	}
	setup();
	malloc_setup();
	for (size_t k = 0; k < NBENCH; k++) {
		const struct bench *b = &benches[k];
		if (optind < argc) {
			int wanted = 0;
			for (int i = optind; i < argc; i++)
				wanted |= strcmp(argv[i], b->name) == 0;
			if (!wanted)
				continue;
		}
		// The parallel items run ~0.5 s or more per repetition (thread
		// start-up is then noise), and parallel_2t does exactly
		// parallel_1t's work, so their sums are compared.
		int parallel = strncmp(b->name, "parallel_", 9) == 0;
		uint64_t target = (uint64_t)(parallel && ms < 500 ? 500 : ms) * 1000000u;
		static int64_t par_n;
#ifndef __wasi__
		int64_t n = !parallel ? calibrate(b->fn, target) : par_n ? par_n : calibrate(b_parallel_inline, target);
#else
		int64_t n = calibrate(b->fn, target);
#endif
		if (parallel)
			par_n = n;
		double best = -1;
		for (long r = 0; r < reps; r++) {
			uint64_t t0 = now_ns();
			b->fn(n);
			double per = (double)(now_ns() - t0) / (double)n;
			if (best < 0 || per < best)
				best = per;
		}
		printf("%s %.2f\n", b->name, best);
		fflush(stdout);
	}
	teardown();
	return 0;
}
