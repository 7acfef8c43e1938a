/* Lind wasm32 has no assembly entry point: the program entry is the C
 * function _start in crt/wasm32/crt1.c, which replaces musl's crt1.c. */
#error "crt_arch.h is not used on wasm32"
