// POSIX timers with SIGEV_THREAD: the notification function runs in a new thread, once per expiry.
// CFLAGS: -pthread
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int fired;
static int value_seen;
static int other_thread;
static pthread_t main_thread;

static void notify(union sigval v)
{
	pthread_mutex_lock(&lock);
	fired++;
	value_seen = v.sival_int;
	other_thread = !pthread_equal(pthread_self(), main_thread);
	pthread_cond_signal(&cond);
	pthread_mutex_unlock(&lock);
}

int main(void)
{
	main_thread = pthread_self();
	struct sigevent sev;
	memset(&sev, 0, sizeof sev);
	sev.sigev_notify = SIGEV_THREAD;
	sev.sigev_notify_function = notify;
	sev.sigev_value.sival_int = 1234;
	timer_t t;
	if (timer_create(CLOCK_MONOTONIC, &sev, &t) != 0) {
		printf("timer_create failed\n");
		return 1;
	}
	struct itimerspec its;
	memset(&its, 0, sizeof its);
	its.it_value.tv_nsec = 10 * 1000 * 1000;
	its.it_interval.tv_nsec = 10 * 1000 * 1000;
	timer_settime(t, 0, &its, NULL);
	pthread_mutex_lock(&lock);
	while (fired < 3) pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
	memset(&its, 0, sizeof its);
	timer_settime(t, 0, &its, NULL);
	printf("fired at least 3 times: %d, value %d, in another thread %d\n", fired >= 3, value_seen, other_thread);
	printf("delete: %d\n", timer_delete(t));
	return 0;
}
