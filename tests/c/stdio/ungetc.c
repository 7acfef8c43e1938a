// ungetc pushes back characters that the next reads return; works at EOF and with a file stream.
#include <stdio.h>

int main(void)
{
    int c = getchar();
    printf("first=%c\n", c);
    int u = ungetc(c, stdin);
    printf("ungetc=%c\n", u);
    printf("again=%c\n", getchar());
    ungetc('Z', stdin);
    char buf[32];
    fgets(buf, sizeof buf, stdin);
    printf("line after ungetc Z=[%s]", buf);
    while (getchar() != EOF) {}
    u = ungetc('X', stdin);
    printf("at eof, ungetc X=%c\n", u);
    int x = getchar();
    int eof = getchar() == EOF;
    printf("read X=%c then EOF=%d\n", x, eof);
    FILE *f = fopen("u.txt", "w+");
    fputs("12345", f);
    rewind(f);
    int n;
    ungetc('9', f);
    fscanf(f, "%d", &n);
    printf("fscanf after ungetc 9 = %d\n", n);
    fclose(f);
    return 0;
}
