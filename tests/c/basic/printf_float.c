// printf of doubles (%f %e %g %a), exactly representable long doubles, inf/nan, rounding.
#include <float.h>
#include <math.h>
#include <stdio.h>

int main(void)
{
    double v[] = {0.0, -0.0, 1.0, 0.1, 2.5, 1.0 / 3.0, 123456789.125, 1e-10, 1e300, 6.02214076e23};
    for (unsigned i = 0; i < sizeof v / sizeof v[0]; i++)
        printf("%f | %e | %g | %.17g | %a\n", v[i], v[i], v[i], v[i], v[i]);
    printf("rounding: %.0f %.0f %.0f %.2f %.1f\n", 0.5, 1.5, 2.5, 0.125, 0.25);
    printf("width: [%10.3f] [%-10.2e] [%+.1f] [%010.4f]\n", 3.14159, 314.159, 2.0, -1.5);
    printf("g: %g %g %g %g %#g\n", 100000.0, 1000000.0, 0.0001, 0.00001, 1.0);
    printf("specials: %f %f %f %e %g\n", INFINITY, -INFINITY, NAN, INFINITY, -INFINITY);
    printf("DBL_MAX=%g DBL_MIN=%g DBL_EPSILON=%a\n", DBL_MAX, DBL_MIN, DBL_EPSILON);
    printf("float promoted: %f %a\n", 0.1f, 0.1f);
    long double ld[] = {0.5L, 1e10L, 18446744073709551616.0L, -3.25L};
    for (unsigned i = 0; i < sizeof ld / sizeof ld[0]; i++)
        printf("long double: %Lf %Le %Lg\n", ld[i], ld[i], ld[i]);
    printf("long double ops: %Lg %.3Lf\n", 1e10L * 1e10L, 0.5L + 0.25L);
    return 0;
}
