// system() and popen() run `/bin/sh -c`: the exit status comes back, the
// caller's SIGINT handler and signal mask are as before afterwards, a
// command's output is read through popen. (Under lind the cage root has no
// shell: the test copies itself to /bin/sh and, run as sh, does `exit N`
// and `echo WORD` as a shell would.)
// SELF: self
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int fake_shell(const char *cmd)
{
    if (strncmp(cmd, "exit ", 5) == 0)
        return atoi(cmd + 5);
    if (strncmp(cmd, "echo ", 5) == 0) {
        printf("%s\n", cmd + 5);
        return 0;
    }
    return 127;
}

static void copy_self_to_bin_sh(void)
{
    mkdir("bin", 0755);
    int in = open("self", O_RDONLY), out = open("bin/sh", O_WRONLY | O_CREAT | O_TRUNC, 0755);
    char buf[65536];
    ssize_t n;
    while (in >= 0 && out >= 0 && (n = read(in, buf, sizeof buf)) > 0)
        if (write(out, buf, n) != n)
            break;
    close(in);
    close(out);
}

static void on_int(int sig) { (void)sig; }

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "-c") == 0)
        return fake_shell(argv[2]);
    copy_self_to_bin_sh();

    printf("system(NULL) says a shell exists: %d\n", system(NULL) != 0);
    int st = system("exit 3");
    printf("exit 3: exited %d status %d\n", WIFEXITED(st), WEXITSTATUS(st));
    st = system("exit 0");
    printf("exit 0: exited %d status %d\n", WIFEXITED(st), WEXITSTATUS(st));

    struct sigaction sa = {.sa_handler = on_int}, now;
    sigaction(SIGINT, &sa, NULL);
    sigset_t usr1, mask;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigprocmask(SIG_BLOCK, &usr1, NULL);
    fflush(stdout);
    st = system("exit 5");
    sigaction(SIGINT, NULL, &now);
    sigprocmask(SIG_BLOCK, NULL, &mask);
    printf("after system: status %d, SIGINT handler kept %d, SIGUSR1 still blocked %d, SIGCHLD blocked %d\n",
           WEXITSTATUS(st), now.sa_handler == on_int, sigismember(&mask, SIGUSR1),
           sigismember(&mask, SIGCHLD));

    FILE *p = popen("echo hello", "r");
    char line[64] = {0};
    if (p && fgets(line, sizeof line, p))
        printf("popen read: %s", line);
    st = p ? pclose(p) : -1;
    printf("pclose: exited %d status %d\n", WIFEXITED(st), WEXITSTATUS(st));
    return 0;
}
