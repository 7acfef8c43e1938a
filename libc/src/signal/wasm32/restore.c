/* sa_restorer for rt_sigaction. Lind's kernel calls signal handlers itself
 * and does the sigreturn on the host side, so this is never called; musl
 * always passes it (with SA_RESTORER). */
#include <features.h>

hidden void __restore_rt()
{
}
