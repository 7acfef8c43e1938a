// atexit handlers run in reverse registration order, after main returns, before stdout is flushed.
#include <stdio.h>
#include <stdlib.h>

static void a(void) { printf("handler a (registered first)\n"); }
static void b(void) { printf("handler b\n"); }
static void c(void)
{
    printf("handler c (registered last)\n");
}

int main(void)
{
    printf("atexit a=%d\n", atexit(a));
    printf("atexit b=%d\n", atexit(b));
    printf("atexit c=%d\n", atexit(c));
    printf("main returning 0\n");
    return 0;
}
