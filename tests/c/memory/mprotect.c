// mprotect on anonymous and malloc'd page-aligned memory returns 0 and keeps contents (no faulting access).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(void)
{
    long pg = sysconf(_SC_PAGESIZE);
    size_t len = 4 * (size_t)pg;
    char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    strcpy(p, "protected data");
    printf("mprotect READ=%d\n", mprotect(p, len, PROT_READ));
    printf("still readable: %s\n", p);
    printf("mprotect NONE part=%d\n", mprotect(p + pg, (size_t)pg, PROT_NONE));
    printf("mprotect RW=%d\n", mprotect(p, len, PROT_READ | PROT_WRITE));
    p[pg] = 'x';
    p[0] = 'P';
    printf("after restore: %s %c\n", p, p[pg]);
    void *m;
    posix_memalign(&m, (size_t)pg, 4 * (size_t)pg);
    printf("mprotect heap page RW=%d\n", mprotect(m, (size_t)pg, PROT_READ | PROT_WRITE));
    free(m);
    printf("munmap=%d\n", munmap(p, len));
    return 0;
}
