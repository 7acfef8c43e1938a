// Dropping privileges: setgroups, setresgid/setresuid from root, seteuid back through the saved id,
// setreuid's saved-id rule, then no way back once the saved id is gone (EPERM), and file access as
// the new user. Runs as root.
#define _GNU_SOURCE
#include "../common/errname.h"
#include <fcntl.h>
#include <grp.h>
#include <sys/stat.h>
#include <unistd.h>

static void show_ids(const char *when)
{
    uid_t r, e, s;
    gid_t gr, ge, gs;
    getresuid(&r, &e, &s);
    getresgid(&gr, &ge, &gs);
    printf("%s: uid %u/%u/%u gid %u/%u/%u\n", when, r, e, s, gr, ge, gs);
}

int main(void)
{
    if (geteuid() != 0) {
        printf("needs root\n");
        return 1;
    }
    int fd = open("secret", O_CREAT | O_WRONLY, 0600);
    write(fd, "x", 1);
    close(fd);
    chmod("secret", 0600);
    /* A directory only root may change, and a sticky one everybody may. */
    mkdir("closed", 0755);
    chmod("closed", 0755);
    close(open("closed/roots", O_CREAT | O_WRONLY, 0644));
    mkdir("shared", 0777);
    chmod("shared", 01777);
    close(open("shared/roots", O_CREAT | O_WRONLY, 0644));
    show_ids("start");

    gid_t groups[] = {5, 7};
    SHOW("setgroups", setgroups(2, groups));
    gid_t got[4] = {0};
    int n = getgroups(4, got);
    printf("getgroups: %d [%u %u]\n", n, got[0], got[1]);
    SHOW("setresgid 100 100 100", setresgid(100, 100, 100));
    SHOW("setresuid 1000 1000 0", setresuid(1000, 1000, 0));
    show_ids("dropped, saved root");
    SHOW("open a root-only file", open("secret", O_RDONLY));
    SHOW("create in a root-only directory", open("closed/mine", O_CREAT | O_WRONLY, 0644));
    SHOW("mkdir there", mkdir("closed/sub", 0755));
    SHOW("unlink root's file there", unlink("closed/roots"));
    SHOW("rename it", rename("closed/roots", "closed/moved"));
    SHOW("unlink a missing file there", unlink("closed/none"));
    SHOW("mkdir an existing one", mkdir("closed", 0755));
    SHOW("create in the sticky directory", close(open("shared/mine", O_CREAT | O_WRONLY, 0644)));
    SHOW("unlink root's file from it", unlink("shared/roots"));
    SHOW("rename own file over root's", rename("shared/mine", "shared/roots"));
    struct stat st;
    stat("shared/mine", &st);
    printf("a new file belongs to the new user: uid %u gid %u\n", (unsigned)st.st_uid, (unsigned)st.st_gid);
    SHOW("mkdir in the sticky directory", mkdir("shared/dir", 0700));
    stat("shared/dir", &st);
    printf("so does a new directory: uid %u gid %u\n", (unsigned)st.st_uid, (unsigned)st.st_gid);
    SHOW("unlink own file", unlink("shared/mine"));
    SHOW("setuid 2000", setuid(2000));
    SHOW("seteuid 0 (the saved id)", seteuid(0));
    show_ids("root again");
    SHOW("open a root-only file", open("secret", O_RDONLY) >= 0);
    SHOW("setreuid -1 1000", setreuid(-1, 1000));
    show_ids("setreuid to the real id keeps the saved one");
    SHOW("setreuid -1 0", setreuid(-1, 0));
    SHOW("setreuid -1 1000 again", setreuid(-1, 1000));
    show_ids("saved id unchanged");
    SHOW("setresuid -1 -1 1000", setresuid(-1, -1, 1000));
    show_ids("all 1000");
    SHOW("setuid 0", setuid(0));
    SHOW("seteuid 0", seteuid(0));
    SHOW("setreuid 0 -1", setreuid(0, -1));
    SHOW("setresuid 0 0 0", setresuid(0, 0, 0));
    SHOW("setgroups", setgroups(0, NULL));
    SHOW("setgid 100 (own)", setgid(100));
    SHOW("setgid 5", setgid(5));
    SHOW("setuid 1000 (own)", setuid(1000));
    SHOW("setuid -1", setuid(-1));
    show_ids("end");
    return 0;
}
