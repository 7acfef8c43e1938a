// Reads stdin line by line with fgets (short buffer splits long lines), reports lengths and a final line without newline.
#include <stdio.h>
#include <string.h>

int main(void)
{
    char buf[16];
    int n = 0;
    while (fgets(buf, sizeof buf, stdin)) {
        size_t len = strlen(buf);
        int nl = len && buf[len - 1] == '\n';
        if (nl)
            buf[len - 1] = 0;
        printf("%d: len=%zu newline=%d [%s]\n", ++n, len, nl, buf);
    }
    printf("eof=%d error=%d\n", feof(stdin) != 0, ferror(stdin) != 0);
    return 0;
}
