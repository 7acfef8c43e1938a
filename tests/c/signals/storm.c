// 10k signals to a child: with a handshake after each, every one arrives
// (no loss, no deadlock); in a burst, standard signals coalesce but at
// least one arrives and a final different signal is not lost.
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#define ROUNDS 10000

static volatile sig_atomic_t count, done;
static int ack_fd;

static void on_usr1(int sig)
{
    (void)sig;
    count++;
    if (ack_fd >= 0)
        write(ack_fd, "a", 1);
}

static void on_usr2(int sig)
{
    (void)sig;
    done = 1;
}

int main(void)
{
    int ack[2], report[2];
    pipe(ack);
    pipe(report);
    sigset_t usr2;
    sigemptyset(&usr2);
    sigaddset(&usr2, SIGUSR2);
    sigprocmask(SIG_BLOCK, &usr2, 0);
    signal(SIGUSR1, on_usr1);
    signal(SIGUSR2, on_usr2);
    // Set before the fork: the first signal may beat the child's first step.
    ack_fd = ack[1];
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        sigset_t none;
        sigemptyset(&none);
        // Phase 1: one acknowledged signal at a time.
        while (!done)
            sigsuspend(&none);
        int first = count;
        // Phase 2: a burst without acknowledgement.
        ack_fd = -1;
        count = 0;
        done = 0;
        write(ack[1], "r", 1);
        while (!done)
            sigsuspend(&none);
        int counts[2] = {first, count};
        write(report[1], counts, sizeof counts);
        _exit(0);
    }
    char c;
    for (int i = 0; i < ROUNDS; i++) {
        kill(pid, SIGUSR1);
        if (read(ack[0], &c, 1) != 1)
            return 1;
    }
    kill(pid, SIGUSR2);
    read(ack[0], &c, 1); // the child is ready for the burst
    for (int i = 0; i < ROUNDS; i++)
        kill(pid, SIGUSR1);
    kill(pid, SIGUSR2);
    int counts[2];
    read(report[0], counts, sizeof counts);
    int status;
    waitpid(pid, &status, 0);
    printf("acknowledged: %d of %d arrived\n", counts[0], ROUNDS);
    printf("burst: some arrived %d, none invented %d\n", counts[1] >= 1, counts[1] <= ROUNDS);
    printf("child exited cleanly: %d\n", WIFEXITED(status) && WEXITSTATUS(status) == 0);
    return 0;
}
