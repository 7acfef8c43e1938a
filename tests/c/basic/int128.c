// 64- and 128-bit integer arithmetic (needs compiler-rt helpers in wasm32): mul, div, mod, shifts, overflow builtins.
#include <stdint.h>
#include <stdio.h>

static void print_u128(unsigned __int128 v)
{
    char buf[48];
    int i = 47;
    buf[i] = 0;
    do {
        buf[--i] = (char)('0' + (int)(v % 10));
        v /= 10;
    } while (v);
    printf("%s", buf + i);
}

int main(void)
{
    volatile uint64_t a = 0xFFFFFFFFFFFFFFFFull, b = 0x123456789ABCDEFull;
    unsigned __int128 p = (unsigned __int128)a * b;
    printf("a*b = ");
    print_u128(p);
    printf("\n(a*b)/b == a: %d, (a*b)%%b == 0: %d\n", (uint64_t)(p / b) == a, (uint64_t)(p % b) == 0);
    volatile __int128 s = -((__int128)1 << 100);
    printf("-(2^100) >> 37 = %lld (hi), negative: %d\n", (long long)(s >> 37 >> 32), s < 0);
    unsigned __int128 big = ((unsigned __int128)1 << 127) + 12345;
    printf("2^127 + 12345 = ");
    print_u128(big);
    printf("\n");
    volatile int64_t x = INT64_MIN + 5, y = -7;
    printf("int64 div=%lld mod=%lld\n", (long long)(x / y), (long long)(x % y));
    volatile uint64_t u = 10000000000000000000ull;
    printf("uint64 div=%llu mod=%llu\n", (unsigned long long)(u / 3), (unsigned long long)(u % 7));
    int64_t r;
    printf("overflow add=%d mul=%d\n", __builtin_add_overflow((int64_t)INT64_MAX, (int64_t)1, &r), __builtin_mul_overflow((int64_t)3037000500, (int64_t)3037000500, &r));
    printf("clz=%d ctz=%d popcount=%d\n", __builtin_clzll(1ull << 40), __builtin_ctzll(1ull << 40), __builtin_popcountll(0xF0F0F0F0F0F0F0F0ull));
    return 0;
}
