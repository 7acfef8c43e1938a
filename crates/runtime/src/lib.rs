//! Lind's wasmtime embedding. The only crate with wasmtime and `unsafe`.
//!
//! It loads modules built by `lind cc`, instantiates one per cage, routes
//! the single `lind.syscall` import into the kernel and turns traps into the
//! signal that kills the cage.

mod cache;
mod cow;
mod fork;
mod host_signals;
mod host_threads;
mod interrupt;
mod lines;
mod memory;
mod sigbus;
mod signal;
mod sjlj;
mod trap;
pub mod wasm_sections;

pub use host_signals::forward_to as forward_host_signals;

use lind_abi::{ABI_OLDEST, ABI_SECTION, ABI_VERSION, IMPORT_MODULE, IMPORT_NAME};
use lind_kernel::{cage::ExitStatus, syscall, Cage, Kernel};
use memory::Mem;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use wasmtime::{bail, error::Context as _, format_err, Result};
use wasmtime::{Caller, Config, Engine, Instance, Linker, Module, SharedMemory, Store};

pub use trap::describe_signal;
/// The runtime's error type (wasmtime's own, as DESIGN.md notes).
pub use wasmtime::Error;

/// Per-cage store data.
pub struct CageState {
    kernel: Arc<Kernel>,
    cage: Arc<Cage>,
    /// The thread this store runs (the pid for the cage's main thread).
    tid: i32,
    /// For a thread made by clone: the block its instance was entered with
    /// (`__lind_thread_start(block)`), where a child it forks starts too.
    thread_block: Option<i32>,
    memory: Option<Mem>,
    /// Its mprotect'ed pages, checked before the kernel copies.
    protections: Option<Arc<cow::Protections>>,
    /// The function table and stack pointer, for running signal handlers.
    table: Option<wasmtime::Table>,
    stack_pointer: Option<wasmtime::Global>,
    /// This instance's `__tls_base` (exported by `lind cc`): a child whose
    /// memory is adopted before instantiation does not set it itself.
    tls_base: Option<wasmtime::Global>,
    /// The libc's `__lind_signal_entry`, which a thread of unchecked code
    /// is sent into to run its handlers (interrupt.rs).
    signal_entry: Option<wasmtime::Func>,
    /// Where the functions that call setjmp are compiled and their
    /// function indices (both sorted), and the address of the flag their
    /// loops check (`lind cc` exports both; interrupt.rs): 4 aligned bytes
    /// inside the memory, checked once here (memory only grows).
    setjmp_code: Vec<usize>,
    setjmp_indices: Vec<u32>,
    signal_flag: Option<u32>,
    /// How many signal handlers are running (nested in host frames, which
    /// Asyncify cannot unwind through).
    handler_depth: u32,
    /// How many `invoke_*` calls are running: a longjmp raised under one
    /// is caught there (sjlj.rs), so it needs no backtrace.
    invoke_depth: u32,
    /// The module's Asyncify exports, if `lind cc` instrumented it.
    asyncify: Option<fork::Asyncify>,
    /// A trap's fault handler returned (or there was none): the trap now
    /// ends the cage, and no invoke offers it again (sjlj.rs).
    fault_offered: bool,
    /// The child a fork is unwinding the guest's stack for.
    pending: Option<Arc<Cage>>,
    /// What the syscall returns when the rewind reaches it again.
    rewind_value: Option<i64>,
    /// The program, for forked children.
    module: Option<Module>,
    /// For starting the cage's threads.
    runtime: Runtime,
}

/// The error that unwinds every wasm frame when a cage or thread ends or
/// execs. It carries an empty backtrace, so that wasmtime captures none
/// (no report shows one; a thread's exit spent ~8% of a create+join
/// naming the frames).
fn leave_guest(why: impl std::error::Error + Send + Sync + 'static) -> wasmtime::Error {
    trap::without_backtrace(wasmtime::Error::new(why))
}

/// Raised from the syscall import to unwind the guest when the cage ends.
#[derive(Debug)]
struct CageExit(ExitStatus);

impl std::fmt::Display for CageExit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cage exited: {:?}", self.0)
    }
}

impl std::error::Error for CageExit {}

/// Raised from the syscall import when one thread of a cage ends (its
/// `exit`, or the other threads being ended for exec).
#[derive(Debug)]
struct ThreadExit;

impl std::fmt::Display for ThreadExit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "thread exited")
    }
}

impl std::error::Error for ThreadExit {}

/// Raised from the syscall import by `longjmp(env, value)`, and caught by
/// the innermost `invoke_*` call (sjlj.rs).
#[derive(Debug)]
struct CageLongjmp(u32);

impl std::fmt::Display for CageLongjmp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "longjmp to jmp_buf {:#x}, whose setjmp is no longer running",
            self.0
        )
    }
}

impl std::error::Error for CageLongjmp {}

/// Raised from the syscall import to leave the old program after `execve`.
struct CageExec(Module);

impl std::fmt::Debug for CageExec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CageExec")
    }
}

impl std::fmt::Display for CageExec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cage replaced its program")
    }
}

impl std::error::Error for CageExec {}

/// How a cage ended, and the one-line-plus-backtrace message to show the
/// user when it was killed.
pub struct CageEnd {
    pub status: ExitStatus,
    pub report: Option<String>,
    /// The cage died of its own fault (a trap) or of a runtime failure,
    /// not of exit or a signal another cage sent.
    pub fault: bool,
}

pub struct RuntimeOptions {
    /// Where compiled modules are kept between runs; `None` disables it.
    pub cache_dir: Option<PathBuf>,
    /// Compile for a native debugger (`lind run --debug`): wasmtime turns
    /// the module's DWARF into DWARF for the generated machine code and
    /// registers it with GDB's JIT interface, so `gdb --args lind run
    /// --debug prog.wasm` can break on C functions, step by line and print
    /// variables. Code is compiled without optimisation, so every wasm
    /// local stays where the debugger looks for it. Cached separately.
    pub debug: bool,
}

impl Default for RuntimeOptions {
    fn default() -> Self {
        RuntimeOptions {
            cache_dir: cache::default_dir(),
            debug: false,
        }
    }
}

/// An engine and what instances of its modules are made with.
#[derive(Clone)]
struct Flavor {
    engine: Engine,
    linker: Linker<CageState>,
    /// A module that only defines and exports a shared memory: cage
    /// memories are made by instantiating it (so they come from our
    /// `MemoryCreator`, cow.rs) and handed to the program's instances.
    memory_module: Module,
}

impl Flavor {
    fn new(config: &Config) -> Result<Self> {
        let engine = Engine::new(config)?;
        let mut linker = Linker::new(&engine);
        linker.func_wrap(IMPORT_MODULE, IMPORT_NAME, syscall_import)?;
        let memory_module = Module::new(&engine, MEMORY_MODULE)?;
        Ok(Flavor {
            engine,
            linker,
            memory_module,
        })
    }
}

#[derive(Clone)]
pub struct Runtime {
    /// Code with wasmtime's epoch checks, for `--debug` and for programs
    /// that can install a signal handler but have no way to be sent into
    /// it (built before `__lind_signal_entry`).
    checked: Flavor,
    /// Code without them, for the others (interrupt.rs).
    unchecked: Flavor,
    debug: bool,
    cache_dir: Option<PathBuf>,
    /// Programs that a thread other than the main one exec'd, by pid,
    /// waiting for the cage's main host thread to take them over.
    exec_handoffs: Arc<parking_lot::Mutex<std::collections::HashMap<i32, ExecHandoff>>>,
}

/// An execve made by a thread other than the main one: the main thread
/// carries it out (its host thread runs the cage's program), as Linux makes
/// the exec'ing thread the thread-group leader.
struct ExecHandoff {
    module: Module,
    argv: Vec<Vec<u8>>,
    envp: Vec<Vec<u8>>,
}

/// `(module (memory (export "memory") 1 65536 shared))`.
const MEMORY_MODULE: &[u8] = &[
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
    0x05, 0x06, 0x01, 0x03, 0x01, 0x80, 0x80, 0x04, // memory: shared, min 1, max 65536
    0x07, 0x0a, 0x01, 0x06, b'm', b'e', b'm', b'o', b'r', b'y', 0x02, 0x00, // export
];

/// Whether compiled code polls the epoch (on unless `LIND_NO_EPOCH` is set
/// to something other than `0`). A benchmark-only switch, to measure what
/// the poll points cost: without them a cage that computes without
/// syscalls gets no signal, and is neither stopped nor killed, until its
/// next syscall. Compiled modules are cached apart (wasmtime's
/// compatibility hash covers the setting).
fn epoch_enabled() -> bool {
    std::env::var_os("LIND_NO_EPOCH").is_none_or(|v| v.is_empty() || v == "0")
}

/// Whether every module gets epoch checks, even one that cannot install a
/// signal handler (`LIND_ALWAYS_EPOCH` set to something other than `0`):
/// a benchmark-only switch, to measure what the checks cost the programs
/// that need them.
fn always_epoch() -> bool {
    std::env::var_os("LIND_ALWAYS_EPOCH").is_some_and(|v| !v.is_empty() && v != "0")
}

/// How often a running cage checks whether it must stop.
const EPOCH_TICK: std::time::Duration = std::time::Duration::from_millis(10);

/// Wasm frames get this much native stack; deep C recursion traps as a
/// stack overflow (SIGSEGV) beyond it instead of crashing the host.
const MAX_WASM_STACK: usize = 8 << 20;
/// The host thread that runs a cage has room for the wasm stack plus the
/// kernel's own frames.
pub const CAGE_THREAD_STACK: usize = MAX_WASM_STACK + (8 << 20);

impl Runtime {
    pub fn new(opts: RuntimeOptions) -> Result<Self> {
        let checked = Flavor::new(&Self::config(&opts, epoch_enabled()))?;
        let unchecked = if opts.debug {
            checked.clone()
        } else {
            Flavor::new(&Self::config(&opts, false))?
        };
        let ticker = checked.engine.weak();
        let epochs = epoch_enabled();
        std::thread::Builder::new()
            .name("lind-epoch".into())
            .spawn(move || {
                while let Some(engine) = ticker.upgrade() {
                    if epochs {
                        engine.increment_epoch();
                    }
                    drop(engine);
                    interrupt::tick();
                    std::thread::sleep(EPOCH_TICK);
                }
            })
            .context("cannot start the epoch thread")?;
        Ok(Runtime {
            checked,
            unchecked,
            debug: opts.debug,
            cache_dir: opts.cache_dir,
            exec_handoffs: Default::default(),
        })
    }

    fn config(opts: &RuntimeOptions, epochs: bool) -> Config {
        let mut config = Config::new();
        config
            // File:line in every captured backtrace costs an addr2line
            // context per trap (each longjmp and exit is one); reports look
            // lines up themselves (lines.rs). The debugger keeps them.
            .wasm_backtrace_details(if opts.debug {
                wasmtime::WasmBacktraceDetails::Enable
            } else {
                wasmtime::WasmBacktraceDetails::Disable
            })
            .async_stack_size(MAX_WASM_STACK + (1 << 20))
            .max_wasm_stack(MAX_WASM_STACK)
            .cranelift_opt_level(wasmtime::OptLevel::Speed)
            // Lets a cage that computes without syscalls get its signal
            // handlers (and be stopped or killed).
            .epoch_interruption(epochs)
            // Threads: atomics, and one shared memory per cage that every
            // thread's instance imports.
            .wasm_threads(true)
            .shared_memory(true)
            // Cage memories are memfd-backed so fork can share them
            // copy-on-write (cow.rs).
            .with_host_memory(Arc::new(cow::CowMemoryCreator))
            // wasmtime's own image-based initialisation needs its own
            // mmap memories; data segments are copied in instead.
            .memory_init_cow(false);
        // `LIND_PROFILE=perfmap`: /tmp/perf-<pid>.map names the compiled
        // wasm functions for `perf report` (a profiling aid).
        if std::env::var_os("LIND_PROFILE").is_some_and(|v| v == "perfmap") {
            config.profiler(wasmtime::ProfilingStrategy::PerfMap);
        }
        if opts.debug {
            config
                .debug_info(true)
                .cranelift_opt_level(wasmtime::OptLevel::None);
        }
        config
    }

    /// Compiles (or fetches from the cache) a checked module, on the engine
    /// its code needs: without epoch checks when this host can interrupt
    /// such code and the module either cannot install a signal handler or
    /// can be sent into its handlers (interrupt.rs).
    fn compile(&self, bytes: &[u8]) -> Result<Module> {
        let dir = self.cache_dir.as_deref();
        if !self.debug
            && interrupt::SUPPORTED
            && !always_epoch()
            && (interrupt::has_signal_entry(bytes) || !interrupt::may_install_handlers(bytes))
        {
            let module = cache::load_or_compile(&self.unchecked.engine, dir, bytes)?;
            if interrupt::CodeMap::record(&module) {
                tracing::debug!("compiled without epoch checks");
                lines::remember(&module, bytes);
                return Ok(module);
            }
        }
        tracing::debug!("compiled with epoch checks");
        let module = cache::load_or_compile(&self.checked.engine, dir, bytes)?;
        // Not to interrupt it: its instances find their setjmp functions'
        // indices there.
        interrupt::CodeMap::record(&module);
        lines::remember(&module, bytes);
        Ok(module)
    }

    /// The flavor `module` was compiled for.
    fn flavor(&self, module: &Module) -> &Flavor {
        if Engine::same(module.engine(), &self.unchecked.engine) {
            &self.unchecked
        } else {
            &self.checked
        }
    }

    /// Whether `module` runs without epoch checks.
    fn unchecked(&self, module: &Module) -> bool {
        !self.debug && Engine::same(module.engine(), &self.unchecked.engine)
    }

    /// Reads, checks and compiles (or fetches from the cache) a module.
    pub fn load(&self, path: &Path) -> Result<Module> {
        let bytes =
            std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        check_lind_module(&bytes).map_err(|e| format_err!("{}: {e}", path.display()))?;
        self.compile(&bytes)
            .with_context(|| format!("cannot compile {}", path.display()))
    }

    /// Runs `cage` to completion on the current thread and returns how it
    /// ended. Guest faults end only this cage; the kernel learns of the end
    /// (zombie, EOF on its pipes) before this returns.
    pub fn run(&self, kernel: Arc<Kernel>, cage: Arc<Cage>, module: &Module) -> Result<CageEnd> {
        let end = self.run_programs(kernel.clone(), cage.clone(), module.clone(), None);
        kernel.exit_cage(&cage, end.status);
        Ok(end)
    }

    /// Runs the cage's program, then each program `execve` replaces it
    /// with, until the cage ends. A forked child starts from its parent's
    /// snapshot instead of from the top. This is the cage's main thread:
    /// when it ends, the cage's other threads are ended and waited for.
    fn run_programs(
        &self,
        kernel: Arc<Kernel>,
        cage: Arc<Cage>,
        module: Module,
        snapshot: Option<fork::Snapshot>,
    ) -> CageEnd {
        let (mut module, mut snapshot) = (module, snapshot);
        let end = loop {
            match self.run_main_thread(kernel.clone(), cage.clone(), module, snapshot.take()) {
                Some(end) => {
                    // The others stop at their next syscall or epoch tick.
                    cage.request_exit(end.status);
                    break end;
                }
                // The main thread called exit(2) while others ran: the cage
                // ends with the last of them, or another thread's exec
                // brings its host thread back.
                None => match self.wait_main_gone(&kernel, &cage) {
                    Ok(status) => {
                        break CageEnd {
                            status,
                            report: None,
                            fault: false,
                        }
                    }
                    Err(next) => {
                        // No store of the old image is left to walk its
                        // robust lists with; they mean nothing in the new one.
                        cage.threads.lock().robust.clear();
                        module = next
                    }
                },
            }
        };
        cage.wait_other_hosts();
        end
    }

    /// While the main thread is gone: the cage's exit status once it must
    /// end, or the program another thread exec'd.
    fn wait_main_gone(
        &self,
        kernel: &Kernel,
        cage: &Arc<Cage>,
    ) -> std::result::Result<ExitStatus, Module> {
        loop {
            if let Some(status) = cage.exit_requested() {
                return Ok(status);
            }
            if let Some(module) = self.take_exec_handoff(kernel, cage) {
                return Err(module);
            }
            let mut t = cage.threads.lock();
            if cage.exit_requested().is_none() && !cage.stopping() {
                cage.threads_changed
                    .wait_for(&mut t, std::time::Duration::from_millis(50));
            }
        }
    }

    /// Called on the main thread's host thread: if another thread exec'd,
    /// ends the remaining threads, commits the exec and returns the new
    /// program.
    fn take_exec_handoff(&self, kernel: &Kernel, cage: &Arc<Cage>) -> Option<Module> {
        if !cage.stopping() {
            return None;
        }
        let handoff = self.exec_handoffs.lock().remove(&cage.pid)?;
        cage.wait_other_hosts();
        cage.set_stopping(false);
        cage.become_single_threaded();
        let closed = cage.commit_exec(handoff.argv, handoff.envp);
        kernel.close_entries(cage, closed);
        Some(handoff.module)
    }

    /// `None` when the main thread exited alone (exit(2) with other
    /// threads still running).
    fn run_main_thread(
        &self,
        kernel: Arc<Kernel>,
        cage: Arc<Cage>,
        mut module: Module,
        mut snapshot: Option<fork::Snapshot>,
    ) -> Option<CageEnd> {
        let pid = cage.pid;
        lind_kernel::block::enter(cage.clone());
        loop {
            // A forked child's imported memory gets the parent's pages first.
            // (It must export `__tls_base`, which the skipped start function
            // would have set, so the parent's value can be put back.)
            let imports_memory = module
                .imports()
                .any(|i| matches!(i.ty(), wasmtime::ExternType::Memory(_)));
            let exports_tls_base = module.exports().any(|e| e.name() == "__tls_base");
            let memory = match snapshot.as_mut() {
                Some(snap) if imports_memory && exports_tls_base => {
                    match self
                        .new_memory(&module, &cage)
                        .and_then(|m| snap.adopt_early(&m).map(|()| m))
                    {
                        Ok(m) => Some(m),
                        Err(e) => return Some(runtime_failure(pid, e)),
                    }
                }
                _ => None,
            };
            let (mut store, instance) =
                match self.instantiate(kernel.clone(), cage.clone(), &module, pid, memory) {
                    Ok(x) => x,
                    Err(e) => return Some(runtime_failure(pid, e)),
                };
            // A child forked by a thread other than the main one is that
            // thread: it is rewound through the thread's entry point. A
            // child of lind_spawn is not rewound: it starts at the libc's
            // `__lind_spawn_start(arg)`.
            let thread_block = snapshot.as_ref().and_then(|s| s.thread_block);
            let spawn_arg = snapshot.as_ref().and_then(|s| s.spawn_arg);
            let resume = match snapshot.take() {
                Some(snap) => match snap.restore(&mut store, &instance) {
                    Ok(()) => spawn_arg.is_none().then_some(0),
                    Err(e) => return Some(runtime_failure(pid, e)),
                },
                None => match fresh_memory_map(&mut store, &instance) {
                    Ok(()) => None,
                    Err(e) => return Some(runtime_failure(pid, e)),
                },
            };
            let entry = match (spawn_arg, thread_block) {
                (Some(arg), _) => instance
                    .get_typed_func::<i32, ()>(&mut store, "__lind_spawn_start")
                    .map(|f| Entry::Thread(f, arg as i32)),
                (None, Some(block)) => instance
                    .get_typed_func::<i32, ()>(&mut store, "__lind_thread_start")
                    .map(|f| Entry::Thread(f, block)),
                (None, None) => instance
                    .get_typed_func::<(), ()>(&mut store, "_start")
                    .map(Entry::Start),
            };
            let start = match entry {
                Ok(entry) => {
                    store.data_mut().thread_block = thread_block;
                    entry
                }
                Err(_) => {
                    return Some(CageEnd {
                        status: ExitStatus::Exited(127),
                        report: Some(format!(
                            "lind: cage {pid}: module has no `_start`; rebuild it with `lind cc`"
                        )),
                        fault: true,
                    })
                }
            };
            match self.drive(&mut store, start, resume) {
                Drive::Ended(end) => {
                    // A cage ended by a signal or a trap (not exit_group)
                    // still releases its robust mutexes, before its parent
                    // can learn of its end.
                    if let Some(mem) = store.data().memory.clone() {
                        kernel.release_all_robust(&cage, &mut memory::EndMemory::new(&store, mem));
                    }
                    return Some(end);
                }
                Drive::ThreadExited => return None,
                Drive::Exec(next) => {
                    // exec releases the robust mutexes the old image's
                    // threads hold, as Linux does, while its memory is
                    // still there to walk.
                    if let Some(mem) = store.data().memory.clone() {
                        kernel.release_all_robust(&cage, &mut memory::EndMemory::new(&store, mem));
                    }
                    module = next
                }
            }
        }
    }

    /// Makes a store and an instance of `module` for thread `tid` of
    /// `cage`. A module that imports its memory gets `memory` (another
    /// thread's) or a fresh one.
    fn instantiate(
        &self,
        kernel: Arc<Kernel>,
        cage: Arc<Cage>,
        module: &Module,
        tid: i32,
        memory: Option<SharedMemory>,
    ) -> Result<(Store<CageState>, Instance)> {
        let mut store = Store::new(
            module.engine(),
            CageState {
                kernel,
                cage,
                tid,
                thread_block: None,
                memory: None,
                protections: None,
                asyncify: None,
                table: None,
                stack_pointer: None,
                tls_base: None,
                signal_entry: None,
                setjmp_code: Vec::new(),
                setjmp_indices: Vec::new(),
                signal_flag: None,
                handler_depth: 0,
                invoke_depth: 0,
                pending: None,
                fault_offered: false,
                rewind_value: None,
                module: Some(module.clone()),
                runtime: self.clone(),
            },
        );
        store.set_epoch_deadline(1);
        store.epoch_deadline_callback(|mut ctx| {
            if let Some(status) = ctx.data().cage.exit_requested() {
                return Err(leave_guest(CageExit(status)));
            }
            if ctx.data().cage.stopping() {
                let (cage, kernel) = (ctx.data().cage.clone(), ctx.data().kernel.clone());
                if ctx.data().tid != cage.pid {
                    return Err(leave_guest(ThreadExit));
                }
                if let Some(module) = ctx.data().runtime.take_exec_handoff(&kernel, &cage) {
                    return Err(leave_guest(CageExec(module)));
                }
            }
            // A cage computing without syscalls still stops and gets its
            // handlers, within one epoch tick.
            let cage = ctx.data().cage.clone();
            if cage.stop_pending() || cage.is_stopped() {
                ctx.data().kernel.stop_point(&cage);
                if let Some(status) = cage.exit_requested() {
                    return Err(leave_guest(CageExit(status)));
                }
            }
            if cage.handler_pending_for(ctx.data().tid) {
                if signal::leave_to_check_point(&mut ctx) {
                    return Ok(wasmtime::UpdateDeadline::Continue(1));
                }
                // wasmtime sets this callback aside while it runs, so the
                // handler must not reach a deadline meanwhile.
                ctx.set_epoch_deadline(1 << 40);
                signal::deliver(&mut ctx)?;
            }
            Ok(wasmtime::UpdateDeadline::Continue(1))
        });
        let imports_memory = module
            .imports()
            .any(|i| matches!(i.ty(), wasmtime::ExternType::Memory(_)));
        // The syscall import is the flavor's; the setjmp lowering's invokes
        // (and an imported memory) are this module's.
        let mut linker = self.flavor(module).linker.clone();
        sjlj::define_invokes(&mut linker, module)?;
        let instance = if imports_memory {
            let shared = match memory {
                Some(m) => m,
                None => self.new_memory(module, &store.data().cage.clone())?,
            };
            linker.define(
                &store,
                IMPORT_MODULE,
                "memory",
                wasmtime::Extern::SharedMemory(shared.clone()),
            )?;
            let instance = linker.instantiate(&mut store, module)?;
            store.data_mut().memory = Some(Mem::Shared(shared));
            instance
        } else {
            let instance = linker.instantiate(&mut store, module)?;
            let memory = instance
                .get_memory(&mut store, "memory")
                .context("module does not export its memory; rebuild it with `lind cc`")?;
            // `lind run --max-memory`, as `new_memory` caps a shared one
            // (a forked child's too: it is instantiated the same way).
            let cap = store.data().cage.mm.lock().limits.memory;
            cow::set_limit(memory.data_ptr(&store), cap as usize);
            store.data_mut().memory = Some(Mem::Plain(memory));
            instance
        };
        let base = store.data().memory.as_ref().map(|m| m.base(&store));
        store.data_mut().protections = base.and_then(|b| cow::protections(b));
        store.data_mut().table = instance.get_table(&mut store, "__indirect_function_table");
        store.data_mut().stack_pointer = instance.get_global(&mut store, "__stack_pointer");
        store.data_mut().tls_base = instance.get_global(&mut store, "__tls_base");
        store.data_mut().signal_entry = instance.get_func(&mut store, "__lind_signal_entry");
        let (code, indices) = Self::setjmp_functions(module, &instance, &mut store);
        store.data_mut().setjmp_code = code;
        store.data_mut().setjmp_indices = indices;
        let size = store.data().memory.as_ref().map_or(0, |m| m.size(&store));
        store.data_mut().signal_flag = instance
            .get_global(&mut store, lind_abi::SIGNAL_FLAG_EXPORT)
            .and_then(|g| g.get(&mut store).i32())
            .map(|addr| addr as u32)
            .filter(|&addr| addr.is_multiple_of(4) && u64::from(addr) + 4 <= size);
        store.data_mut().asyncify = fork::Asyncify::find(&instance, &mut store);
        Ok((store, instance))
    }

    /// A fresh cage memory, as large as `module` asks for at first. It is
    /// made in a store of its own: a store that uses a shared memory holds
    /// one host instance for it, and wasmtime's trap handling requires that
    /// no two instances of a store hold the same memory.
    fn new_memory(&self, module: &Module, cage: &Cage) -> Result<SharedMemory> {
        let min = module
            .imports()
            .find_map(|i| match i.ty() {
                wasmtime::ExternType::Memory(m) => Some(m.minimum()),
                _ => None,
            })
            .unwrap_or(1);
        let flavor = self.flavor(module);
        let mut store = Store::new(&flavor.engine, ());
        let instance = Instance::new(&mut store, &flavor.memory_module, &[])?;
        let shared = instance
            .get_shared_memory(&mut store, "memory")
            .context("the memory module exports no shared memory")?;
        // `lind run --max-memory`: the memory itself refuses to grow past
        // it, memory.grow instructions included.
        let cap = cage.mm.lock().limits.memory;
        cow::set_limit(shared.data().as_ptr() as *const u8, cap as usize);
        let have = shared.data_size() as u64 / lind_abi::WASM_PAGE;
        if min > have {
            if min * lind_abi::WASM_PAGE > cap {
                bail!(
                    "the program needs {} KiB of memory to start, more than --max-memory allows ({} KiB)",
                    min * lind_abi::WASM_PAGE / 1024,
                    cap / 1024
                );
            }
            shared.grow(min - have)?;
        }
        Ok(shared)
    }

    /// For a thread of unchecked code: registers it so that it can be
    /// stopped and ended (interrupt.rs) while it runs.
    fn interruptible(&self, store: &mut Store<CageState>) -> Option<interrupt::Guard> {
        let module = store.data().module.clone()?;
        if !self.unchecked(&module) {
            return None;
        }
        let code = interrupt::CodeMap::recorded(&module)?;
        let signal_entry = store
            .data()
            .signal_entry
            .and_then(|f| interrupt::WasmEntry::of(&f, &mut *store));
        let setjmp = self.setjmp_check(store);
        let state = store.data();
        let handoffs = self.exec_handoffs.clone();
        let pid = state.cage.pid;
        Some(interrupt::enter(interrupt::Running::new(
            state.cage.clone(),
            state.kernel.clone(),
            state.tid,
            code,
            signal_entry,
            setjmp,
            Box::new(move || handoffs.lock().contains_key(&pid)),
        )))
    }

    /// Where the functions that call setjmp are compiled, and the host
    /// address of the flag their loops check, if the module has both.
    fn setjmp_check(&self, store: &mut Store<CageState>) -> Option<interrupt::SetjmpCheck> {
        let addr = store.data().signal_flag?;
        let memory = store.data().memory.clone()?;
        let flag = memory.base(&*store) as usize + addr as usize;
        Some(interrupt::SetjmpCheck::new(
            store.data().setjmp_code.clone(),
            flag,
        ))
    }

    /// Where the functions `lind cc` exported as calling setjmp are compiled,
    /// and their function indices, both sorted.
    fn setjmp_functions(
        module: &Module,
        instance: &Instance,
        store: &mut Store<CageState>,
    ) -> (Vec<usize>, Vec<u32>) {
        let functions: Vec<wasmtime::Func> = module
            .exports()
            .filter(|e| e.name().starts_with(lind_abi::SETJMP_FUNCTION_EXPORT))
            .filter_map(|e| instance.get_func(&mut *store, e.name()))
            .collect();
        let mut code: Vec<usize> = functions
            .iter()
            .filter_map(|f| interrupt::code_address(f, &mut *store))
            .collect();
        code.sort_unstable();
        if code.is_empty() {
            return (code, Vec::new());
        }
        let mut indices: Vec<u32> = match interrupt::CodeMap::recorded(module) {
            Some(map) => code.iter().filter_map(|&c| map.index_at(c)).collect(),
            // Code with epoch checks has no map: walk its functions.
            None => {
                let text = module.text().as_ptr() as usize;
                module
                    .functions()
                    .filter(|f| code.binary_search(&(text + f.offset)).is_ok())
                    .map(|f| f.index.as_u32())
                    .collect()
            }
        };
        indices.sort_unstable();
        (code, indices)
    }

    /// A call into the module made by the runtime itself failed (Asyncify's
    /// exports): a runtime failure, unless interrupt.rs ended it.
    fn failed(
        &self,
        store: &mut Store<CageState>,
        interruptible: Option<&interrupt::Guard>,
        err: wasmtime::Error,
    ) -> Drive {
        if interruptible.is_some_and(|g| g.redirected()) {
            return self.interrupted(store, err);
        }
        Drive::Ended(runtime_failure(store.data().cage.pid, err))
    }

    /// How a thread ends that interrupt.rs sent to a trap: as the cage's
    /// state asks (the trap itself means nothing).
    fn interrupted(&self, store: &mut Store<CageState>, err: wasmtime::Error) -> Drive {
        let (kernel, cage, tid) = {
            let s = store.data();
            (s.kernel.clone(), s.cage.clone(), s.tid)
        };
        if let Some(status) = cage.exit_requested() {
            return Drive::Ended(ended(cage.pid, leave_guest(CageExit(status))));
        }
        if tid != cage.pid {
            return Drive::ThreadExited;
        }
        match self.take_exec_handoff(&kernel, &cage) {
            Some(module) => Drive::Exec(module),
            None => Drive::Ended(ended(cage.pid, err)),
        }
    }

    /// Calls the entry point — first to start the program or thread, later
    /// to rewind it after a fork unwound its stack — until the
    /// thread ends.
    fn drive(&self, store: &mut Store<CageState>, entry: Entry, mut resume: Option<i64>) -> Drive {
        let pid = store.data().cage.pid;
        let interruptible = self.interruptible(&mut *store);
        loop {
            if let Some(value) = resume.take() {
                if let Err(e) = fork::start_rewind(store, value) {
                    return self.failed(store, interruptible.as_ref(), e);
                }
            }
            let r = match &entry {
                Entry::Start(f) => f.call(&mut *store, ()),
                Entry::Thread(f, block) => f.call(&mut *store, *block),
            };
            // A fork's unwind goes on (finish_unwind stops it); anything
            // else under way ended with the call.
            if r.is_err() || store.data().pending.is_none() {
                interrupt::set_asyncify_busy(false);
            }
            match r {
                Ok(()) => match store.data_mut().pending.take() {
                    Some(child) => match fork::finish_unwind(self, store, child) {
                        Ok(value) => resume = Some(value),
                        Err(e) => return self.failed(store, interruptible.as_ref(), e),
                    },
                    None => {
                        return Drive::Ended(CageEnd {
                            status: ExitStatus::Exited(0),
                            report: None,
                            fault: false,
                        })
                    }
                },
                Err(err) => {
                    if let Some(exec) = err.downcast_ref::<CageExec>() {
                        return Drive::Exec(exec.0.clone());
                    }
                    if err.downcast_ref::<ThreadExit>().is_some() {
                        return Drive::ThreadExited;
                    }
                    if interruptible.as_ref().is_some_and(|g| g.redirected()) {
                        return self.interrupted(store, err);
                    }
                    // A trap is a fault signal the program may catch (unless
                    // an invoke already offered it); its handler can
                    // longjmp out only to a setjmp whose invoke is still
                    // running, so here it can only exit.
                    let err = sjlj::offer_fault(store, err);
                    if err.downcast_ref::<CageLongjmp>().is_some() {
                        return Drive::Ended(runtime_failure(pid, err));
                    }
                    return Drive::Ended(ended(pid, err));
                }
            }
        }
    }

    /// Runs a forked child on its own thread: a fresh instance of the
    /// parent's module, the parent's memory and stack pointer, rewound to
    /// the `fork` call, which returns 0 there.
    fn spawn_child(
        &self,
        child: Arc<Cage>,
        module: Module,
        snapshot: fork::Snapshot,
    ) -> Result<()> {
        let runtime = self.clone();
        let kernel = snapshot.kernel.clone();
        host_threads::spawn(
            format!("cage-{}", child.pid),
            CAGE_THREAD_STACK,
            move || {
                let end =
                    runtime.run_programs(kernel.clone(), child.clone(), module, Some(snapshot));
                // A child's fault is worth a backtrace; a child killed by a
                // signal is its parent's business (wait reports it), as
                // natively.
                if let (Some(report), true) = (&end.report, end.fault) {
                    eprintln!("{report}");
                }
                kernel.exit_cage(&child, end.status);
            },
        )
        .context("cannot start a thread for the child cage")?;
        Ok(())
    }

    /// Starts thread `t` of the cage `caller` runs, on its own host thread:
    /// a new instance of the module over the same shared memory, entered at
    /// `__lind_thread_start(stack)` with `stack` as its stack pointer.
    fn spawn_thread(
        &self,
        caller: &mut Caller<'_, CageState>,
        t: syscall::thread::NewThread,
    ) -> Result<()> {
        let state = caller.data();
        let (kernel, cage) = (state.kernel.clone(), state.cage.clone());
        let Some(Mem::Shared(memory)) = state.memory.clone() else {
            bail!("the module has no shared memory (built by an older `lind cc`)");
        };
        let module = state.module.clone().context("no module")?;
        let runtime = self.clone();
        cage.host_started();
        let spawned =
            host_threads::spawn(format!("cage-{}-{}", cage.pid, t.tid), CAGE_THREAD_STACK, {
                let cage = cage.clone();
                move || {
                    lind_kernel::block::enter_thread(cage.clone(), t.tid);
                    let end = runtime.run_thread(kernel, cage.clone(), module, memory, t);
                    if let Some(end) = end {
                        // A fault in any thread kills the cage; so does a
                        // thread that returns from its entry (it cannot).
                        if let (Some(report), true) = (&end.report, end.fault) {
                            eprintln!("{report}");
                        }
                        cage.request_exit(end.status);
                    }
                    cage.host_ended();
                }
            });
        if let Err(e) = spawned {
            cage.host_ended();
            bail!("cannot start a host thread: {e}");
        }
        Ok(())
    }

    /// Runs one thread of a cage; `None` when it ended alone (exit(2)).
    fn run_thread(
        &self,
        kernel: Arc<Kernel>,
        cage: Arc<Cage>,
        module: Module,
        memory: SharedMemory,
        t: syscall::thread::NewThread,
    ) -> Option<CageEnd> {
        let pid = cage.pid;
        let setup = || -> Result<(Store<CageState>, Entry)> {
            let (mut store, instance) =
                self.instantiate(kernel, cage.clone(), &module, t.tid, Some(memory))?;
            store.data_mut().thread_block = Some(t.stack as i32);
            let sp = store
                .data()
                .stack_pointer
                .context("module does not export __stack_pointer")?;
            sp.set(&mut store, wasmtime::Val::I32(t.stack as i32))?;
            let entry = instance
                .get_typed_func::<i32, ()>(&mut store, "__lind_thread_start")
                .context("module has no `__lind_thread_start`; rebuild it with `lind cc`")?;
            Ok((store, Entry::Thread(entry, t.stack as i32)))
        };
        let (mut store, entry) = match setup() {
            Ok(x) => x,
            Err(e) => return Some(runtime_failure(pid, e)),
        };
        match self.drive(&mut store, entry, None) {
            Drive::Ended(end) => Some(end),
            Drive::ThreadExited => None,
            Drive::Exec(_) => Some(runtime_failure(
                pid,
                format_err!("execve from a thread other than the main one is not supported"),
            )),
        }
    }
}

/// Where a thread's instance is entered.
enum Entry {
    /// The program's `_start`.
    Start(wasmtime::TypedFunc<(), ()>),
    /// libc's `__lind_thread_start(block)` for a thread made by clone.
    Thread(wasmtime::TypedFunc<i32, ()>, i32),
}

/// How one program in a cage stopped running.
enum Drive {
    Ended(CageEnd),
    /// `execve` succeeded: run this module next, in the same cage.
    Exec(Module),
    /// The thread called exit(2), or was ended for another's exec; the
    /// cage goes on.
    ThreadExited,
}

/// Sets up the memory map of a program that starts from the top.
fn fresh_memory_map(store: &mut Store<CageState>, instance: &Instance) -> Result<()> {
    // A module with a memory of its own leaves initialising it to us (see
    // `lind cc`'s own_memory.rs): a forked child's memory is its parent's.
    if let Ok(init) = instance.get_typed_func::<(), ()>(&mut *store, INIT_MEMORY) {
        init.call(&mut *store, ())?;
    }
    let memory = store.data().memory.clone().context("no memory")?;
    let heap_base = match instance
        .get_global(&mut *store, "__heap_base")
        .map(|g| g.get(&mut *store))
    {
        Some(wasmtime::Val::I32(v)) => v as u32 as u64,
        _ => bail!("module does not export __heap_base; rebuild it with `lind cc`"),
    };
    let size = memory.size(&*store);
    // `lind cc` links the stack first: the initial stack pointer is where
    // the stack ends and static data begins.
    let stack_top = match instance
        .get_global(&mut *store, "__stack_pointer")
        .map(|g| g.get(&mut *store))
    {
        Some(wasmtime::Val::I32(v)) if (v as u32 as u64) <= heap_base => v as u32 as u64,
        _ => 0,
    };
    store
        .data()
        .cage
        .reset_memory_map(heap_base, size, stack_top);
    Ok(())
}

/// The start function of a module that defines its own memory, exported
/// instead of run at instantiation (crates/cli/src/own_memory.rs).
const INIT_MEMORY: &str = "__lind_init_memory";

/// A failure of the runtime itself (not of the guest): the cage dies with
/// SIGKILL and the reason is reported.
fn runtime_failure(pid: i32, e: wasmtime::Error) -> CageEnd {
    CageEnd {
        status: ExitStatus::Signaled {
            signal: lind_abi::flags::SIGKILL,
            core: false,
        },
        report: Some(format!("lind: cage {pid} killed: {e:#}")),
        fault: true,
    }
}

/// How a call into the guest that failed ended the cage.
fn ended(pid: i32, err: wasmtime::Error) -> CageEnd {
    match err.downcast_ref::<CageExit>().map(|e| e.0) {
        Some(status) => CageEnd {
            status,
            report: match status {
                ExitStatus::Signaled { signal, .. } => Some(format!(
                    "lind: cage {pid} killed by {}",
                    describe_signal(signal)
                )),
                ExitStatus::Exited(_) => None,
            },
            fault: false,
        },
        None => {
            let fault = trap::classify(&err);
            CageEnd {
                status: ExitStatus::Signaled {
                    signal: fault.signal,
                    core: false,
                },
                report: Some(trap::report(pid, &fault, &err)),
                fault: true,
            }
        }
    }
}

/// The `lind.syscall` import: every guest syscall comes through here.
#[allow(clippy::too_many_arguments)]
fn syscall_import(
    mut caller: Caller<'_, CageState>,
    nr: i64,
    a1: i64,
    a2: i64,
    a3: i64,
    a4: i64,
    a5: i64,
    a6: i64,
) -> wasmtime::Result<i64> {
    // Rewinding after a fork: this is the same call returning again.
    if let Some(value) = caller.data_mut().rewind_value.take() {
        fork::stop_rewind(&mut caller)?;
        return Ok(value);
    }
    match nr as u32 {
        // The frames up to the setjmp's invoke are abandoned: trapping out
        // of them leaves any signal handler's host frames behind too.
        // One an invoke will catch carries an empty backtrace, so that
        // wasmtime does not walk the stack for one (most of a longjmp's
        // cost); one no invoke catches ends the cage, and its report
        // shows where it came from.
        lind_abi::nr::LIND_LONGJMP => {
            let err = wasmtime::Error::new(CageLongjmp(a1 as u32));
            return Err(match caller.data().invoke_depth {
                0 => err,
                _ => trap::without_backtrace(err),
            });
        }
        lind_abi::nr::LIND_UNWIND_REFUSED => return Ok(fork::refuse_unwind(&mut caller, a1)),
        _ => {}
    }
    let state = caller.data();
    let (kernel, cage, tid) = (state.kernel.clone(), state.cage.clone(), state.tid);
    let Some(mem) = state.memory.clone() else {
        return Ok(-(lind_abi::Errno::ENOSYS as i64));
    };
    let args = [a1, a2, a3, a4, a5, a6].map(|a| a as u64);
    // Where an interrupted wait stood, for the same call made again below.
    let mut restart = None;
    loop {
        let outcome = {
            let mut guest = memory::WasmMemory::new(&mut caller, mem.clone());
            let mut ctx = syscall::Ctx::for_thread(&kernel, &cage, tid, &mut guest);
            ctx.restart = restart;
            let outcome = syscall::dispatch(&mut ctx, nr as u64, args);
            restart = ctx.restart;
            outcome
        };
        let value = match outcome {
            syscall::Outcome::Return(v) => v,
            other => return finish(&mut caller, &cage, other),
        };
        if cage.stopping() {
            if tid != cage.pid {
                return Err(leave_guest(ThreadExit));
            }
            let runtime = caller.data().runtime.clone();
            if let Some(module) = runtime.take_exec_handoff(&kernel, &cage) {
                return Err(leave_guest(CageExec(module)));
            }
        }
        // A due stop happens here, on the way back to the program (a call
        // it interrupted is made again, as Linux restarts it when no
        // handler ran); then handlers run.
        let stopped = kernel.stop_point(&cage);
        if let Some(status) = cage.exit_requested() {
            return Err(leave_guest(CageExit(status)));
        }
        let eintr = value == -(lind_abi::Errno::EINTR as i64);
        // Handlers run on the way back to the program.
        let delivered = if cage.handler_pending_for(tid) {
            signal::deliver(&mut caller)?
        } else {
            None
        };
        match delivered {
            Some(restart) if eintr && restart && signal::restartable(nr as u32) => continue,
            Some(_) => return Ok(value),
            None if eintr && stopped => continue,
            // Signals go to the cage as a whole: a thread woken for a
            // handler that another thread ran was not interrupted itself.
            None if eintr && cage.exit_requested().is_none() && cage.thread_count() > 1 => continue,
            None => return Ok(value),
        }
    }
}

/// The outcomes other than a plain return: exit, fork, exec.
fn finish(
    caller: &mut Caller<'_, CageState>,
    cage: &Arc<Cage>,
    outcome: syscall::Outcome,
) -> wasmtime::Result<i64> {
    match outcome {
        syscall::Outcome::Return(v) => Ok(v),
        syscall::Outcome::Exit(status) => Err(leave_guest(CageExit(status))),
        syscall::Outcome::Fork(child) => fork::start_unwind(caller, child),
        syscall::Outcome::Spawn(child, arg) => Ok(fork::spawn(caller, child, arg)),
        syscall::Outcome::ThreadExit => Err(leave_guest(ThreadExit)),
        syscall::Outcome::Thread(t) => {
            let runtime = caller.data().runtime.clone();
            match runtime.spawn_thread(caller, t) {
                Ok(()) => Ok(t.tid as i64),
                Err(e) => {
                    tracing::debug!("thread not started: {e:#}");
                    cage.forget_thread(t.tid);
                    Ok(-(lind_abi::Errno::EAGAIN as i64))
                }
            }
        }
        syscall::Outcome::Exec(image) => {
            // Load first: a module lind cannot run leaves the caller in place
            // with ENOEXEC, as Linux does for a binary it cannot load.
            let runtime = caller.data().runtime.clone();
            let loaded =
                check_lind_module(&image.module).and_then(|()| runtime.compile(&image.module));
            match loaded {
                Ok(module) if caller.data().tid != cage.pid => {
                    // The main thread's host thread takes the program over
                    // once this thread and the others have ended.
                    let runtime = caller.data().runtime.clone();
                    // The new program keeps the exec'ing thread's mask.
                    cage.inherit_mask(caller.data().tid, cage.pid);
                    runtime.exec_handoffs.lock().insert(
                        cage.pid,
                        ExecHandoff {
                            module,
                            argv: image.argv,
                            envp: image.envp,
                        },
                    );
                    cage.set_stopping(true);
                    Err(leave_guest(ThreadExit))
                }
                Ok(module) => {
                    // exec ends the cage's other threads.
                    if cage.thread_count() > 1 {
                        cage.set_stopping(true);
                        cage.wait_other_hosts();
                        cage.set_stopping(false);
                        cage.keep_only_thread(cage.pid);
                    }
                    let closed = cage.commit_exec(image.argv, image.envp);
                    caller.data().kernel.clone().close_entries(cage, closed);
                    Err(leave_guest(CageExec(module)))
                }
                Err(e) => {
                    tracing::debug!("exec refused: {e:#}");
                    Ok(-(lind_abi::Errno::ENOEXEC as i64))
                }
            }
        }
    }
}

/// Refuses files that are not Wasm or were not built by `lind cc` for this
/// ABI, with a message that says what to do.
pub fn check_lind_module(bytes: &[u8]) -> Result<()> {
    if !bytes.starts_with(b"\0asm") {
        bail!("not a WebAssembly module (build it with `lind cc`)");
    }
    let mut abi = None;
    let mut imports_syscall = false;
    for payload in wasmparser::Parser::new(0).parse_all(bytes) {
        match payload.context("malformed WebAssembly module")? {
            wasmparser::Payload::CustomSection(s) if s.name() == ABI_SECTION => {
                let d = s.data();
                abi = Some(if d.len() == 4 {
                    u32::from_le_bytes([d[0], d[1], d[2], d[3]])
                } else {
                    0
                });
            }
            wasmparser::Payload::ImportSection(imports) => {
                for imp in imports.into_imports() {
                    let imp = imp.context("malformed import section")?;
                    if imp.module == IMPORT_MODULE && imp.name == IMPORT_NAME {
                        imports_syscall = true;
                    } else if imp.module != IMPORT_MODULE && !sjlj::is_invoke(imp.module, imp.name)
                    {
                        bail!(
                            "imports `{}.{}`, which lind does not provide: it was not built by `lind cc` (WASI modules need a WASI runtime)",
                            imp.module,
                            imp.name
                        );
                    }
                }
            }
            _ => {}
        }
    }
    match abi {
        None => {
            bail!("not built by `lind cc` (no `{ABI_SECTION}` section); rebuild it with `lind cc`")
        }
        Some(v) if !(ABI_OLDEST..=ABI_VERSION).contains(&v) => {
            bail!("built for Lind ABI version {v}, but this lind runs version {ABI_VERSION}; rebuild it with this `lind cc`")
        }
        Some(_) if !imports_syscall => {
            bail!("does not import `lind.syscall`; rebuild it with `lind cc`")
        }
        Some(_) => Ok(()),
    }
}
