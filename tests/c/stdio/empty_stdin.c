// With no .stdin file stdin is empty: getchar/fgets/read/scanf all see EOF at once.
#include <stdio.h>
#include <unistd.h>

int main(void)
{
    char buf[16];
    printf("read=%zd\n", read(0, buf, sizeof buf));
    printf("getchar is EOF=%d\n", getchar() == EOF);
    printf("feof=%d\n", feof(stdin) != 0);
    clearerr(stdin);
    printf("fgets NULL=%d\n", fgets(buf, sizeof buf, stdin) == NULL);
    int v;
    printf("scanf=%d\n", scanf("%d", &v));
    return 0;
}
