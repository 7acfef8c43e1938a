// setlocale("C") and localeconv in the C locale; ctype behaves as in the C locale.
#include <ctype.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
    const char *l = setlocale(LC_ALL, "C");
    printf("setlocale(LC_ALL,\"C\") = %s\n", l ? l : "(null)");
    l = setlocale(LC_ALL, NULL);
    printf("setlocale(LC_ALL,NULL) = %s\n", l ? l : "(null)");
    l = setlocale(LC_NUMERIC, "POSIX");
    printf("setlocale(LC_NUMERIC,\"POSIX\") ok=%d\n", l != NULL);
    struct lconv *lc = localeconv();
    printf("decimal_point=\"%s\" thousands_sep=\"%s\"\n", lc->decimal_point, lc->thousands_sep);
    printf("printf 1234.5 -> %.1f\n", 1234.5);
    int alpha = 0, digit = 0, space = 0, upper = 0, punct = 0;
    for (int c = 0; c < 128; c++) {
        alpha += !!isalpha(c);
        digit += !!isdigit(c);
        space += !!isspace(c);
        upper += !!isupper(c);
        punct += !!ispunct(c);
    }
    printf("ascii classes: alpha=%d digit=%d space=%d upper=%d punct=%d\n", alpha, digit, space, upper, punct);
    printf("toupper('q')=%c tolower('Q')=%c\n", toupper('q'), tolower('Q'));
    printf("strcoll(\"a\",\"b\")<0: %d\n", strcoll("a", "b") < 0);
    return 0;
}
