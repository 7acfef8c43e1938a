// scanf of ints, doubles, hex, strings and a bracket set from stdin; reports conversions and final EOF.
#include <stdio.h>

int main(void)
{
    int a, b;
    double d;
    unsigned x;
    char word[32], rest[64];
    long long big;
    int r = scanf("%d %d", &a, &b);
    printf("r=%d a=%d b=%d\n", r, a, b);
    r = scanf("%lf %x %31s", &d, &x, word);
    printf("r=%d d=%g x=%u word=%s\n", r, d, x, word);
    r = scanf("%lld", &big);
    printf("r=%d big=%lld\n", r, big);
    r = scanf(" %63[^\n]", rest);
    printf("r=%d rest=[%s]\n", r, rest);
    int sum = 0, v, count = 0;
    while ((r = scanf("%d", &v)) == 1) {
        sum += v;
        count++;
    }
    printf("numbers=%d sum=%d stop r=%d\n", count, sum, r);
    r = scanf("%31s", word);
    printf("non-number token r=%d word=%s\n", r, word);
    r = scanf("%d", &v);
    printf("at end r=%d (EOF=%d)\n", r, EOF);
    return 0;
}
