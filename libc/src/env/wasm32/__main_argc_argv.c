/* Linked only when the program defines neither __main_void nor
 * __main_argc_argv, i.e. its main is `int main(int, char **, char **)`,
 * which clang leaves named main. See crt/wasm32/crt1.c. */
extern char **__environ;

int main(int, char **, char **);

int __main_argc_argv(int argc, char **argv)
{
	return main(argc, argv, __environ);
}
