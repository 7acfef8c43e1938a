// libm results that are exact in IEEE arithmetic (sqrt, floor, fmod, ldexp, frexp, pow of 2, rounding modes).
#include <fenv.h>
#include <math.h>
#include <stdio.h>

int main(void)
{
    volatile double two = 2.0, x = 10.75, neg = -2.5;
    printf("sqrt(2)=%.17g sqrt(144)=%g\n", sqrt(two), sqrt(144.0 * (two - 1)));
    printf("floor=%g ceil=%g trunc=%g round=%g\n", floor(x), ceil(x), trunc(neg), round(neg));
    printf("fmod=%g remainder=%g\n", fmod(x, 3.0), remainder(x, 3.0));
    int e;
    double m = frexp(x, &e);
    printf("frexp=%g exp=%d ldexp=%g\n", m, e, ldexp(m, e));
    printf("pow(2,10)=%g pow(2,-2)=%g pow(2,0.5)==sqrt2: %d\n", pow(two, 10), pow(two, -2), pow(two, 0.5) == sqrt(two));
    printf("fabs=%g copysign=%g\n", fabs(neg), copysign(3.0, neg));
    printf("isnan=%d isinf=%d signbit=%d\n", isnan(NAN) != 0, isinf(-INFINITY) != 0, signbit(-0.0) != 0);
    printf("lrint=%ld nearbyint=%g\n", lrint(2.5), nearbyint(3.5));
    printf("fmin=%g fmax=%g hypot=%g\n", fmin(1.0, neg), fmax(1.0, neg), hypot(3.0, 4.0));
    printf("modf: ");
    double ip, fp = modf(x, &ip);
    printf("%g + %g\n", ip, fp);
    printf("int conversions: %d %d %lld\n", (int)neg, (int)x, (long long)1e15);
    volatile float f = 16777217.0f;
    printf("float rounding: %.1f\n", (double)f);
    return 0;
}
