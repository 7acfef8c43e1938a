// Byte/character conversions in the C locale: mblen, wcslen, wide printf of ASCII, towupper.
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>
#include <wctype.h>

int main(void)
{
    const wchar_t *w = L"wide string";
    printf("wcslen=%zu\n", wcslen(w));
    char out[64];
    size_t n = wcstombs(out, w, sizeof out);
    printf("wcstombs=%zu [%s]\n", n, out);
    wchar_t back[64];
    n = mbstowcs(back, "ascii only", 64);
    printf("mbstowcs=%zu wcscmp=%d\n", n, wcscmp(back, L"ascii only"));
    printf("towupper=%lc iswalpha=%d\n", (wint_t)towupper(L'x'), !!iswalpha(L'z'));
    printf("%ls|%5ls|\n", L"ab", L"cd");
    return 0;
}
