// Returning 42 from main makes the exit status 42; _Exit and large values are tested elsewhere.
// EXIT: 42
#include <stdio.h>

int main(void)
{
    printf("returning 42\n");
    return 42;
}
