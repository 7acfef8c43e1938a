// strtol/strtoll/strtoull/strtod edge cases: bases, prefixes, overflow (ERANGE), end pointers.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

static void tl(const char *s, int base)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, base);
    printf("strtol(\"%s\",%d) = %ld end=%td errno=%s\n", s, base, v, end - s, errno == ERANGE ? "ERANGE" : "-");
}

static void tll(const char *s, int base)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, base);
    printf("strtoll(\"%s\",%d) = %lld end=%td errno=%s\n", s, base, v, end - s, errno == ERANGE ? "ERANGE" : "-");
}

static void tull(const char *s, int base)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, base);
    printf("strtoull(\"%s\",%d) = %llu end=%td errno=%s\n", s, base, v, end - s, errno == ERANGE ? "ERANGE" : "-");
}

static void td(const char *s)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    printf("strtod(\"%s\") = %.17g end=%td errno=%s\n", s, v, end - s, errno == ERANGE ? "ERANGE" : "-");
}

int main(void)
{
    tl("123", 10);
    tl("  -42xyz", 10);
    tl("0x1f", 0);
    tl("0x1f", 16);
    tl("077", 0);
    tl("z", 36);
    tl("101", 2);
    tl("", 10);
    tl("abc", 10);
    tl("+7", 10);
    tl("2147483647", 10);
    tll("9223372036854775807", 10);
    tll("9223372036854775808", 10);
    tll("-9223372036854775808", 10);
    tll("-9223372036854775809", 10);
    tll("99999999999999999999999", 0);
    tull("18446744073709551615", 10);
    tull("18446744073709551616", 10);
    tull("-1", 10);
    tull("0xFFFFFFFFFFFFFFFF", 16);
    td("3.25");
    td("  -12.5abc");
    td("1e308");
    td("1e400");
    td("-1e400");
    td("1e-400");
    td("0x1p-3");
    td("0x1.8p1");
    td("inf");
    td("-Infinity");
    td(".5");
    td("5.");
    td("e5");
    td("0.1");
    td("2.2250738585072014e-308");
    printf("atoi=%d atol=%ld atoll=%lld atof=%g\n", atoi(" 17 apples"), atol("-5"), atoll("123456789012"), atof("2.5e3"));
    return 0;
}
