/* Linked only when the program's main takes arguments (clang then names it
 * __main_argc_argv and defines no __main_void). See crt/wasm32/crt1.c. */
#include <features.h>

extern hidden int __lind_argc;
extern hidden char **__lind_argv;

int __main_argc_argv(int, char **);

int __main_void(void)
{
	return __main_argc_argv(__lind_argc, __lind_argv);
}
