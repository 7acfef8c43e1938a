// /proc/self/maps names mapped objects as Linux does: a file by its path (and the mapping's file offset, its inode), a memfd as "/memfd:NAME (deleted)", a shm_open object as "/dev/shm/NAME", a System V segment as "/SYSV<key> (deleted)"; a moved mapping keeps its offset.
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/maps.h"

/* Prints the line that starts at addr: perms, offset, whether the inode
 * is `ino` (when nonzero), and the path column (for files, `cwd` shown as "CWD"). */
static void show(const char *what, void *addr, unsigned long ino, const char *cwd)
{
    load_maps();
    for (char *p = maps_buf; *p;) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = 0;
        unsigned long long s, e, off;
        unsigned maj, min;
        unsigned long inode;
        char perms[5];
        int col = 0;
        if (sscanf(p, "%llx-%llx %4s %llx %x:%x %lu %n", &s, &e, perms, &off, &maj, &min, &inode, &col) >= 7 && s == (uintptr_t)addr) {
            const char *path = p + col;
            while (*path == ' ')
                path++;
            size_t n = cwd ? strlen(cwd) : 0;
            if (cwd && strncmp(path, cwd, n) == 0 && path[n] == '/')
                printf("%s: %s off=%llx ino ok=%d path=CWD%s\n", what, perms, off, ino == 0 || inode == ino, path + n);
            else
                printf("%s: %s off=%llx ino ok=%d path=%s\n", what, perms, off, ino == 0 || inode == ino, path);
            if (nl)
                *nl = '\n';
            return;
        }
        if (!nl)
            break;
        *nl = '\n';
        p = nl + 1;
    }
    printf("%s: no line\n", what);
}

int main(void)
{
    long pg = sysconf(_SC_PAGESIZE);
    char cwd[4096];
    if (!getcwd(cwd, sizeof cwd))
        return 1;
    if (strcmp(cwd, "/") == 0)
        cwd[0] = 0;

    int fd = open("maps_file.dat", O_CREAT | O_RDWR | O_TRUNC, 0644);
    ftruncate(fd, 4 * pg);
    struct stat st;
    fstat(fd, &st);
    char *f = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 2 * pg);
    show("shared file from page 2", f, st.st_ino, cwd);
    char *r = mmap(NULL, pg, PROT_READ, MAP_PRIVATE, fd, 0);
    show("private read-only file", r, st.st_ino, cwd);
    char *target = mmap(NULL, 2 * pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *moved = mremap(f, 2 * pg, 2 * pg, MREMAP_MAYMOVE | MREMAP_FIXED, target);
    show("moved shared file", moved, st.st_ino, cwd);
    char *tail = mremap(moved + pg, pg, pg, MREMAP_MAYMOVE | MREMAP_FIXED, f);
    show("its last page moved again", tail, st.st_ino, cwd);

    int mfd = memfd_create("maps-test", 0);
    ftruncate(mfd, pg);
    char *m = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
    show("memfd", m, 0, NULL);

    shm_unlink("/maps-test");
    int sfd = shm_open("/maps-test", O_CREAT | O_RDWR, 0600);
    ftruncate(sfd, pg);
    char *s = mmap(NULL, pg, PROT_READ, MAP_SHARED, sfd, 0);
    show("shm_open", s, 0, NULL);
    shm_unlink("/maps-test");

    int id = shmget(0x4c1d0007, pg, IPC_CREAT | 0600);
    char *v = shmat(id, NULL, 0);
    show("SysV", v, (unsigned long)id, NULL);
    shmdt(v);
    shmctl(id, IPC_RMID, NULL);
    int priv = shmget(IPC_PRIVATE, pg, IPC_CREAT | 0600);
    char *w = shmat(priv, NULL, SHM_RDONLY);
    show("SysV private read-only", w, (unsigned long)priv, NULL);
    shmdt(w);
    shmctl(priv, IPC_RMID, NULL);

    unlink("maps_file.dat");
    return 0;
}
