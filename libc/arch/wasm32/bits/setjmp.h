/* Lind wasm32: setjmp keeps only the setjmp site (its frame and label; see
 * src/setjmp/wasm32/setjmp.c); 64 bytes keep the struct a familiar size. */
typedef unsigned long long __jmp_buf[8];
