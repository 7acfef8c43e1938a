// Lind process benchmarks: fork, exec, wait and pipes. One program, built
// natively (gcc -O2) and for lind (lind cc -O2), run with a scratch directory
// as the current directory (natively) or as the cage root (under lind); that
// directory holds the program execve'd by exec_small (exec-tiny, built from
// exec_tiny.c the same way as this program).
//
// Output: one line per benchmark, "name ns_per_op", on stdout; progress and
// errors on stderr. Exit status 0 only when every benchmark ran and every
// child exited as expected.
//
//   proc [-t MS] [-r REPS] [-x PATH] [NAME...]
//     -t MS    time per repetition in milliseconds (default 60)
//     -r REPS  repetitions per benchmark; the best (minimum) is printed
//              (default 5)
//     -x PATH  the program exec_small runs (default ./exec-tiny)
//     NAME     run only these benchmarks (default: all)
//
// Like micro.c, each benchmark calibrates its iteration count to about -t
// milliseconds per repetition, then prints the fastest repetition. An
// operation that takes longer than -t (pipeline_3stage_64mib) runs once per
// repetition.
//
// Benchmarks (per operation):
//   fork_exit_wait        fork; the child _exits(0); waitpid.
//   exec_small            fork; the child execve's -x PATH (exits 0); waitpid.
//   pipe_throughput       per MiB through one pipe: the parent writes 64 KiB
//                         chunks, a forked child reads them (one fork + wait
//                         per repetition, amortised over >= 50 ms of data).
//   unix_stream_throughput the same through an AF_UNIX stream socketpair.
//   tcp_throughput        the same through a TCP connection on 127.0.0.1
//                         (under lind: host sockets, the policy's loopback).
//   pipeline_3stage_64mib three forked stages, generator -> transformer ->
//                         checksummer, pass 64 MiB through two pipes; the
//                         checksum comes back through a third and is checked.
//   fork_exit_wait_64mib  fork_exit_wait with a 64 MiB heap that the parent
//                         filled, and writes a few pages of between forks
//                         (so copy-on-write has fresh pages to handle); the
//                         child reads one byte of it and exits with it.
//   fork_exit_wait_64mib_aged  the same after 4 forks, each after writing
//                         every 4th page of the heap (see heap_age).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define KIB 1024u
#define MIB (1024u * 1024u)
#define CHUNK (64 * KIB)
#define HEAP_BYTES (64 * MIB)
#define PIPELINE_BYTES (64 * MIB)
#define PAGE 4096u

static volatile uint64_t sink;
static const char *exec_path = "./exec-tiny";

static void die(const char *what)
{
	fprintf(stderr, "proc: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void fail(const char *what)
{
	fprintf(stderr, "proc: %s\n", what);
	exit(1);
}

static uint64_t now_ns(void)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		die("clock_gettime");
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

// Waits for pid and requires a normal exit with status `want`.
static void reap(pid_t pid, int want, const char *what)
{
	int st;
	pid_t r;
	while ((r = waitpid(pid, &st, 0)) < 0 && errno == EINTR)
		;
	if (r != pid)
		die("waitpid");
	if (!WIFEXITED(st) || WEXITSTATUS(st) != want) {
		fprintf(stderr, "proc: %s: child %s %d (expected exit %d)\n", what,
			WIFEXITED(st) ? "exited with" : "killed by signal",
			WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st), want);
		exit(1);
	}
}

static int write_full(int fd, const void *buf, size_t n)
{
	const unsigned char *p = buf;
	while (n > 0) {
		ssize_t r = write(fd, p, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

// Reads exactly n bytes unless EOF comes first; returns the bytes read, -1 on error.
static ssize_t read_full(int fd, void *buf, size_t n)
{
	unsigned char *p = buf;
	size_t got = 0;
	while (got < n) {
		ssize_t r = read(fd, p + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

// ---- fork + _exit + wait ---------------------------------------------------

static void b_fork_exit_wait(int64_t n)
{
	for (int64_t i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid < 0)
			die("fork");
		if (pid == 0)
			_exit(0);
		reap(pid, 0, "fork_exit_wait");
	}
}

// ---- the same with a 64 MiB heap in use --------------------------------------

static unsigned char *heap;
static uint64_t heap_cursor;

static void heap_setup(void)
{
	if (heap)
		return;
	heap = malloc(HEAP_BYTES);
	if (!heap)
		die("malloc 64 MiB");
	for (size_t i = 0; i < HEAP_BYTES; i++)
		heap[i] = (unsigned char)(i * 2654435761u >> 13);
}

static void b_fork_exit_wait_64mib(int64_t n)
{
	for (int64_t i = 0; i < n; i++) {
		// The parent keeps using its heap: 4 pages, far apart, change
		// before each fork, so every fork has freshly written pages.
		for (int k = 0; k < 4; k++) {
			heap_cursor = (heap_cursor + 4099u * PAGE + 64) % HEAP_BYTES;
			heap[heap_cursor] += 1;
		}
		size_t probe = heap_cursor;
		pid_t pid = fork();
		if (pid < 0)
			die("fork");
		if (pid == 0)
			_exit(heap[probe] & 1); // reads the parent's heap
		reap(pid, heap[probe] & 1, "fork_exit_wait_64mib");
	}
	uint64_t acc = 0;
	for (size_t off = 0; off < HEAP_BYTES; off += 1024 * PAGE)
		acc += heap[off + (heap_cursor & (PAGE - 1))];
	sink += acc;
}

// The same after the parent's memory has aged: 4 earlier forks, each after
// writing every 4th page of the heap (a different quarter each time), as a
// long-lived parent that writes all over its heap between forks leaves it.
// Natively this changes nothing; in lind (which tracks copy-on-write ranges
// itself) every page of the heap then comes from a different snapshot than
// its neighbours, so this measures fork at its most fragmented.
static void heap_age(void)
{
	heap_setup();
	for (size_t k = 0; k < 4; k++) {
		for (size_t off = k * PAGE; off < HEAP_BYTES; off += 4 * PAGE)
			heap[off + 8] += 1;
		pid_t pid = fork();
		if (pid < 0)
			die("fork");
		if (pid == 0)
			_exit(0);
		reap(pid, 0, "fork_exit_wait_64mib_aged (ageing)");
	}
}

// ---- fork + execve + wait ----------------------------------------------------

static void b_exec_small(int64_t n)
{
	for (int64_t i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid < 0)
			die("fork");
		if (pid == 0) {
			char *argv[] = {"exec-tiny", NULL};
			char *envp[] = {NULL};
			execve(exec_path, argv, envp);
			_exit(127);
		}
		reap(pid, 0, "exec_small (is -x PATH there and executable?)");
	}
}

// ---- one pipe between two processes, per MiB ---------------------------------

static unsigned char chunk_buf[CHUNK];

// Streams n_mib MiB from the parent (writing 64 KiB chunks into wfd) to a
// forked child (reading rfd), which checks the byte count.
static void stream_throughput(int64_t n_mib, int rfd, int wfd, const char *what)
{
	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		close(wfd);
		static unsigned char rbuf[CHUNK];
		uint64_t total = 0, acc = 0;
		ssize_t r;
		while ((r = read(rfd, rbuf, sizeof rbuf)) != 0) {
			if (r < 0) {
				if (errno == EINTR)
					continue;
				_exit(2);
			}
			acc += rbuf[0] + rbuf[r - 1];
			total += (uint64_t)r;
		}
		sink = acc;
		_exit(total == (uint64_t)n_mib * MIB ? 0 : 3);
	}
	close(rfd);
	int64_t chunks = n_mib * (MIB / CHUNK);
	for (int64_t i = 0; i < chunks; i++) {
		chunk_buf[0] = (unsigned char)i;
		if (write_full(wfd, chunk_buf, CHUNK) != 0)
			die(what);
	}
	close(wfd);
	reap(pid, 0, what);
}

static void b_pipe_throughput(int64_t n_mib)
{
	int p[2];
	if (pipe(p) != 0)
		die("pipe");
	stream_throughput(n_mib, p[0], p[1], "pipe_throughput");
}

static void b_unix_stream_throughput(int64_t n_mib)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
		die("socketpair");
	stream_throughput(n_mib, sv[0], sv[1], "unix_stream_throughput");
}

// A connected TCP pair on 127.0.0.1: connect to a listener on port 0, accept.
static void b_tcp_throughput(int64_t n_mib)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t len = sizeof a;
	int l = socket(AF_INET, SOCK_STREAM, 0);
	if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof a) != 0 || listen(l, 1) != 0 ||
	    getsockname(l, (struct sockaddr *)&a, &len) != 0)
		die("tcp listener");
	int c = socket(AF_INET, SOCK_STREAM, 0);
	if (c < 0 || connect(c, (struct sockaddr *)&a, sizeof a) != 0)
		die("tcp connect");
	int s = accept(l, NULL, NULL);
	if (s < 0)
		die("tcp accept");
	close(l);
	stream_throughput(n_mib, c, s, "tcp_throughput");
}

// ---- generator -> transformer -> checksummer -----------------------------------

#define WORDS (CHUNK / 8)
static uint64_t gen_base[WORDS];

static void gen_chunk(uint64_t *out, uint64_t index)
{
	for (size_t i = 0; i < WORDS; i++)
		out[i] = gen_base[i] + index;
}

static uint64_t transform(uint64_t w)
{
	return (w ^ 0x5a5a5a5a5a5a5a5aull) + (w >> 29);
}

struct sum {
	uint64_t a, b;
};

static void sum_words(struct sum *s, const uint64_t *w, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		s->a += w[i];
		s->b ^= s->a;
	}
}

static uint64_t expected_sum;

static void pipeline_setup(void)
{
	uint64_t x = 88172645463325252ull;
	for (size_t i = 0; i < WORDS; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		gen_base[i] = x;
	}
	static uint64_t w[WORDS];
	struct sum s = {0, 0};
	for (uint64_t c = 0; c < PIPELINE_BYTES / CHUNK; c++) {
		gen_chunk(w, c);
		for (size_t i = 0; i < WORDS; i++)
			w[i] = transform(w[i]);
		sum_words(&s, w, WORDS);
	}
	expected_sum = s.a * 31 + s.b;
}

static void b_pipeline_3stage_64mib(int64_t n)
{
	static uint64_t w[WORDS];
	for (int64_t it = 0; it < n; it++) {
		int a[2], b[2], res[2];
		if (pipe(a) != 0 || pipe(b) != 0 || pipe(res) != 0)
			die("pipe");
		pid_t gen = fork();
		if (gen < 0)
			die("fork");
		if (gen == 0) {
			close(a[0]); close(b[0]); close(b[1]); close(res[0]); close(res[1]);
			for (uint64_t c = 0; c < PIPELINE_BYTES / CHUNK; c++) {
				gen_chunk(w, c);
				if (write_full(a[1], w, CHUNK) != 0)
					_exit(2);
			}
			_exit(0);
		}
		pid_t xf = fork();
		if (xf < 0)
			die("fork");
		if (xf == 0) {
			close(a[1]); close(b[0]); close(res[0]); close(res[1]);
			ssize_t r;
			while ((r = read_full(a[0], w, CHUNK)) > 0) {
				if (r % 8)
					_exit(3);
				for (size_t i = 0; i < (size_t)r / 8; i++)
					w[i] = transform(w[i]);
				if (write_full(b[1], w, (size_t)r) != 0)
					_exit(2);
			}
			_exit(r == 0 ? 0 : 4);
		}
		pid_t ck = fork();
		if (ck < 0)
			die("fork");
		if (ck == 0) {
			close(a[0]); close(a[1]); close(b[1]); close(res[0]);
			struct sum s = {0, 0};
			uint64_t total = 0;
			ssize_t r;
			while ((r = read_full(b[0], w, CHUNK)) > 0) {
				if (r % 8)
					_exit(3);
				sum_words(&s, w, (size_t)r / 8);
				total += (uint64_t)r;
			}
			uint64_t h = s.a * 31 + s.b;
			if (r != 0 || total != PIPELINE_BYTES || write_full(res[1], &h, sizeof h) != 0)
				_exit(4);
			_exit(0);
		}
		close(a[0]); close(a[1]); close(b[0]); close(b[1]); close(res[1]);
		uint64_t got = 0;
		ssize_t r = read_full(res[0], &got, sizeof got);
		close(res[0]);
		reap(gen, 0, "pipeline generator");
		reap(xf, 0, "pipeline transformer");
		reap(ck, 0, "pipeline checksummer");
		if (r != sizeof got || got != expected_sum)
			fail("pipeline_3stage_64mib: wrong checksum");
	}
}

// ---- driver --------------------------------------------------------------------

struct bench {
	const char *name;
	void (*fn)(int64_t n);
	void (*setup)(void);
};

// In this order: the 64 MiB heap is allocated (and kept) by the last two, so
// the others fork a small process.
static const struct bench benches[] = {
	{"fork_exit_wait", b_fork_exit_wait, NULL},
	{"exec_small", b_exec_small, NULL},
	{"pipe_throughput", b_pipe_throughput, NULL},
	{"unix_stream_throughput", b_unix_stream_throughput, NULL},
	{"tcp_throughput", b_tcp_throughput, NULL},
	{"pipeline_3stage_64mib", b_pipeline_3stage_64mib, pipeline_setup},
	{"fork_exit_wait_64mib", b_fork_exit_wait_64mib, heap_setup},
	{"fork_exit_wait_64mib_aged", b_fork_exit_wait_64mib, heap_age},
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
	while ((opt = getopt(argc, argv, "t:r:x:")) != -1) {
		switch (opt) {
		case 't': ms = atol(optarg); break;
		case 'r': reps = atol(optarg); break;
		case 'x': exec_path = optarg; break;
		default:
			fprintf(stderr, "usage: proc [-t MS] [-r REPS] [-x PATH] [NAME...]\n");
			return 2;
		}
	}
	if (ms < 1 || reps < 1) {
		fprintf(stderr, "proc: -t and -r must be positive\n");
		return 2;
	}
	for (int i = optind; i < argc; i++) {
		size_t k;
		for (k = 0; k < NBENCH && strcmp(argv[i], benches[k].name) != 0; k++)
			;
		if (k == NBENCH) {
			fprintf(stderr, "proc: unknown benchmark %s\n", argv[i]);
			return 2;
		}
	}
	signal(SIGPIPE, SIG_DFL);
	fflush(stdout);
	for (size_t k = 0; k < NBENCH; k++) {
		const struct bench *b = &benches[k];
		if (optind < argc) {
			int wanted = 0;
			for (int i = optind; i < argc; i++)
				wanted |= strcmp(argv[i], b->name) == 0;
			if (!wanted)
				continue;
		}
		if (b->setup)
			b->setup();
		int64_t n = calibrate(b->fn, (uint64_t)ms * 1000000u);
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
	return 0;
}
