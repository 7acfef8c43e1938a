// fopen/fwrite/fread/fseek/ftell/rewind on a file, binary data round trip, fopen modes "a", "r+", "wx".
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
    FILE *f = fopen("data.bin", "wb");
    int vals[1000];
    for (int i = 0; i < 1000; i++)
        vals[i] = i * i - 500;
    printf("fwrite=%zu\n", fwrite(vals, sizeof vals[0], 1000, f));
    printf("ftell=%ld\n", ftell(f));
    printf("fclose=%d\n", fclose(f));
    f = fopen("data.bin", "rb");
    int back[1000] = {0};
    size_t got = fread(back, sizeof back[0], 1000, f);
    printf("fread=%zu equal=%d\n", got, memcmp(vals, back, sizeof vals) == 0);
    got = fread(back, 1, 1, f);
    printf("fread at eof=%zu feof=%d\n", got, feof(f) != 0);
    int r = fseek(f, 400, SEEK_SET);
    printf("fseek=%d ftell=%ld\n", r, ftell(f));
    int one;
    fread(&one, sizeof one, 1, f);
    printf("vals[100]=%d\n", one);
    fseek(f, -4, SEEK_END);
    fread(&one, sizeof one, 1, f);
    printf("last=%d\n", one);
    rewind(f);
    printf("after rewind ftell=%ld feof=%d\n", ftell(f), feof(f) != 0);
    fclose(f);
    f = fopen("text.txt", "w");
    fprintf(f, "line1\n");
    fclose(f);
    f = fopen("text.txt", "a");
    fprintf(f, "line2\n");
    fclose(f);
    f = fopen("text.txt", "r+");
    fputs("LINE", f);
    fseek(f, 0, SEEK_SET);
    char buf[64];
    while (fgets(buf, sizeof buf, f))
        printf("r+: %s", buf);
    fclose(f);
    errno = 0;
    f = fopen("text.txt", "wx");
    printf("wx existing NULL=%d EEXIST=%d\n", f == NULL, errno == EEXIST);
    errno = 0;
    f = fopen("nodir/x", "r");
    printf("missing NULL=%d ENOENT=%d\n", f == NULL, errno == ENOENT);
    f = fopen("text.txt", "r");
    printf("fileno>2=%d\n", fileno(f) > 2);
    FILE *g = fdopen(dup(fileno(f)), "r");
    int first = g ? fgetc(g) : '?';
    printf("fdopen ok=%d first char=%c\n", g != NULL, first);
    fclose(g);
    fclose(f);
    printf("remove=%d\n", remove("text.txt"));
    return 0;
}
