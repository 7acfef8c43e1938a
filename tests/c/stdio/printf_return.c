// printf/fprintf/puts return values, dprintf to fd 1, and vsnprintf via a varargs wrapper.
#include <stdarg.h>
#include <stdio.h>

static int wrap(char *b, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = vsnprintf(b, n, fmt, ap);
    va_end(ap);
    return r;
}

int main(void)
{
    int r1 = printf("twelve chars");
    int r2 = printf("\n");
    int r3 = puts("puts");
    printf("printf returned %d and %d, puts nonneg=%d\n", r1, r2, r3 >= 0);
    fflush(stdout);
    int r4 = dprintf(1, "dprintf to fd %d\n", 1);
    printf("dprintf returned %d\n", r4);
    char b[10];
    int r5 = wrap(b, sizeof b, "%s-%d-%.2f", "abc", 12345, 2.5);
    printf("vsnprintf returned %d buf=[%s]\n", r5, b);
    printf("printf(\"\") returned %d\n", printf("%s", ""));
    return 0;
}
