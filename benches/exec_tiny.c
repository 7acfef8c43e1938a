// The program proc.c's exec_small execve's: does nothing, exits 0.
int main(void)
{
	return 0;
}
