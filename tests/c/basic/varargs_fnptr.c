// Variadic functions, function pointer tables with exact types, struct passing/return by value, and recursion.
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct big { long long a; double b; char s[24]; };

static struct big make(long long a, double b, const char *s)
{
    struct big r;
    r.a = a;
    r.b = b;
    strncpy(r.s, s, sizeof r.s - 1);
    r.s[sizeof r.s - 1] = 0;
    return r;
}

static double sum(int n, ...)
{
    va_list ap;
    va_start(ap, n);
    double t = 0;
    for (int i = 0; i < n; i++) {
        int kind = va_arg(ap, int);
        if (kind == 0)
            t += va_arg(ap, int);
        else if (kind == 1)
            t += va_arg(ap, double);
        else
            t += (double)va_arg(ap, long long);
    }
    va_end(ap);
    return t;
}

static int add(int a, int b) { return a + b; }
static int sub(int a, int b) { return a - b; }
static int mul(int a, int b) { return a * b; }

static long long fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

int main(void)
{
    struct big b = make(1LL << 40, 2.5, "struct by value");
    printf("%lld %g %s\n", b.a, b.b, b.s);
    printf("sum=%g\n", sum(4, 0, 7, 1, 0.25, 2, 1LL << 33, 0, -3));
    int (*ops[])(int, int) = {add, sub, mul};
    const char *names[] = {"add", "sub", "mul"};
    for (int i = 0; i < 3; i++)
        printf("%s(7,3)=%d\n", names[i], ops[i](7, 3));
    printf("fib(27)=%lld\n", fib(27));
    return 0;
}
