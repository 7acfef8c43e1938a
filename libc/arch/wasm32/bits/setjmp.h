/* Lind wasm32: setjmp/longjmp will be built on Asyncify (see DESIGN.md);
 * 64 bytes leave room for what that needs. Today setjmp returns 0 and
 * longjmp aborts. */
typedef unsigned long long __jmp_buf[8];
