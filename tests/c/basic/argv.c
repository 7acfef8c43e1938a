// Prints argc and every argument after argv[0] (quoted and empty ones included); argv[argc] is NULL.
// ARGS: alpha b "c d" '' "x'y" --flag=1
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    printf("argc=%d\n", argc);
    printf("argv0_nonempty=%d\n", argv[0] != NULL && argv[0][0] != '\0');
    for (int i = 1; i < argc; i++)
        printf("argv[%d]=<%s> len=%zu\n", i, argv[i], strlen(argv[i]));
    printf("argv[argc]==NULL: %d\n", argv[argc] == NULL);
    return 0;
}
