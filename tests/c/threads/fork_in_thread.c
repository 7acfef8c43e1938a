// fork from a thread other than the main one: the child holds only the calling thread, with its signal mask and TLS, and can make threads of its own.
// CFLAGS: -pthread
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static __thread int tls_value = 1;
static int shared_counter = 10;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static int exit_code(int status)
{
	if (WIFEXITED(status)) return WEXITSTATUS(status);
	return 100 + WTERMSIG(status);
}

static void *forker(void *arg)
{
	(void)arg;
	tls_value = 42;
	sigset_t block;
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &block, NULL);
	pthread_mutex_lock(&lock);
	shared_counter++;
	pthread_mutex_unlock(&lock);
	pid_t pid = fork();
	if (pid == 0) {
		/* The child: this thread alone, with its TLS and its mask. */
		sigset_t now;
		sigprocmask(SIG_BLOCK, NULL, &now);
		int blocked = sigismember(&now, SIGUSR1);
		/* The mutex the parent's other threads may use is usable here. */
		pthread_mutex_lock(&lock);
		shared_counter += 100;
		int c = shared_counter;
		pthread_mutex_unlock(&lock);
		printf("child: tls %d, usr1 blocked %d, counter %d\n", tls_value, blocked, c);
		fflush(stdout);
		/* A thread made in the child works too. */
		_exit(tls_value == 42 && blocked == 1 && c == 111 ? 7 : 1);
	}
	int status = 0;
	waitpid(pid, &status, 0);
	printf("thread: child exit %d, counter %d, tls %d\n", exit_code(status), shared_counter, tls_value);
	return (void *)(long)exit_code(status);
}


static void *worker(void *arg)
{
	(void)arg;
	return (void *)5;
}

static void *nested(void *arg)
{
	(void)arg;
	pid_t pid = fork();
	if (pid == 0) {
		pthread_t t;
		void *r = NULL;
		if (pthread_create(&t, NULL, worker, NULL) != 0) _exit(2);
		pthread_join(t, &r);
		_exit((int)(long)r);
	}
	int status = 0;
	waitpid(pid, &status, 0);
	return (void *)(long)exit_code(status);
}

int main(void)
{
	pthread_t t;
	void *r;
	pthread_create(&t, NULL, forker, NULL);
	pthread_join(t, &r);
	printf("main: forker returned %ld, tls %d\n", (long)r, tls_value);

	pthread_create(&t, NULL, nested, NULL);
	pthread_join(t, &r);
	printf("main: nested child exit %ld\n", (long)r);

	return 0;
}
