//! The contract between the libc port (`libc/`) and the kernel: syscall
//! numbers, errno values, flag bits and the wasm32 layouts of the structs that
//! cross the `lind.syscall` import. Data only; semantics live in the kernel.

pub mod errno;
pub mod flags;
pub mod layout;
pub mod nr;

pub use errno::Errno;

/// Version of the ABI a module was built for. `lind cc` records it in the
/// module's `lind.abi` custom section and `lind run` refuses any other value
/// than this one and [`ABI_OLDEST`].
///
/// 3: setjmp/longjmp through `env.invoke_*` imports (LLVM's lowering)
/// instead of Asyncify; a module of 2 or older calls the `lind_setjmp` that
/// is gone; posix_spawn makes its child with `lind_spawn`. 2: the module imports its memory (`lind.memory`, shared) and may start
/// threads (`clone` of a thread, `__lind_thread_start`). 1: it defines and
/// exports an unshared memory.
pub const ABI_VERSION: u32 = 3;

/// The oldest ABI version `lind run` still runs.
pub const ABI_OLDEST: u32 = 3;

/// Name of the custom section that carries [`ABI_VERSION`] as 4 little-endian bytes.
pub const ABI_SECTION: &str = "lind.abi";

/// `lind cc` exports each function that calls setjmp as this prefix and a
/// number: a thread running one is not sent into its signal handlers but
/// raises the flag its loops check (the runtime's interrupt.rs).
pub const SETJMP_FUNCTION_EXPORT: &str = "__lind_setjmp_function.";

/// The libc's flag (an exported i32 data address) that those loops check.
pub const SIGNAL_FLAG_EXPORT: &str = "__lind_signal_flag";

/// The single import every syscall goes through:
/// `(import "lind" "syscall" (func (param i64 i64 i64 i64 i64 i64 i64) (result i64)))`.
pub const IMPORT_MODULE: &str = "lind";
/// See [`IMPORT_MODULE`].
pub const IMPORT_NAME: &str = "syscall";

/// Wasm page size; also the granularity of `brk` growth.
pub const WASM_PAGE: u64 = 65536;
/// The page size the cage sees (`getpagesize`, mmap alignment), as on x86_64.
pub const PAGE_SIZE: u64 = 4096;
