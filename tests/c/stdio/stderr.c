// fprintf(stderr) is unbuffered and separate: stdout content is unaffected by interleaved stderr output.
#include <stdio.h>

int main(void)
{
    fprintf(stderr, "to stderr 1\n");
    printf("stdout line 1\n");
    fprintf(stderr, "to stderr 2 (%d)\n", 42);
    perror("perror message");
    printf("stdout line 2\n");
    fputs("stderr via fputs\n", stderr);
    printf("stderr is unbuffered: %d\n", setvbuf(stderr, NULL, _IONBF, 0) == 0);
    return 0;
}
