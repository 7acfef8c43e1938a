// A process that computes without system calls and installs no signal
// handler (lind compiles it without epoch checks) is still stopped,
// continued and killed by other processes: SIGSTOP holds its progress
// (a counter in shared memory) until SIGCONT, SIGKILL and SIGTERM end it,
// also in a loop that touches no memory, and exit() from one thread ends
// a sibling that computes.
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile unsigned long *counter;

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static void report(const char *what, int st)
{
    if (WIFEXITED(st))
        printf("%s: exited %d\n", what, WEXITSTATUS(st));
    else if (WIFSIGNALED(st))
        printf("%s: killed by signal %d\n", what, WTERMSIG(st));
    else if (WIFSTOPPED(st))
        printf("%s: stopped by signal %d\n", what, WSTOPSIG(st));
    else if (WIFCONTINUED(st))
        printf("%s: continued\n", what);
}

static pid_t spinner(int in_registers)
{
    pid_t pid = fork();
    if (pid == 0) {
        if (in_registers) {
            unsigned x = (unsigned)getpid();
            for (;;) {
                x = x * 1103515245u + 12345u;
                if (x == 7u && in_registers == 99)
                    break;
            }
            _exit((int)x);
        }
        for (;;)
            ++*counter;
    }
    return pid;
}

static void *compute(void *arg)
{
    (void)arg;
    for (;;)
        ++*counter;
    return NULL;
}

int main(void)
{
    counter = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (counter == MAP_FAILED)
        return 1;
    int st;

    // Stop, continue, kill a memory-touching loop.
    pid_t pid = spinner(0);
    while (*counter < 1000)
        sleep_ms(1);
    kill(pid, SIGSTOP);
    waitpid(pid, &st, WUNTRACED);
    report("after SIGSTOP", st);
    unsigned long held = *counter;
    sleep_ms(50);
    printf("no progress while stopped: %d\n", *counter == held);
    kill(pid, SIGCONT);
    waitpid(pid, &st, WCONTINUED);
    report("after SIGCONT", st);
    while (*counter == held)
        sleep_ms(1);
    printf("progress after SIGCONT: 1\n");
    kill(pid, SIGKILL);
    waitpid(pid, &st, 0);
    report("after SIGKILL", st);

    // A loop in registers only, ended by SIGTERM's default action.
    pid = spinner(1);
    sleep_ms(30);
    kill(pid, SIGTERM);
    waitpid(pid, &st, 0);
    report("register loop after SIGTERM", st);

    // A stopped loop still dies of SIGKILL.
    *counter = 0;
    pid = spinner(0);
    while (*counter < 1000)
        sleep_ms(1);
    kill(pid, SIGSTOP);
    waitpid(pid, &st, WUNTRACED);
    kill(pid, SIGKILL);
    waitpid(pid, &st, 0);
    report("stopped, then SIGKILL", st);

    // exit() in one thread ends the process while another computes.
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        pthread_t t;
        *counter = 0;
        pthread_create(&t, NULL, compute, NULL);
        while (*counter < 1000)
            sleep_ms(1);
        exit(5);
    }
    waitpid(pid, &st, 0);
    report("exit() beside a computing thread", st);
    return 0;
}
