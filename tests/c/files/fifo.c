// Named pipes: mkfifo/mknod, stat and readdir of the node, open rules (ENXIO, blocking
// rendezvous, EINTR), data between processes, EOF/POLLHUP, EPIPE, unlink while open, and
// bytes that go with the last close; on the root mount and in /tmp.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../common/errname.h"

static void on_alarm(int sig) { (void)sig; }

static int dtype_of(const char *dir, const char *name)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int t = -1;
	while (d && (e = readdir(d)))
		if (!strcmp(e->d_name, name))
			t = e->d_type;
	if (d)
		closedir(d);
	return t;
}

static void run(const char *dir)
{
	char path[256], other[256];
	snprintf(path, sizeof path, "%s/fifo-test-%d", dir, (int)getpid());
	snprintf(other, sizeof other, "%s/fifo-node-%d", dir, (int)getpid());
	printf("-- %s\n", dir[0] == '/' ? "/tmp" : "cwd");

	SHOW("mkfifo", mkfifo(path, 0666));
	SHOW("mkfifo again", mkfifo(path, 0666));
	struct stat st, fst;
	SHOW("stat", stat(path, &st));
	printf("fifo %d perm %o size %lld\n", S_ISFIFO(st.st_mode), st.st_mode & 07777,
	       (long long)st.st_size);
	printf("d_type fifo %d\n", dtype_of(dir, strrchr(path, '/') + 1) == DT_FIFO);
	SHOW("truncate", truncate(path, 0));

	// Non-blocking opens: a writer needs a reader; a reader needs nobody.
	SHOW("open wronly nonblock, no reader", open(path, O_WRONLY | O_NONBLOCK));
	int r = open(path, O_RDONLY | O_NONBLOCK);
	printf("reader %d\n", r >= 0);
	char buf[64];
	SHOW("read, no writer yet", read(r, buf, sizeof buf));
	struct pollfd p = {.fd = r, .events = POLLIN};
	int ready = poll(&p, 1, 0);
	printf("poll before any writer %d revents %x\n", ready, p.revents);
	int w = open(path, O_WRONLY | O_NONBLOCK);
	printf("writer %d\n", w >= 0);
	SHOW("fstat", fstat(w, &fst));
	printf("fstat fifo %d same inode %d\n", S_ISFIFO(fst.st_mode), fst.st_ino == st.st_ino);
	SHOW("write", write(w, "hello", 5));
	SHOW("read", read(r, buf, sizeof buf));
	SHOW("read empty", read(r, buf, sizeof buf));
	close(w);
	p.revents = 0;
	ready = poll(&p, 1, 0);
	printf("poll after the writer left %d revents %x\n", ready, p.revents);
	SHOW("read at eof", read(r, buf, sizeof buf));
	close(r);

	// Blocking opens meet; bytes flow from child to parent until EOF.
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open(path, O_WRONLY);
		if (fd < 0)
			_exit(1);
		for (int i = 0; i < 100; i++) {
			char line[32];
			int n = snprintf(line, sizeof line, "line %d\n", i);
			if (write(fd, line, n) != n)
				_exit(2);
		}
		_exit(0);
	}
	r = open(path, O_RDONLY);
	long total = 0, n;
	while ((n = read(r, buf, sizeof buf)) > 0)
		total += n;
	int status;
	waitpid(pid, &status, 0);
	printf("child status %d, read %ld bytes, last read %ld\n", WEXITSTATUS(status), total, n);
	close(r);

	// A writer that opens first waits for the reader too.
	pid = fork();
	if (pid == 0) {
		int fd = open(path, O_RDONLY);
		char c[8];
		_exit(fd >= 0 && read(fd, c, sizeof c) == 3 ? 0 : 1);
	}
	w = open(path, O_WRONLY);
	SHOW("write to the child", write(w, "abc", 3));
	waitpid(pid, &status, 0);
	printf("child status %d\n", WEXITSTATUS(status));
	// The reader is gone: EPIPE (SIGPIPE ignored).
	signal(SIGPIPE, SIG_IGN);
	SHOW("write without reader", write(w, "x", 1));
	close(w);

	// A blocking open with nobody coming ends with a signal.
	struct sigaction sa = {0};
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	alarm(1);
	SHOW("open rdonly interrupted", open(path, O_RDONLY));
	alarm(0);

	// O_RDWR never waits; unread bytes go with the last close.
	int rw = open(path, O_RDWR);
	SHOW("write rdwr", write(rw, "lost", 4));
	close(rw);
	rw = open(path, O_RDWR | O_NONBLOCK);
	SHOW("read after reopen", read(rw, buf, sizeof buf));
	// Unlinked while open, the pipe still works.
	SHOW("unlink", unlink(path));
	SHOW("write after unlink", write(rw, "still", 5));
	SHOW("read after unlink", read(rw, buf, sizeof buf));
	close(rw);

	// mknod: a FIFO, a regular file; no directories.
	SHOW("mknod fifo", mknod(other, S_IFIFO | 0600, 0));
	SHOW("stat", stat(other, &st));
	printf("fifo %d perm %o\n", S_ISFIFO(st.st_mode), st.st_mode & 07777);
	SHOW("unlink", unlink(other));
	SHOW("mknod regular", mknod(other, S_IFREG | 0600, 0));
	SHOW("stat", stat(other, &st));
	printf("regular %d perm %o\n", S_ISREG(st.st_mode), st.st_mode & 07777);
	SHOW("unlink", unlink(other));
	SHOW("mknod dir", mknod(other, S_IFDIR | 0700, 0));
	SHOW("mkfifo in a missing dir", mkfifo("no-such-dir/f", 0600));
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	umask(022);
	run(".");
	run("/tmp");
	return 0;
}
