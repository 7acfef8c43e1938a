// brk via the raw syscall: query the break, grow it by 256 KiB, use the new memory, shrink back.
#include <stdint.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
    printf("start\n");
    fflush(stdout);
    char *cur = (char *)syscall(SYS_brk, 0);
    char *again = (char *)syscall(SYS_brk, 0);
    char *grown = (char *)syscall(SYS_brk, cur + (256 << 10));
    int use_ok = 0;
    if (grown == cur + (256 << 10)) {
        for (long i = 0; i < (256 << 10); i++)
            cur[i] = (char)i;
        use_ok = 1;
        for (long i = 0; i < (256 << 10); i++)
            if (cur[i] != (char)i)
                use_ok = 0;
    }
    char *back = (char *)syscall(SYS_brk, cur);
    void *sb = sbrk(0);
    printf("brk(0) nonzero=%d stable=%d\n", cur != NULL, cur == again);
    printf("grow ok=%d memory usable=%d\n", grown == cur + (256 << 10), use_ok);
    printf("shrink back ok=%d\n", back == cur);
    printf("sbrk(0) valid=%d\n", sb != (void *)-1);
    return 0;
}
