/* Lind's <setjmp.h>. The types are musl's; what differs is sigsetjmp, a
 * macro here: LLVM's setjmp lowering (see src/setjmp/wasm32/setjmp.c) only
 * handles setjmp called directly in the frame it returns to, so sigsetjmp
 * saves the mask in a helper and then calls setjmp itself. */
#ifndef _SETJMP_H
#define _SETJMP_H

#ifdef __cplusplus
extern "C" {
#endif

#include <features.h>

#include <bits/setjmp.h>

typedef struct __jmp_buf_tag {
	__jmp_buf __jb;
	unsigned long __fl;
	unsigned long __ss[128/sizeof(long)];
} jmp_buf[1];

#define __setjmp_attr __attribute__((__returns_twice__))

int setjmp (jmp_buf) __setjmp_attr;
_Noreturn void longjmp (jmp_buf, int);
#define setjmp setjmp

#if defined(_POSIX_SOURCE) || defined(_POSIX_C_SOURCE) \
 || defined(_XOPEN_SOURCE) || defined(_GNU_SOURCE) \
 || defined(_BSD_SOURCE)
typedef jmp_buf sigjmp_buf;
struct __jmp_buf_tag *__lind_sigsetjmp_save (sigjmp_buf, int);
#define sigsetjmp(buf, savemask) setjmp(__lind_sigsetjmp_save((buf), (savemask)))
_Noreturn void siglongjmp (sigjmp_buf, int);
#endif

#if defined(_XOPEN_SOURCE) || defined(_GNU_SOURCE) \
 || defined(_BSD_SOURCE)
int _setjmp (jmp_buf) __setjmp_attr;
_Noreturn void _longjmp (jmp_buf, int);
#endif

#undef __setjmp_attr

#ifdef __cplusplus
}
#endif

#endif
