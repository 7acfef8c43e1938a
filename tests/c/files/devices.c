// /dev/null, /dev/zero and /dev/urandom behave as on Linux: writes vanish, reads give EOF/zeros/random bytes.
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(void)
{
    int n = open("/dev/null", O_RDWR);
    printf("open /dev/null ok=%d\n", n >= 0);
    printf("write=%zd\n", write(n, "discarded", 9));
    char buf[64];
    printf("read=%zd\n", read(n, buf, sizeof buf));
    struct stat st;
    fstat(n, &st);
    printf("is char device=%d\n", S_ISCHR(st.st_mode));
    close(n);
    int z = open("/dev/zero", O_RDONLY);
    memset(buf, 0x55, sizeof buf);
    ssize_t r = read(z, buf, sizeof buf);
    int zero = 1;
    for (int i = 0; i < 64; i++)
        zero &= buf[i] == 0;
    printf("/dev/zero read=%zd all zero=%d\n", r, zero);
    close(z);
    int u = open("/dev/urandom", O_RDONLY);
    unsigned char rb[32] = {0};
    r = read(u, rb, sizeof rb);
    int nz = 0;
    for (int i = 0; i < 32; i++)
        nz |= rb[i];
    printf("/dev/urandom read=%zd nonzero=%d\n", r, nz != 0);
    close(u);
    FILE *f = fopen("/dev/null", "w");
    int fr = f ? fprintf(f, "hello %d\n", 42) : -1;
    printf("fopen /dev/null ok=%d fprintf=%d\n", f != NULL, fr);
    if (f)
        fclose(f);
    return 0;
}
