// sysinfo succeeds with plausible fields; sysconf gives sane page size, CPU count and clock ticks.
#include <stdio.h>
#include <sys/sysinfo.h>
#include <unistd.h>

int main(void)
{
    struct sysinfo si;
    int r = sysinfo(&si);
    printf("sysinfo=%d totalram>0=%d mem_unit>0=%d freeram<=totalram=%d procs>0=%d\n", r, si.totalram > 0,
           si.mem_unit > 0, si.freeram <= si.totalram, si.procs > 0);
    long pg = sysconf(_SC_PAGESIZE);
    printf("pagesize power of two >= 4096=%d\n", pg >= 4096 && (pg & (pg - 1)) == 0);
    printf("getpagesize==sysconf=%d\n", getpagesize() == pg);
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    printf("nprocs>=1=%d\n", n >= 1);
    printf("CLK_TCK=%ld\n", sysconf(_SC_CLK_TCK));
    printf("OPEN_MAX>=256=%d\n", sysconf(_SC_OPEN_MAX) >= 256);
    return 0;
}
