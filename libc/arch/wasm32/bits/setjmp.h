/* Lind wasm32: setjmp/longjmp run on Asyncify and keep the saved stack in
 * the runtime, keyed by the jmp_buf's address; the buffer's contents are
 * not used (64 bytes keep the struct a familiar size). */
typedef unsigned long long __jmp_buf[8];
