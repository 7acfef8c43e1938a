/* qsort on top of musl's __qsort_r, as musl does, but with an adapter whose
 * name `lind cc` knows (see crates/cli/src/asyncify.rs): its indirect call
 * has type (i32, i32) -> i32 and its own type is (i32, i32, i32) -> i32, the
 * types of a shell's builtins and of every FILE callback. Followed blindly,
 * that one call would mark all of stdio as able to fork. So comparators may
 * not fork or setjmp (fork fails with ENOSYS); longjmp out of one works. */
#define _BSD_SOURCE
#include <stdlib.h>
#include "libc.h"

typedef int (*compare_fn)(const void *, const void *);

static int __lind_qsort_compare(const void *a, const void *b, void *compare)
{
	return ((compare_fn)compare)(a, b);
}

extern hidden __thread int __lind_unwind_refused;

void qsort(void *base, size_t nel, size_t width, compare_fn compare)
{
	/* qsort's frames are not instrumented: a comparator that forks gets
	 * ENOSYS rather than a broken stack (see lind_unwinding.c). */
	__lind_unwind_refused++;
	__qsort_r(base, nel, width, __lind_qsort_compare, (void *)compare);
	__lind_unwind_refused--;
}
