// exit(256 + 7) is seen by the parent as status 7 (only the low 8 bits survive).
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    printf("exit(263)\n");
    fflush(stdout);
    exit(256 + 7);
}
