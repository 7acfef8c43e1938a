// printf integer formatting: widths, flags, int64 limits, PRI macros, %zu/%jd, %n, snprintf truncation.
#include <inttypes.h>
#include <stdint.h>
#include <stddef.h>
#include <stdio.h>

int main(void)
{
    printf("[%d] [%5d] [%-5d] [%05d] [%+d] [% d]\n", 42, 42, 42, 42, 42, 42);
    printf("[%x] [%X] [%#x] [%o] [%#o] [%u]\n", 255u, 255u, 255u, 8u, 8u, 4000000000u);
    printf("[%*d] [%-*d] [%.3d] [%hhd] [%hd]\n", 6, 7, 6, 7, 5, (signed char)200, (short)70000);
    printf("int64 min=%" PRId64 " max=%" PRId64 "\n", INT64_MIN, INT64_MAX);
    printf("uint64 max=%" PRIu64 " hex=%" PRIx64 "\n", UINT64_MAX, UINT64_MAX);
    printf("ll=%lld ull=%llu\n", -1234567890123LL, 18446744073709551615ULL);
    printf("int32 min=%" PRId32 " max=%" PRId32 "\n", INT32_MIN, INT32_MAX);
    printf("zu=%zu jd=%jd td=%td\n", (size_t)12345, (intmax_t)-77, (ptrdiff_t)-3);
    printf("char=[%c] str=[%s] prec=[%.3s] width=[%6s] left=[%-6s]\n", 'A', "text", "abcdef", "ab", "ab");
    printf("percent=[%%]\n");
    int n = 0;
    printf("count%n\n", &n);
    printf("n=%d\n", n);
    char buf[8];
    int r = snprintf(buf, sizeof buf, "%s", "0123456789");
    printf("snprintf ret=%d buf=[%s]\n", r, buf);
    r = snprintf(NULL, 0, "%d-%d", 123, 4567);
    printf("snprintf(NULL,0) ret=%d\n", r);
    return 0;
}
