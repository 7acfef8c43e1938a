/* The check points `lind cc` puts in the loops of functions that call
 * setjmp (libc/llvm/signal_poll.cpp). While a thread with a handler due
 * runs such a function, the runtime raises the flag rather than sending
 * the thread into __lind_signal_entry: a handler that longjmps back into
 * that very function can only land there from one of its calls, and this
 * is one. The runtime finds the flag through the export (lind cc links
 * with --export-if-defined=__lind_signal_flag) and lowers it whenever
 * handlers have run. */
#include <features.h>
#include "syscall.h"

volatile int __lind_signal_flag;

void __lind_signal_poll(void)
{
	__lind_signal_flag = 0;
	__syscall(SYS_lind_signal_point);
}
