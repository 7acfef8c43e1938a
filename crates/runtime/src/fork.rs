//! fork via Binaryen's Asyncify.
//!
//! `lind cc` instruments the functions that can be on the stack during a
//! fork. On `fork` the import starts an unwind: every instrumented frame
//! saves its locals into a buffer in linear memory and returns, until
//! `_start` returns to the runtime. The runtime then copies the mapped
//! parts of memory and the stack pointer into a fresh instance for the
//! child, and rewinds both: calling `_start` again replays the saved frames
//! down to the `fork` call, which returns the child's pid in the parent and
//! 0 in the child.

use crate::{CageState, Runtime};
use lind_abi::Errno;
use lind_kernel::{mm::page_align_up, Cage, Kernel};
use std::sync::Arc;
use wasmtime::{
    bail, error::Context as _, format_err, AsContextMut, Instance, Result, Store, TypedFunc, Val,
};

/// Room for the saved frames of one unwind (locals of every frame on the
/// stack at the fork).
const BUFFER_SIZE: u64 = 1 << 20;

#[derive(Clone)]
pub struct Asyncify {
    start_unwind: TypedFunc<i32, ()>,
    stop_unwind: TypedFunc<(), ()>,
    start_rewind: TypedFunc<i32, ()>,
    stop_rewind: TypedFunc<(), ()>,
    /// Address of the asyncify data header, once allocated.
    buffer: Option<u64>,
}

impl Asyncify {
    /// The module's Asyncify exports; `None` if it was not instrumented
    /// (then `fork` is ENOSYS).
    pub fn find(instance: &Instance, store: &mut Store<CageState>) -> Option<Self> {
        Some(Asyncify {
            start_unwind: instance
                .get_typed_func(&mut *store, "asyncify_start_unwind")
                .ok()?,
            stop_unwind: instance
                .get_typed_func(&mut *store, "asyncify_stop_unwind")
                .ok()?,
            start_rewind: instance
                .get_typed_func(&mut *store, "asyncify_start_rewind")
                .ok()?,
            stop_rewind: instance
                .get_typed_func(&mut *store, "asyncify_stop_rewind")
                .ok()?,
            buffer: None,
        })
    }
}

/// Reserves the unwind buffer in the cage's address space on first use.
fn buffer(ctx: &mut impl AsContextMut<Data = CageState>) -> Result<u64> {
    if let Some(b) = ctx
        .as_context_mut()
        .data()
        .asyncify
        .as_ref()
        .and_then(|a| a.buffer)
    {
        return Ok(b);
    }
    let data = ctx.as_context_mut().data().cage.clone();
    let memory = ctx
        .as_context_mut()
        .data()
        .memory
        .clone()
        .context("no memory")?;
    let rw = lind_abi::flags::PROT_READ | lind_abi::flags::PROT_WRITE;
    let private_anon = lind_abi::flags::MAP_PRIVATE | lind_abi::flags::MAP_ANONYMOUS;
    let (addr, prep) = data
        .mm
        .lock()
        .map(0, BUFFER_SIZE, rw, private_anon, false)
        .map_err(|e| wasmtime::format_err!("no room for the fork buffer: {}", e.name()))?;
    memory.grow_to(&mut *ctx, prep.grow_to)?;
    if let Some(a) = ctx.as_context_mut().data_mut().asyncify.as_mut() {
        a.buffer = Some(addr);
    }
    Ok(addr)
}

/// Resets the header: saved frames go right after it, up to the end.
fn reset_header(ctx: &mut impl AsContextMut<Data = CageState>, at: u64) -> Result<()> {
    let memory = ctx
        .as_context_mut()
        .data()
        .memory
        .clone()
        .context("no memory")?;
    let mut header = [0u8; 8];
    header[..4].copy_from_slice(&((at + 8) as u32).to_le_bytes());
    header[4..].copy_from_slice(&((at + BUFFER_SIZE) as u32).to_le_bytes());
    memory.write(&mut *ctx, at, &header).map_err(oob)?;
    Ok(())
}

fn oob(e: Errno) -> wasmtime::Error {
    format_err!("unwind buffer out of bounds: {}", e.name())
}

/// Begins unwinding the guest's stack from inside the syscall import, for
/// the kernel's new `child`, into which the unwound parent is copied.
/// Returns the value the import returns now (ignored while unwinding), or
/// an errno when the module cannot unwind.
pub fn start_unwind(caller: &mut wasmtime::Caller<'_, CageState>, child: Arc<Cage>) -> Result<i64> {
    let failed = |caller: &mut wasmtime::Caller<'_, CageState>, child: &Arc<Cage>, e: Errno| {
        discard(&caller.data().kernel.clone(), child);
        Ok(-(e as i64))
    };
    let Some(asyncify) = caller.data().asyncify.clone() else {
        return failed(caller, &child, Errno::ENOSYS);
    };
    if caller.data().handler_depth > 0 {
        // Inside a signal handler the stack holds host frames Asyncify
        // cannot unwind: fork fails.
        return failed(caller, &child, Errno::ENOSYS);
    }
    let at = match buffer(caller) {
        Ok(at) => at,
        Err(_) => return failed(caller, &child, Errno::ENOMEM),
    };
    reset_header(caller, at)?;
    // From here until the unwind is stopped, interrupt.rs sends the thread
    // nowhere: its code is in Asyncify's unwinding state.
    crate::interrupt::set_asyncify_busy(true);
    asyncify.start_unwind.call(&mut *caller, at as i32)?;
    caller.data_mut().pending = Some(child);
    Ok(0)
}

/// The libc asked for an unwinding call (`nr`: fork, vfork or clone) from
/// inside a callback whose callers Asyncify did not instrument (see libc's
/// lind_unwinding.c): it fails with ENOSYS.
pub fn refuse_unwind(caller: &mut wasmtime::Caller<'_, CageState>, nr: i64) -> i64 {
    static WARNED: std::sync::Once = std::sync::Once::new();
    WARNED.call_once(|| {
        let call = lind_abi::nr::NAMES
            .iter()
            .find(|(n, _)| i64::from(*n) == nr)
            .map_or("an unwinding call", |(_, name)| name);
        eprintln!(
            "lind: [{}] {call} inside a qsort comparator is not supported: ENOSYS",
            caller.data().cage.pid
        );
    });
    -(Errno::ENOSYS as i64)
}

/// The stack is unwound: copy it into `child`, and return what the
/// interrupted call returns once the stack is rewound.
pub fn finish_unwind(
    runtime: &Runtime,
    store: &mut Store<CageState>,
    child: Arc<Cage>,
) -> Result<i64> {
    let asyncify = store
        .data()
        .asyncify
        .clone()
        .context("unwind without Asyncify")?;
    asyncify.stop_unwind.call(&mut *store, ())?;
    crate::interrupt::set_asyncify_busy(false);
    finish_fork(runtime, store, child)
}

/// A child that will never run: the kernel forgets it.
fn discard(kernel: &Arc<Kernel>, child: &Arc<Cage>) {
    kernel.discard_cage(child);
}

/// The parent's stack is unwound: copy it into the child, start the child,
/// and return what `fork` returns in the parent.
fn finish_fork(runtime: &Runtime, store: &mut Store<CageState>, child: Arc<Cage>) -> Result<i64> {
    let snapshot = Snapshot::take(&mut *store)?;
    let module = store.data().module.clone().context("no module")?;
    let pid = child.pid;
    match runtime.spawn_child(child.clone(), module, snapshot) {
        Ok(()) => Ok(pid as i64),
        Err(_) => {
            discard(&store.data().kernel.clone(), &child);
            Ok(-(Errno::EAGAIN as i64))
        }
    }
}

/// `lind_spawn`: starts `child` as a copy of the calling cage whose one
/// thread enters `__lind_spawn_start(arg)` with the caller's stack pointer
/// and TLS, and returns what the call returns (the child's pid). Nothing
/// is unwound: the caller's frames stay where they are, and the child's
/// copy of them is dead (its frames go below the stack pointer).
pub fn spawn(caller: &mut wasmtime::Caller<'_, CageState>, child: Arc<Cage>, arg: u32) -> i64 {
    let kernel = caller.data().kernel.clone();
    let started = Snapshot::take(&mut *caller).and_then(|mut snapshot| {
        snapshot.spawn_arg = Some(arg);
        // The child is single-threaded: it starts as the main thread.
        snapshot.thread_block = None;
        let module = caller.data().module.clone().context("no module")?;
        caller
            .data()
            .runtime
            .clone()
            .spawn_child(child.clone(), module, snapshot)
    });
    match started {
        Ok(()) => child.pid as i64,
        Err(e) => {
            tracing::debug!("spawned child not started: {e:#}");
            discard(&kernel, &child);
            -(Errno::EAGAIN as i64)
        }
    }
}

/// Arms a rewind so that the next `_start` call replays the saved stack
/// and the pending syscall returns `value`.
pub fn start_rewind(store: &mut Store<CageState>, value: i64) -> Result<()> {
    let asyncify = store
        .data()
        .asyncify
        .clone()
        .context("rewind without Asyncify")?;
    let at = asyncify.buffer.context("rewind without a buffer")?;
    store.data_mut().rewind_value = Some(value);
    crate::interrupt::set_asyncify_busy(true);
    asyncify.start_rewind.call(&mut *store, at as i32)?;
    Ok(())
}

pub fn stop_rewind(caller: &mut wasmtime::Caller<'_, CageState>) -> Result<()> {
    let asyncify = caller
        .data()
        .asyncify
        .clone()
        .context("rewind without Asyncify")?;
    asyncify.stop_rewind.call(&mut *caller, ())?;
    crate::interrupt::set_asyncify_busy(false);
    Ok(())
}

/// What a child needs of its parent: the mapped parts of memory (the image
/// and heap below the break, and every mmap region) and the stack pointer.
pub struct Snapshot {
    pub kernel: Arc<Kernel>,
    /// The parent's frozen copy-on-write memory, when it has one; else
    /// the pages are in `ranges`.
    layout: Option<crate::cow::Layout>,
    /// The parent's map as it is now: it may have grown since the kernel
    /// copied it at fork (the unwind buffer is mapped lazily).
    mm: lind_kernel::mm::MemMap,
    memory_size: u64,
    /// Runs of non-zero pages.
    ranges: Vec<(u64, Vec<u8>)>,
    /// Zero pages below the heap, where a fresh instance may have data.
    image_zero_pages: Vec<u64>,
    /// With `ranges`: the page protections the child must get (a frozen
    /// layout carries its own).
    protections: Vec<(usize, usize, u32)>,
    /// With `ranges`: the MAP_SHARED spans the child maps too (not copied).
    shared: Option<crate::cow::SharedSpans>,
    stack_pointer: i32,
    tls_base: Option<i32>,
    /// Set when a thread other than the main one forked: the child is
    /// rewound through `__lind_thread_start(block)`, with that thread's
    /// stack pointer and TLS base (its thread pointer is in its TLS).
    pub thread_block: Option<i32>,
    buffer: Option<u64>,
    /// Set for a child of `lind_spawn`: it starts at
    /// `__lind_spawn_start(arg)` instead of being rewound.
    pub spawn_arg: Option<u32>,
}

const PAGE: u64 = lind_abi::PAGE_SIZE;

fn is_zero(bytes: &[u8]) -> bool {
    // An OR-reduction without early exit vectorizes well; a page is small.
    bytes.iter().fold(0u8, |acc, &b| acc | b) == 0
}

impl Snapshot {
    fn take(mut store: impl AsContextMut<Data = CageState>) -> Result<Snapshot> {
        let mut store = store.as_context_mut();
        let memory = store.data().memory.clone().context("no memory")?;
        let live = {
            let mm = store.data().cage.mm.lock();
            let mut live = vec![(0, page_align_up(mm.brk).unwrap_or(mm.brk) as usize)];
            live.extend(
                mm.regions
                    .iter()
                    .map(|(&s, r)| (s as usize, (s + r.len) as usize)),
            );
            live
        };
        // Freezing remaps the memory in place, which would lose what other
        // threads of the cage write meanwhile: with threads running, the
        // pages are copied instead.
        let alone = store.data().cage.threads.lock().hosts <= 1;
        let frozen = if alone {
            crate::cow::freeze(memory.base(&store), live)
        } else {
            None
        };
        let layout = match frozen {
            Some(Ok(layout)) => Some(layout),
            Some(Err(e)) => {
                tracing::warn!("copy-on-write fork unavailable ({e}); copying memory");
                None
            }
            None => None,
        };
        let state = store.data();
        let buffer = state.asyncify.as_ref().and_then(|a| a.buffer);
        let (stack_pointer, tls_base) = (state.stack_pointer, state.tls_base);
        let mm = state.cage.mm.lock().clone();
        let kernel = state.kernel.clone();
        let size = memory.size(&store);
        let image_end = page_align_up(mm.heap_start)
            .unwrap_or(mm.heap_start)
            .min(size);
        let stack_pointer = match stack_pointer.map(|g| g.get(&mut store)) {
            Some(Val::I32(v)) => v,
            _ => bail!("module does not export an i32 __stack_pointer"),
        };
        // The stack comes first (`lind cc` links with --stack-first) and
        // grows down: below the stack pointer is dead space. Likewise only
        // the used part of the unwind buffer matters.
        // A thread's stack is an mmap region instead (copied whole below),
        // and then all of the main stack may be live.
        let sp = stack_pointer as u32 as u64;
        let live_stack = if sp < mm.heap_start {
            sp & !(PAGE - 1)
        } else {
            0
        };
        let mut spans = vec![(
            live_stack,
            page_align_up(mm.brk).unwrap_or(mm.brk).min(size),
        )];
        for (&start, r) in &mm.regions {
            let mut end = (start + r.len).min(size);
            if Some(start) == buffer {
                let mut word = [0u8; 4];
                memory.read(&store, start, &mut word).map_err(oob)?;
                let used = u32::from_le_bytes(word) as u64;
                end = page_align_up(used).unwrap_or(end).min(end);
            }
            spans.push((start, end));
        }
        let mut ranges: Vec<(u64, Vec<u8>)> = Vec::new();
        let mut image_zero_pages = Vec::new();
        // Only pages holding data are copied: a fresh instance's memory is
        // already zero outside its data segments, and most of the stack,
        // heap and buffers never were written. Zero pages of the image
        // (stack, data, bss) are remembered so the child can clear them
        // where its fresh data segments are not zero.
        let spans = if layout.is_some() { Vec::new() } else { spans };
        let protections = match (&layout, &store.data().protections) {
            (None, Some(p)) => p.snapshot(),
            _ => Vec::new(),
        };
        let shared = layout
            .is_none()
            .then(|| crate::cow::shared_spans(memory.base(&store)));
        let is_shared = |page: u64| shared.as_ref().is_some_and(|s| s.covers(page as usize));
        let unreadable = |page: u64| {
            let page = page as usize;
            protections
                .iter()
                .any(|&(s, e, p)| s <= page && page < e && p & lind_abi::flags::PROT_READ == 0)
        };
        let mut bytes = vec![0u8; PAGE as usize];
        for (start, end) in spans.into_iter().filter(|(s, e)| s < e) {
            let mut page = start;
            while page < end {
                let stop = (page + PAGE).min(end);
                let bytes = &mut bytes[..(stop - page) as usize];
                // PROT_NONE pages (thread stacks' guards, mostly) would
                // fault the host; while other threads run they cannot be
                // unprotected for a moment either, so the child gets them
                // zeroed (and still PROT_NONE).
                if is_shared(page) {
                    // The child maps the same pages (see `restore`).
                    page = stop;
                    continue;
                }
                if unreadable(page) {
                    bytes.fill(0);
                } else {
                    memory.read(&store, page, bytes).map_err(oob)?;
                }
                if is_zero(bytes) {
                    if page < image_end {
                        image_zero_pages.push(page);
                    }
                } else {
                    match ranges.last_mut() {
                        Some((at, run)) if *at + run.len() as u64 == page => {
                            run.extend_from_slice(bytes)
                        }
                        _ => ranges.push((page, bytes.to_vec())),
                    }
                }
                page = stop;
            }
        }
        let tls_base = match tls_base.map(|g| g.get(&mut store)) {
            Some(Val::I32(v)) => Some(v),
            _ => None,
        };
        Ok(Snapshot {
            kernel,
            layout,
            mm,
            memory_size: size,
            ranges,
            image_zero_pages,
            protections,
            shared,
            stack_pointer,
            tls_base,
            thread_block: store.data().thread_block,
            buffer,
            spawn_arg: None,
        })
    }

    /// Makes a fresh instance's memory and stack pointer the parent's.
    /// For a module that imports its memory: gives `memory` the parent's
    /// pages before the child's instance exists. Its start function
    /// (wasm-ld's `__wasm_init_memory`) then finds the memory initialised
    /// and leaves it alone, instead of rewriting the data segments and
    /// zeroing every BSS page only for them to be replaced (that made a
    /// fork cost as much as the program's static data).
    /// Only for modules that export `__tls_base` (see `can_adopt_early`).
    pub fn adopt_early(&mut self, memory: &wasmtime::SharedMemory) -> Result<()> {
        let have = memory.data_size() as u64;
        if self.memory_size > have {
            memory.grow((self.memory_size - have).div_ceil(lind_abi::WASM_PAGE))?;
        }
        if let Some(layout) = self.layout.take() {
            let base = memory.data().as_ptr() as *const u8;
            crate::cow::adopt(base, &layout).map_err(|e| format_err!("{e}"))?;
        }
        Ok(())
    }

    pub fn restore(self, store: &mut Store<CageState>, _instance: &Instance) -> Result<()> {
        let memory = store.data().memory.clone().context("no memory")?;
        memory.grow_to(&mut *store, self.memory_size)?;
        if let Some(layout) = &self.layout {
            crate::cow::adopt(memory.base(&*store), layout).map_err(|e| format_err!("{e}"))?;
        }
        let mut page_bytes = vec![0u8; PAGE as usize];
        for &page in &self.image_zero_pages {
            memory.read(&*store, page, &mut page_bytes).map_err(oob)?;
            if !is_zero(&page_bytes) {
                memory.fill(&*store, page, PAGE, 0).map_err(oob)?;
            }
        }
        for (at, bytes) in &self.ranges {
            memory.write(&*store, *at, bytes).map_err(oob)?;
        }
        let base = memory.base(&*store);
        if let Some(shared) = &self.shared {
            crate::cow::map_shared_spans(base, shared).map_err(|e| format_err!("{e}"))?;
        }
        for &(start, end, prot) in &self.protections {
            crate::cow::protect(base, start, end - start, prot).map_err(|e| format_err!("{e}"))?;
        }
        *store.data().cage.mm.lock() = self.mm;
        if let Some(asyncify) = store.data_mut().asyncify.as_mut() {
            asyncify.buffer = self.buffer;
        } else if self.spawn_arg.is_none() {
            bail!("child module without Asyncify");
        }
        let (sp, tls_base) = (store.data().stack_pointer, store.data().tls_base);
        sp.context("module does not export __stack_pointer")?
            .set(&mut *store, Val::I32(self.stack_pointer))?;
        if let (Some(g), Some(v)) = (tls_base, self.tls_base) {
            g.set(&mut *store, Val::I32(v))?;
        }
        Ok(())
    }
}
