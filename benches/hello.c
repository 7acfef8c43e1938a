// Start-up benchmark: the smallest useful program (stdio, one line, exit 0).
#include <stdio.h>

int main(void)
{
	printf("hello, world\n");
	return 0;
}
