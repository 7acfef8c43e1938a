// nanosleep and clock_nanosleep interrupted by a signal handler: EINTR and, for a relative
// sleep, the time left written to rem (about 2 s of 3); an absolute sleep leaves rem alone;
// a NULL rem is allowed; an uninterrupted sleep returns 0.
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void on_alarm(int sig) { (void)sig; }

static int about(const struct timespec *t, double want)
{
	double got = t->tv_sec + t->tv_nsec / 1e9;
	return got > want - 0.5 && got < want + 0.5;
}

int main(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);

	struct timespec req = {3, 0}, rem = {-1, -1};
	alarm(1);
	int r = nanosleep(&req, &rem);
	int e = errno;
	printf("nanosleep %d eintr %d rem about 2 s %d\n", r, e == EINTR, about(&rem, 2));

	rem.tv_sec = rem.tv_nsec = -1;
	alarm(1);
	r = clock_nanosleep(CLOCK_MONOTONIC, 0, &req, &rem);
	printf("clock_nanosleep relative %s rem about 2 s %d\n", r == EINTR ? "EINTR" : "?",
	       about(&rem, 2));

	struct timespec now, until;
	clock_gettime(CLOCK_MONOTONIC, &now);
	until = now;
	until.tv_sec += 3;
	rem.tv_sec = rem.tv_nsec = -1;
	alarm(1);
	r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, &rem);
	printf("clock_nanosleep absolute %s rem untouched %d\n", r == EINTR ? "EINTR" : "?",
	       rem.tv_sec == -1 && rem.tv_nsec == -1);

	alarm(1);
	r = nanosleep(&req, NULL);
	e = errno;
	printf("nanosleep without rem %d eintr %d\n", r, e == EINTR);

	struct timespec short_req = {0, 20 * 1000 * 1000};
	rem.tv_sec = rem.tv_nsec = -1;
	r = nanosleep(&short_req, &rem);
	printf("uninterrupted %d\n", r);
	return 0;
}
