// MAP_SHARED memory (anonymous and a file mapping) stays shared with a child forked while another thread of the parent runs; MAP_PRIVATE memory stays private.
// CFLAGS: -pthread
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile int stop;

static void *busy(void *arg)
{
	(void)arg;
	while (!stop) usleep(1000);
	return NULL;
}

int main(void)
{
	int *anon = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int *priv = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int fd = open("shared.bin", O_RDWR | O_CREAT | O_TRUNC, 0600);
	ftruncate(fd, 4096);
	int *file = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (anon == MAP_FAILED || priv == MAP_FAILED || file == MAP_FAILED) {
		printf("mmap failed\n");
		return 1;
	}
	anon[0] = 1;
	priv[0] = 1;
	file[0] = 1;
	pthread_t t;
	pthread_create(&t, NULL, busy, NULL);
	pid_t pid = fork();
	if (pid == 0) {
		anon[0] = 2;
		priv[0] = 2;
		file[0] = 2;
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	stop = 1;
	pthread_join(t, NULL);
	int from_read = 0;
	pread(fd, &from_read, sizeof from_read, 0);
	printf("anonymous shared: %d, private: %d, file shared: %d, file by read(): %d\n", anon[0], priv[0], file[0], from_read);
	return 0;
}
