// rename: move a file, replace an existing file atomically, rename directories, rename onto itself.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../common/errname.h"

static void put(const char *p, const char *s)
{
    int fd = open(p, O_CREAT | O_WRONLY | O_TRUNC, 0644);
    write(fd, s, strlen(s));
    close(fd);
}

static void show(const char *p)
{
    char buf[64] = {0};
    int fd = open(p, O_RDONLY);
    if (fd < 0) {
        printf("  %s: %s\n", p, errname(errno));
        return;
    }
    read(fd, buf, sizeof buf - 1);
    close(fd);
    printf("  %s: [%s]\n", p, buf);
}

int main(void)
{
    put("one", "first");
    put("two", "second");
    SHOW("rename one->three", rename("one", "three"));
    show("one");
    show("three");
    int fd = open("two", O_RDONLY);
    SHOW("rename three->two (replace)", rename("three", "two"));
    show("two");
    show("three");
    char buf[16] = {0};
    read(fd, buf, sizeof buf - 1);
    printf("  old fd of replaced file still reads [%s]\n", buf);
    close(fd);
    SHOW("rename two->two", rename("two", "two"));
    show("two");
    mkdir("d1", 0755);
    put("d1/inner", "inside");
    SHOW("rename dir d1->d2", rename("d1", "d2"));
    show("d2/inner");
    mkdir("empty", 0755);
    SHOW("rename dir over empty dir", rename("d2", "empty"));
    show("empty/inner");
    mkdir("full", 0755);
    put("full/x", "x");
    SHOW("rename dir over non-empty dir", rename("empty", "full"));
    SHOW("rename file over dir", rename("two", "full"));
    SHOW("rename dir over file", rename("full", "two"));
    SHOW("rename missing", rename("nope", "whatever"));
    SHOW("rename into subdir", rename("two", "full/two"));
    show("full/two");
    SHOW("renameat", renameat(AT_FDCWD, "full/two", AT_FDCWD, "back"));
    show("back");
    return 0;
}
