// fexecve (execveat with AT_EMPTY_PATH): the open file runs, with its arguments and
// environment, also when the descriptor is close-on-exec; a script opened without
// O_CLOEXEC reaches its interpreter as /dev/fd/N; a file without execute permission is
// EACCES; execveat with AT_SYMLINK_NOFOLLOW on a symlink is ELOOP.
// SELF: self
#include "../common/errname.h"
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int run_child(int fd, char **args, char **env)
{
	pid_t pid = fork();
	if (pid == 0) {
		fexecve(fd, args, env);
		_exit(100 + errno);
	}
	int status;
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc > 2 && strcmp(argv[1], "child") == 0) {
		printf("child: %s, GREETING=%s\n", argv[2], getenv("GREETING") ? getenv("GREETING") : "-");
		return 5;
	}
	if (argc > 2 && strncmp(argv[1], "/dev/fd/", 8) == 0) {
		printf("interpreter got the script as /dev/fd/N, then %s\n", argv[2]);
		return 6;
	}
	char *env[] = {"GREETING=hi", NULL};
	char *args[] = {"self", "child", "from fexecve", NULL};
	int fd = open("./self", O_RDONLY | O_CLOEXEC);
	printf("status %d\n", run_child(fd, args, env));
	close(fd);

	int script = open("script", O_WRONLY | O_CREAT | O_TRUNC, 0755);
	write(script, "#!./self\n", 9);
	close(script);
	script = open("script", O_RDONLY);
	char *sargs[] = {"script", "its-argument", NULL};
	printf("script status %d\n", run_child(script, sargs, env));
	close(script);

	int plain = open("plain", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	write(plain, "data\n", 5);
	close(plain);
	plain = open("plain", O_RDONLY);
	printf("not executable: status %d (100 + EACCES = %d)\n", run_child(plain, args, env),
	       100 + EACCES);

	symlink("self", "link");
	SHOW("execveat NOFOLLOW on a symlink",
	     syscall(SYS_execveat, AT_FDCWD, "link", args, env, AT_SYMLINK_NOFOLLOW));
	SHOW("execveat bad flags", syscall(SYS_execveat, AT_FDCWD, "self", args, env, 0x4));
	return 0;
}
