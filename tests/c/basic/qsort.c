// qsort of ints/strings/structs and bsearch hits and misses.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

struct rec { int key; char tag; };

static int cmp_rec(const void *a, const void *b)
{
    const struct rec *x = a, *y = b;
    if (x->key != y->key)
        return (x->key > y->key) - (x->key < y->key);
    return x->tag - y->tag;
}

int main(void)
{
    int a[1000];
    unsigned s = 12345;
    for (int i = 0; i < 1000; i++) {
        s = s * 1103515245u + 12345u;
        a[i] = (int)(s >> 8) % 10000 - 5000;
    }
    qsort(a, 1000, sizeof a[0], cmp_int);
    int sorted = 1;
    long long sum = 0;
    for (int i = 0; i < 1000; i++) {
        if (i && a[i - 1] > a[i])
            sorted = 0;
        sum += a[i];
    }
    printf("ints sorted=%d min=%d max=%d median=%d sum=%lld\n", sorted, a[0], a[999], a[500], sum);

    const char *words[] = {"pear", "apple", "fig", "banana", "cherry", "apple", "date"};
    qsort(words, 7, sizeof words[0], cmp_str);
    for (int i = 0; i < 7; i++)
        printf("%s%s", words[i], i < 6 ? " " : "\n");

    struct rec r[] = {{3, 'c'}, {1, 'b'}, {3, 'a'}, {2, 'z'}, {1, 'a'}};
    qsort(r, 5, sizeof r[0], cmp_rec);
    for (int i = 0; i < 5; i++)
        printf("%d%c ", r[i].key, r[i].tag);
    printf("\n");

    int keys[] = {a[0], a[999], a[321], 99999, -99999};
    for (int i = 0; i < 5; i++) {
        int *p = bsearch(&keys[i], a, 1000, sizeof a[0], cmp_int);
        printf("bsearch %d: %s\n", keys[i], p ? "found" : "missing");
        if (p && *p != keys[i])
            printf("  wrong element!\n");
    }
    const char *key = "cherry";
    const char **w = bsearch(&key, words, 7, sizeof words[0], cmp_str);
    printf("bsearch cherry: %s\n", w ? *w : "missing");
    qsort(a, 0, sizeof a[0], cmp_int);
    printf("qsort of 0 elements ok\n");
    return 0;
}
