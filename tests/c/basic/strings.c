// string.h basics: memcpy/memmove overlap, memset, strcmp family, strtok, strdup, strstr, strspn.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int main(void)
{
    char buf[32] = "0123456789";
    memmove(buf + 2, buf, 8);
    printf("memmove right: %s\n", buf);
    strcpy(buf, "0123456789");
    memmove(buf, buf + 3, 8);
    printf("memmove left: %s\n", buf);
    memset(buf, 'x', 5);
    buf[5] = 0;
    printf("memset: %s\n", buf);
    printf("strcmp: %d %d %d\n", strcmp("a", "b") < 0, strcmp("b", "a") > 0, strcmp("same", "same"));
    printf("strncmp: %d strcasecmp: %d\n", strncmp("abcX", "abcY", 3), strcasecmp("HeLLo", "hello"));
    printf("memcmp sign: %d\n", memcmp("\x01", "\xff", 1) < 0);
    char tok[] = "a,b,,c;d";
    for (char *p = strtok(tok, ",;"); p; p = strtok(NULL, ",;"))
        printf("tok=[%s] ", p);
    printf("\n");
    char *d = strdup("duplicate");
    printf("strdup=%s len=%zu\n", d, strlen(d));
    free(d);
    d = strndup("truncate me", 8);
    printf("strndup=[%s]\n", d);
    free(d);
    const char *h = "the quick brown fox";
    printf("strstr=%s strchr=%s strrchr=%s\n", strstr(h, "brown"), strchr(h, 'q'), strrchr(h, 'o'));
    printf("strspn=%zu strcspn=%zu\n", strspn("aaabbbccc", "ab"), strcspn("hello world", " "));
    printf("strnlen=%zu\n", strnlen("abcdef", 3));
    char cat[16] = "con";
    strncat(cat, "catenate", 4);
    printf("strncat=%s\n", cat);
    printf("memchr offset=%td\n", (char *)memchr(h, 'k', strlen(h)) - h);
    char big[4096];
    for (int i = 0; i < 4096; i++)
        big[i] = (char)(i * 7);
    char big2[4096];
    memcpy(big2, big, sizeof big);
    printf("memcpy 4096 equal=%d\n", memcmp(big, big2, sizeof big) == 0);
    return 0;
}
