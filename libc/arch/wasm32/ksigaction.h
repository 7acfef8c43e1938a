#include <features.h>

/* What musl passes to rt_sigaction: handler, flags (SA_RESTORER is always
 * set by musl), restorer and the 8-byte kernel sigset; 20 bytes on wasm32. */
struct k_sigaction {
	void (*handler)(int);
	unsigned long flags;
	void (*restorer)(void);
	unsigned mask[2];
};

hidden void __restore_rt();
#define __restore __restore_rt
