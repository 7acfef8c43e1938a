// _exit(5) skips atexit handlers and stdio flushing; only explicitly flushed output appears.
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void handler(void) { printf("atexit handler ran (wrong)\n"); }

int main(void)
{
    atexit(handler);
    printf("flushed line\n");
    fflush(stdout);
    printf("unflushed line (must not appear)\n");
    _exit(5);
}
