// /proc/self/maps lists the address space in Linux's format: the stack and the heap by name, and each mapping with its protection and private/shared flag, split where mprotect changed part of it and gone after munmap.
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../common/maps.h"

/* The permissions of the line that covers addr, or "none". */
static const char *perms_at(void *addr, char *out)
{
    uintptr_t a = (uintptr_t)addr;
    for (char *p = maps_buf; *p;) {
        unsigned long long s, e, off;
        unsigned maj, min;
        unsigned long ino;
        char perms[8];
        if (sscanf(p, "%llx-%llx %7s %llx %x:%x %lu", &s, &e, perms, &off, &maj, &min, &ino) == 7 && a >= s && a < e) {
            strcpy(out, perms);
            return out;
        }
        char *nl = strchr(p, '\n');
        if (!nl)
            break;
        p = nl + 1;
    }
    return "none";
}

static int has_name(const char *name)
{
    for (char *p = maps_buf; *p;) {
        char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        size_t k = strlen(name);
        if (len >= k + 1 && memcmp(p + len - k, name, k) == 0 && p[len - k - 1] == ' ')
            return 1;
        if (!nl)
            break;
        p = nl + 1;
    }
    return 0;
}

int main(void)
{
    long pg = sysconf(_SC_PAGESIZE);
    char a[8], b[8], c[8], d[8];
    long cur = syscall(SYS_brk, 0);
    syscall(SYS_brk, cur + pg); /* the heap is in use */
    char *p = mmap(NULL, 3 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *s = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    char *r = mmap(NULL, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    mprotect(p + pg, pg, PROT_NONE);
    load_maps();
    printf("[stack] listed: %d\n", has_name("[stack]"));
    printf("[heap] listed: %d\n", has_name("[heap]"));
    printf("private mapping split by mprotect: %s %s %s\n", perms_at(p, a), perms_at(p + pg, b), perms_at(p + 2 * pg, c));
    printf("shared mapping: %s, read-only mapping: %s\n", perms_at(s, a), perms_at(r, d));
    int x = 0;
    printf("a local variable is in the stack line: %d\n", strcmp(perms_at(&x, a), "rw-p") == 0);
    munmap(p, 3 * pg);
    load_maps();
    printf("after munmap: %s %s %s\n", perms_at(p, a), perms_at(p + pg, b), perms_at(p + 2 * pg, c));
    return 0;
}
