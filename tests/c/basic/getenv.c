// Reads variables set by the harness (ENV directive), checks an unset one, and setenv/unsetenv/putenv.
// ENV: LIND_TEST_VAR=hello LIND_TEST_SPACES="two words" LIND_TEST_EMPTY=
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

static void show(const char *k)
{
    const char *v = getenv(k);
    if (v)
        printf("%s=<%s>\n", k, v);
    else
        printf("%s unset\n", k);
}

int main(void)
{
    show("LIND_TEST_VAR");
    show("LIND_TEST_SPACES");
    show("LIND_TEST_EMPTY");
    show("LIND_TEST_NOT_SET");

    int n = 0;
    for (char **e = environ; *e; e++)
        if (strncmp(*e, "LIND_TEST_", 10) == 0)
            n++;
    printf("LIND_TEST_* entries in environ: %d\n", n);

    printf("setenv=%d\n", setenv("LIND_TEST_NEW", "v1", 0));
    printf("setenv no-overwrite=%d\n", setenv("LIND_TEST_NEW", "v2", 0));
    show("LIND_TEST_NEW");
    printf("setenv overwrite=%d\n", setenv("LIND_TEST_NEW", "v3", 1));
    show("LIND_TEST_NEW");
    printf("unsetenv=%d\n", unsetenv("LIND_TEST_VAR"));
    show("LIND_TEST_VAR");
    static char put[] = "LIND_TEST_PUT=from putenv";
    printf("putenv=%d\n", putenv(put));
    show("LIND_TEST_PUT");
    return 0;
}
