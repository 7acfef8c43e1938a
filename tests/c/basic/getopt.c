// getopt over ARGS: flags, an option with an argument, "--" and the remaining operands.
// ARGS: -a -b value -cx -- -notanoption file2
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    int c;
    opterr = 0;
    while ((c = getopt(argc, argv, "ab:cx")) != -1) {
        if (c == 'b')
            printf("option b with [%s]\n", optarg);
        else if (c == '?')
            printf("unknown option %c\n", optopt);
        else
            printf("option %c\n", c);
    }
    printf("optind=%d\n", optind);
    for (int i = optind; i < argc; i++)
        printf("operand [%s]\n", argv[i]);
    return 0;
}
