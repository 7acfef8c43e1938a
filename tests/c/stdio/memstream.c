// fmemopen and open_memstream: formatted I/O into memory buffers, seeking, and the size/pointer updates.
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
    char *p = NULL;
    size_t n = 0;
    FILE *m = open_memstream(&p, &n);
    for (int i = 0; i < 1000; i++)
        fprintf(m, "%d,", i);
    fflush(m);
    printf("open_memstream size=%zu strlen=%zu head=[%.12s]\n", n, strlen(p), p);
    fclose(m);
    printf("after fclose size=%zu tail=[%s]\n", n, p + n - 8);
    free(p);
    char buf[64] = "10 20 30 text";
    FILE *r = fmemopen(buf, strlen(buf), "r");
    int a, b, c;
    char w[16];
    int k = fscanf(r, "%d %d %d %15s", &a, &b, &c, w);
    printf("fmemopen read k=%d sum=%d word=%s eof-next=%d\n", k, a + b + c, w, fgetc(r) == EOF);
    fclose(r);
    char out[32];
    memset(out, 'x', sizeof out);
    FILE *o = fmemopen(out, sizeof out, "w");
    fprintf(o, "abc%d", 123);
    fseek(o, 1, SEEK_SET);
    fputc('B', o);
    fclose(o);
    printf("fmemopen write=[%s]\n", out);
    return 0;
}
