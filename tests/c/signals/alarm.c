// alarm() interrupts a loop that makes no syscalls and runs its handler; setitimer's interval re-fires; an unhandled SIGALRM kills (exit 142).
// EXIT: 142
// TIMEOUT: 20
#include <stdio.h>
#include <signal.h>
#include <unistd.h>
#include <sys/time.h>
static volatile sig_atomic_t fired, ticks;
static void on_alarm(int s) { fired = 1; }
static void on_tick(int s) { ticks++; }
int main(void) {
    signal(SIGALRM, on_alarm);
    alarm(1);
    unsigned left = alarm(1);
    printf("alarm left: %u\n", left); fflush(stdout);
    volatile unsigned long spins = 0;
    while (!fired) spins++;          /* no syscalls: asynchronous delivery */
    printf("alarm fired during a busy loop: %d\n", fired); fflush(stdout);
    signal(SIGALRM, on_tick);
    struct itimerval it = {{0, 20000}, {0, 20000}};
    setitimer(ITIMER_REAL, &it, 0);
    while (ticks < 5) pause();
    struct itimerval off = {0}; setitimer(ITIMER_REAL, &off, 0);
    printf("interval timer ticked %d times\n", ticks >= 5); fflush(stdout);
    signal(SIGALRM, SIG_DFL);
    alarm(1);
    pause();
    printf("not reached\n");
    return 0;
}
