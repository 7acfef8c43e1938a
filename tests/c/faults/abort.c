// abort() dies with SIGABRT (status 128+6); atexit handlers do not run.
// EXIT: 134
#include <stdio.h>
#include <stdlib.h>

static void handler(void) { printf("atexit ran (wrong)\n"); }

int main(void)
{
    atexit(handler);
    printf("before abort\n");
    fflush(stdout);
    abort();
}
