// A CPU-bound, CoreMark-like program that can fork: the Asyncify benchmark.
//
// run.py builds it three times: natively (gcc -O2), with `lind cc -O2`
// (which instruments with Asyncify every function that can be on the stack
// during fork: here the start-up path down to main, main itself with
// run_workers inlined, the libc's fork, and, as their indirect calls share
// a type with musl's start-up functions, stdio's write path) and with
// `LIND_ASYNCIFY=0 lind cc -O2` (no instrumentation; the module cannot
// fork). Comparing the two wasm builds gives what instrumentation costs in
// module size and in run time for a realistic program whose main can fork
// but whose hot path (iteration and the kernels) cannot.
//
//   compute [-t MS] [-r REPS]   prints "coremark_iter ns_per_iteration"
//   compute -j N -n ITERS       forks N workers running ITERS iterations
//                               each, prints the combined checksum
//
// Built with -DWITH_HANDLER it installs a SIGUSR1 handler first.
//
// One iteration: a 32x32 integer matrix multiply, a merge sort of a
// 512-node linked list (by value, then back by index, through a comparison
// function pointer as CoreMark does), a number-recognising state machine
// over a 2 KiB text, and a CRC-16 over all results.
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifndef __wasi__
#include <sys/wait.h>
#endif
#include <time.h>
#include <unistd.h>

static volatile uint32_t sink;

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

// ---- CRC-16 (CCITT, bitwise, as CoreMark) ------------------------------------

static uint16_t crc16_byte(uint8_t data, uint16_t crc)
{
	for (int i = 0; i < 8; i++) {
		int x16 = (data & 1) ^ (crc & 1);
		data >>= 1;
		if (x16)
			crc = (uint16_t)((crc ^ 0x4002) >> 1 | 0x8000);
		else
			crc >>= 1;
	}
	return crc;
}

static uint16_t crc16_u32(uint32_t v, uint16_t crc)
{
	for (int i = 0; i < 4; i++)
		crc = crc16_byte((uint8_t)(v >> (8 * i)), crc);
	return crc;
}

// ---- matrix --------------------------------------------------------------------

#define N 32
static int32_t ma[N][N], mb[N][N], mc[N][N];

static uint16_t matrix(uint32_t seed, uint16_t crc)
{
	for (int i = 0; i < N; i++)
		for (int j = 0; j < N; j++) {
			ma[i][j] = (int32_t)((seed + (uint32_t)(i * N + j)) % 97) - 48;
			mb[i][j] = (int32_t)((seed * 7 + (uint32_t)(j * N + i)) % 89) - 44;
		}
	for (int i = 0; i < N; i++)
		for (int j = 0; j < N; j++) {
			int32_t s = 0;
			for (int k = 0; k < N; k++)
				s += ma[i][k] * mb[k][j];
			mc[i][j] = s;
		}
	int32_t acc = 0;
	for (int i = 0; i < N; i++)
		for (int j = 0; j < N; j++)
			acc += mc[i][j] > 0 ? mc[i][j] >> 3 : -mc[i][j];
	return crc16_u32((uint32_t)acc, crc);
}

// ---- linked list merge sort --------------------------------------------------

#define NODES 512
struct node {
	struct node *next;
	int32_t value;
	int32_t idx;
};
static struct node pool[NODES];

typedef int (*cmp_fn)(const struct node *, const struct node *);

static int cmp_value(const struct node *a, const struct node *b)
{
	return a->value - b->value;
}

static int cmp_idx(const struct node *a, const struct node *b)
{
	return a->idx - b->idx;
}

// Bottom-up merge sort of a singly linked list (CoreMark's core_list_mergesort).
static struct node *list_sort(struct node *list, cmp_fn cmp)
{
	int insize = 1;
	for (;;) {
		struct node *p = list, *tail = NULL;
		list = NULL;
		int nmerges = 0;
		while (p) {
			nmerges++;
			struct node *q = p;
			int psize = 0;
			for (int i = 0; i < insize && q; i++) {
				psize++;
				q = q->next;
			}
			int qsize = insize;
			while (psize > 0 || (qsize > 0 && q)) {
				struct node *e;
				if (psize == 0) {
					e = q; q = q->next; qsize--;
				} else if (qsize == 0 || !q) {
					e = p; p = p->next; psize--;
				} else if (cmp(p, q) <= 0) {
					e = p; p = p->next; psize--;
				} else {
					e = q; q = q->next; qsize--;
				}
				if (tail)
					tail->next = e;
				else
					list = e;
				tail = e;
			}
			p = q;
		}
		tail->next = NULL;
		if (nmerges <= 1)
			return list;
		insize *= 2;
	}
}

static uint16_t list(uint32_t seed, uint16_t crc)
{
	uint32_t x = seed | 1;
	for (int i = 0; i < NODES; i++) {
		x = x * 1103515245u + 12345u;
		pool[i].value = (int32_t)(x >> 16 & 0x7fff);
		pool[i].idx = i;
		pool[i].next = i + 1 < NODES ? &pool[i + 1] : NULL;
	}
	struct node *l = list_sort(&pool[0], cmp_value);
	uint32_t acc = 0;
	int k = 0;
	for (struct node *p = l; p; p = p->next, k++)
		acc += (uint32_t)p->value * (uint32_t)(k & 15);
	l = list_sort(l, cmp_idx);
	for (struct node *p = l; p; p = p->next)
		acc ^= (uint32_t)p->idx;
	return crc16_u32(acc, crc);
}

// ---- state machine -------------------------------------------------------------

enum state { START, INT, S1, FLOAT, EXP, S2, SCI, INVALID, NSTATES };
#define TEXT 2048
static char text[TEXT];

static uint16_t states(uint32_t seed, uint16_t crc)
{
	static const char *tokens[] = {"5012", "1.234", "-874", "+122", "35.54e-4", "7.5e+12",
				       "T0.3e-1F", "-.5e3", "+1x", "86", "0.000", "--5"};
	size_t pos = 0;
	uint32_t k = seed;
	while (pos < TEXT - 16) {
		const char *t = tokens[k++ % (sizeof tokens / sizeof tokens[0])];
		size_t n = strlen(t);
		memcpy(text + pos, t, n);
		pos += n;
		text[pos++] = ',';
	}
	text[pos] = 0;
	uint32_t count[NSTATES] = {0};
	const char *p = text;
	while (*p) {
		enum state s = START;
		for (; *p && *p != ','; p++) {
			char c = *p;
			int digit = c >= '0' && c <= '9';
			switch (s) {
			case START:
				s = digit ? INT : (c == '+' || c == '-') ? S1 : c == '.' ? FLOAT : INVALID;
				break;
			case S1:
				s = digit ? INT : c == '.' ? FLOAT : INVALID;
				break;
			case INT:
				s = digit ? INT : c == '.' ? FLOAT : INVALID;
				break;
			case FLOAT:
				s = digit ? FLOAT : (c == 'e' || c == 'E') ? EXP : INVALID;
				break;
			case EXP:
				s = (c == '+' || c == '-') ? S2 : digit ? SCI : INVALID;
				break;
			case S2:
			case SCI:
				s = digit ? SCI : INVALID;
				break;
			default:
				break;
			}
		}
		count[s]++;
		if (*p)
			p++;
	}
	for (int i = 0; i < NSTATES; i++)
		crc = crc16_u32(count[i], crc);
	return crc;
}

static uint16_t iteration(uint32_t seed)
{
	uint16_t crc = 0;
	crc = matrix(seed, crc);
	crc = list(seed, crc);
	crc = states(seed, crc);
	return crc;
}

// ---- parallel mode: the reason this program can fork --------------------------

static int run_workers(int workers, long iters)
{
#ifdef __wasi__
	(void)workers;
	(void)iters;
	fprintf(stderr, "compute: -j needs fork, which WASI does not have\n");
	return 1;
#else
	int p[2];
	if (pipe(p) != 0) {
		perror("compute: pipe");
		return 1;
	}
	for (int w = 0; w < workers; w++) {
		pid_t pid = fork();
		if (pid < 0) {
			perror("compute: fork");
			return 1;
		}
		if (pid == 0) {
			uint32_t crc = 0;
			for (long i = 0; i < iters; i++)
				crc += iteration((uint32_t)(w * iters + i));
			if (write(p[1], &crc, sizeof crc) != sizeof crc)
				_exit(1);
			_exit(0);
		}
	}
	close(p[1]);
	uint32_t total = 0, crc;
	int got = 0, status, bad = 0;
	while (read(p[0], &crc, sizeof crc) == sizeof crc) {
		total += crc;
		got++;
	}
	while (wait(&status) > 0)
		bad |= !WIFEXITED(status) || WEXITSTATUS(status) != 0;
	if (got != workers || bad) {
		fprintf(stderr, "compute: a worker failed\n");
		return 1;
	}
	printf("checksum %u\n", total);
	return 0;
#endif
}

#ifdef WITH_HANDLER
#include <signal.h>
static volatile sig_atomic_t usr1_seen;
static void on_usr1(int sig) { usr1_seen = sig; }
#endif

int main(int argc, char **argv)
{
#ifdef WITH_HANDLER
	// -DWITH_HANDLER (run.py's poll_point_cost_handlers): a program that
	// can install a signal handler, and does.
	signal(SIGUSR1, on_usr1);
#endif
	long ms = 60, reps = 5, iters = 1000;
	int workers = 0, opt;
	while ((opt = getopt(argc, argv, "t:r:j:n:")) != -1) {
		switch (opt) {
		case 't': ms = atol(optarg); break;
		case 'r': reps = atol(optarg); break;
		case 'j': workers = atoi(optarg); break;
		case 'n': iters = atol(optarg); break;
		default:
			fprintf(stderr, "usage: compute [-t MS] [-r REPS] | compute -j WORKERS [-n ITERS]\n");
			return 2;
		}
	}
	if (ms < 1 || reps < 1 || iters < 1) {
		fprintf(stderr, "compute: -t, -r and -n must be positive\n");
		return 2;
	}
	if (workers > 0)
		return run_workers(workers, iters);

	// Calibrate to ~ms per repetition, then keep the fastest repetition.
	uint32_t seed = 1;
	long n = 1;
	for (;;) {
		uint64_t t0 = now_ns();
		for (long i = 0; i < n; i++)
			sink += iteration(seed++);
		uint64_t dt = now_ns() - t0;
		if (dt >= 5000000) {
			n = (long)((double)n * (double)ms * 1e6 / (double)dt);
			if (n < 1)
				n = 1;
			break;
		}
		n *= dt < 500000 ? 10 : 2;
	}
	double best = -1;
	for (long r = 0; r < reps; r++) {
		uint64_t t0 = now_ns();
		for (long i = 0; i < n; i++)
			sink += iteration(seed++);
		double per = (double)(now_ns() - t0) / (double)n;
		if (best < 0 || per < best)
			best = per;
	}
	printf("coremark_iter %.2f\n", best);
	return 0;
}
