// __thread variables: initialised values, zero-initialised ones, writes and their addresses' stability.
#include <stdio.h>
#include <string.h>

static __thread int counter = 41;
static __thread long long big = 0x1122334455667788LL;
static __thread char name[16] = "tls";
static __thread int zeroed[100];

static int *counter_addr(void) { return &counter; }

int main(void)
{
    printf("counter=%d big=%llx name=%s\n", counter, big, name);
    int sum = 0;
    for (int i = 0; i < 100; i++)
        sum += zeroed[i];
    printf("zeroed sum=%d\n", sum);
    counter++;
    big += 1;
    strcat(name, "-ok");
    for (int i = 0; i < 100; i++)
        zeroed[i] = i;
    sum = 0;
    for (int i = 0; i < 100; i++)
        sum += zeroed[i];
    printf("counter=%d big=%llx name=%s sum=%d\n", counter, big, name, sum);
    printf("address stable: %d\n", counter_addr() == &counter);
    *counter_addr() = 7;
    printf("counter via pointer=%d\n", counter);
    return 0;
}
