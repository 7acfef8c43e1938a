// __attribute__((constructor/destructor)) with priorities run before/after main in order.
#include <stdio.h>

static int order[8];
static int n;

__attribute__((constructor(201))) static void ctor_201(void) { order[n++] = 201; }
__attribute__((constructor(101))) static void ctor_101(void) { order[n++] = 101; }
__attribute__((constructor)) static void ctor_default(void) { order[n++] = 65535; }

__attribute__((destructor)) static void dtor(void)
{
    printf("destructor ran\n");
    fflush(stdout);
}

int main(void)
{
    printf("constructors ran: %d\n", n);
    for (int i = 0; i < n; i++)
        printf("  %d\n", order[i]);
    return 0;
}
