// memcmp, bcmp, strcspn and strspn against byte-by-byte references: every length to 70, every
// misalignment, one difference at every position (high bytes too), equal prefixes longer than a word.
#include <stdio.h>
#include <string.h>
#include <strings.h>

static int sign(int v) { return (v > 0) - (v < 0); }

static int ref_memcmp(const unsigned char *l, const unsigned char *r, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (l[i] != r[i]) return l[i] < r[i] ? -1 : 1;
    return 0;
}

static size_t ref_span(const char *s, const char *set, int accept)
{
    size_t i = 0;
    for (; s[i]; i++)
        if ((strchr(set, s[i]) != NULL) != accept) break;
    return i;
}

int main(void)
{
    static unsigned char a[160], b[160];
    long checked = 0, wrong = 0, bcmp_wrong = 0;
    for (int off_a = 0; off_a < 8; off_a++)
        for (int off_b = 0; off_b < 8; off_b++)
            for (size_t n = 0; n <= 70; n++) {
                for (size_t i = 0; i < sizeof a; i++) a[i] = b[i] = (unsigned char)(i * 37 + 11);
                memmove(b + off_b, a + off_a, n);
                int same = memcmp(a + off_a, b + off_b, n);
                wrong += same != 0;
                for (size_t pos = 0; pos < n; pos++) {
                    static const unsigned char values[] = {0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff};
                    for (size_t v = 0; v < sizeof values; v++) {
                        unsigned char saved = b[off_b + pos];
                        b[off_b + pos] = values[v];
                        int want = ref_memcmp(a + off_a, b + off_b, n);
                        int got = sign(memcmp(a + off_a, b + off_b, n));
                        int got_bcmp = bcmp(a + off_a, b + off_b, n) != 0;
                        wrong += got != want;
                        bcmp_wrong += got_bcmp != (want != 0);
                        checked++;
                        b[off_b + pos] = saved;
                    }
                }
            }
    printf("memcmp: %ld checked, %ld wrong, bcmp %ld wrong\n", checked, wrong, bcmp_wrong);

    /* A difference after the first differing byte must not decide the sign. */
    unsigned char x[16] = "ABCDEFGHabcdefgh", y[16] = "ABCDEFGHabcdefgh";
    x[9] = 0x01; y[9] = 0xf0; x[12] = 0xff; y[12] = 0x00;
    printf("first difference decides: %d %d\n", sign(memcmp(x, y, 16)), sign(memcmp(y, x, 16)));

    static const char *sets[] = {"", "a", "ab", " \t\n", "xyz%_", "0123456789", "\x80\xff", "abcdefghijklmnopqrstuvwxyz"};
    static const char *texts[] = {"", "aaab", "hello world", "  \tindent", "%_x_%", "2026-11-27", "\x80\xff\x80z", "zebra"};
    long span_wrong = 0;
    for (size_t s = 0; s < sizeof sets / sizeof *sets; s++)
        for (size_t t = 0; t < sizeof texts / sizeof *texts; t++) {
            span_wrong += strspn(texts[t], sets[s]) != ref_span(texts[t], sets[s], 1);
            span_wrong += strcspn(texts[t], sets[s]) != ref_span(texts[t], sets[s], 0);
        }
    printf("strspn/strcspn wrong: %ld\n", span_wrong);
    return wrong || bcmp_wrong || span_wrong;
}
