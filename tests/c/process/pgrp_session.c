// Process groups and sessions (booleans): a child starts in its parent's group and session; setpgid(0,0) and setpgid(child,child) make it a group leader; setsid makes a new session and fails for a group leader; error cases ESRCH/EPERM/EINVAL.
#include "../common/errname.h"
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

/* Runs f in a child; the child's lines come before the parent continues. */
static void in_child(void (*f)(void))
{
    fflush(stdout);
    pid_t p = fork();
    if (p == 0) {
        f();
        fflush(stdout);
        _exit(0);
    }
    waitpid(p, NULL, 0);
}

static pid_t parent_pid;

static void child_basics(void)
{
    printf("child: same group as parent %d\n", getpgrp() == getpgid(parent_pid));
    printf("child: same session as parent %d\n", getsid(0) == getsid(parent_pid));
    printf("child: not a group leader %d\n", getpgrp() != getpid());
    SHOW("child: setpgid(0, 0)", setpgid(0, 0));
    printf("child: now leads its group %d\n", getpgrp() == getpid() && getpgid(0) == getpid());
    printf("child: parent's group unchanged %d\n", getpgid(parent_pid) == parent_pid);
    SHOW("child: setsid as group leader", setsid());
    /* Back into the parent's group (same session): allowed. */
    SHOW("child: setpgid(0, parent's group)", setpgid(0, getpgid(parent_pid)));
    printf("child: back in the parent's group %d\n", getpgrp() == getpgid(parent_pid));
    SHOW("child: setpgid(0, no such group)", setpgid(0, 0x3ffffff0));
    SHOW("child: setpgid(parent, ...) (not our child)", setpgid(parent_pid, parent_pid));
    printf("child: parent's group still unchanged %d\n", getpgid(parent_pid) == parent_pid);
    SHOW("child: setpgid(0, -1)", setpgid(0, -1));
}

static void child_session(void)
{
    pid_t s = setsid();
    printf("child: setsid returned own pid %d\n", s == getpid());
    printf("child: getsid(0)==pid %d getpgrp()==pid %d\n", getsid(0) == getpid(), getpgrp() == getpid());
    printf("child: parent's session differs %d\n", getsid(parent_pid) != getsid(0));
    SHOW("child: setsid again", setsid());
    SHOW("child: setpgid(0, parent's group) across sessions", setpgid(0, getpgid(parent_pid)));
    /* A grandchild is in the new session and group. */
    fflush(stdout);
    pid_t me = getpid();
    pid_t g = fork();
    if (g == 0) {
        printf("grandchild: in the new session %d and group %d\n", getsid(0) == me, getpgrp() == me);
        fflush(stdout);
        _exit(0);
    }
    waitpid(g, NULL, 0);
}

int main(void)
{
    parent_pid = getpid();
    /* The harness starts each native test as a group leader; lind's first cage is one too. */
    printf("parent: getpgrp()==getpgid(0) %d\n", getpgrp() == getpgid(0));
    printf("parent: getpgid(0)==getpgid(getpid()) %d\n", getpgid(0) == getpgid(getpid()));
    printf("parent: leads its group %d\n", getpgrp() == getpid());
    SHOW("parent: setsid as group leader", setsid());
    SHOW("parent: getpgid(no such pid)", getpgid(0x3ffffff0));
    SHOW("parent: getsid(no such pid)", getsid(0x3ffffff0));
    SHOW("parent: setpgid(no such pid)", setpgid(0x3ffffff0, 0));
    in_child(child_basics);
    in_child(child_session);

    /* The parent moves a child into a new group (both sides do it: the race-free idiom). */
    int go[2];
    pipe(go);
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        setpgid(0, 0);
        char x;
        read(go[0], &x, 1);
        _exit(getpgrp() == getpid() ? 1 : 2);
    }
    SHOW("parent: setpgid(child, child)", setpgid(c, c));
    printf("parent: getpgid(child)==child %d\n", getpgid(c) == c);
    printf("parent: getsid(child)==own session %d\n", getsid(c) == getsid(0));
    int st;
    printf("parent: waitpid(0) does not see the child in another group: %d\n", waitpid(0, &st, WNOHANG) == -1);
    printf("parent: waitpid(-child) sees it: %d\n", waitpid(-c, &st, WNOHANG) == 0);
    write(go[1], "g", 1);
    waitpid(c, &st, 0);
    printf("child led its group: %d\n", WEXITSTATUS(st) == 1);
    return 0;
}
