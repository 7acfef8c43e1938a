//! A cage's linear memory, and the kernel's view of it.
//!
//! `lind cc` links every module with an imported shared memory (so that
//! each thread of a cage can be an instance over it); modules from before
//! that define and export a plain one. wasmtime keeps the two apart
//! (`SharedMemory` is never a `Memory`), so [`Mem`] holds either and all
//! access goes through its base pointer and length. The base never moves:
//! cage memories are reservations made by `cow.rs` for the full 4 GiB.

use crate::CageState;
use lind_abi::Errno;
use lind_kernel::{memory::check_range, GuestMemory, KResult};
use std::sync::atomic::{AtomicU32, Ordering};
use wasmtime::{AsContext, AsContextMut, Caller, Memory, SharedMemory};

#[derive(Clone)]
pub enum Mem {
    Plain(Memory),
    Shared(SharedMemory),
}

impl Mem {
    pub fn base(&self, store: impl AsContext) -> *mut u8 {
        match self {
            Mem::Plain(m) => m.data_ptr(&store),
            Mem::Shared(m) => m.data().as_ptr() as *mut u8,
        }
    }

    pub fn size(&self, store: impl AsContext) -> u64 {
        match self {
            Mem::Plain(m) => m.data_size(&store) as u64,
            Mem::Shared(m) => m.data_size() as u64,
        }
    }

    /// Grows by `pages` wasm pages; returns the old size in pages.
    pub fn grow(&self, store: impl AsContextMut, pages: u64) -> wasmtime::Result<u64> {
        match self {
            Mem::Plain(m) => m.grow(store, pages),
            Mem::Shared(m) => m.grow(pages),
        }
    }

    /// Grows the memory to at least `bytes`.
    pub fn grow_to(&self, mut store: impl AsContextMut, bytes: u64) -> wasmtime::Result<()> {
        let cur = self.size(&store);
        if bytes > cur {
            self.grow(&mut store, (bytes - cur).div_ceil(lind_abi::WASM_PAGE))?;
        }
        Ok(())
    }

    fn check(&self, store: impl AsContext, addr: u64, len: usize) -> Result<usize, Errno> {
        let end = addr.checked_add(len as u64).ok_or(Errno::EFAULT)?;
        if end > self.size(store) {
            return Err(Errno::EFAULT);
        }
        Ok(addr as usize)
    }

    /// Copies out of guest memory (no NULL-page check: for the runtime's
    /// own bookkeeping; the kernel's accesses go through [`WasmMemory`]).
    pub fn read(&self, store: impl AsContext, addr: u64, buf: &mut [u8]) -> Result<(), Errno> {
        let at = self.check(&store, addr, buf.len())?;
        // SAFETY: `at..at+len` is inside the memory's accessible size
        // (checked above) and the base is fixed for the memory's lifetime.
        // No Rust reference into guest memory is made: other threads of the
        // cage may write it concurrently, as wasm allows for shared memory,
        // and then the bytes read are some mix of old and new.
        let from = unsafe { self.base(&store).add(at) };
        // SAFETY: as above; a page of a file mapping beyond the file's end
        // is caught by the SIGBUS handler (EFAULT).
        crate::sigbus::copy(from as usize, buf.len(), || unsafe {
            std::ptr::copy_nonoverlapping(from, buf.as_mut_ptr(), buf.len())
        })
    }

    /// [`Mem::read`] appending to `out`, without zeroing its new bytes
    /// first.
    pub fn read_append(
        &self,
        store: impl AsContext,
        addr: u64,
        len: usize,
        out: &mut Vec<u8>,
    ) -> Result<(), Errno> {
        let at = self.check(&store, addr, len)?;
        out.reserve(len);
        let old = out.len();
        // SAFETY: as in `read`; the destination is `out`'s spare capacity,
        // at least `len` bytes after `reserve`, which nothing else sees.
        let (from, to) = unsafe { (self.base(&store).add(at), out.as_mut_ptr().add(old)) };
        // SAFETY: as in `read`.
        crate::sigbus::copy(from as usize, len, || unsafe {
            std::ptr::copy_nonoverlapping(from, to, len)
        })?;
        // SAFETY: the copy above initialised the `len` bytes after `old`
        // (it returned Ok: no fault cut it short).
        unsafe { out.set_len(old + len) };
        Ok(())
    }

    pub fn write(&self, store: impl AsContext, addr: u64, src: &[u8]) -> Result<(), Errno> {
        let at = self.check(&store, addr, src.len())?;
        // SAFETY: as in `read`; `src` is a host buffer, never guest memory.
        let to = unsafe { self.base(&store).add(at) };
        // SAFETY: as in `read`.
        crate::sigbus::copy(to as usize, src.len(), || unsafe {
            std::ptr::copy_nonoverlapping(src.as_ptr(), to, src.len())
        })
    }

    pub fn fill(&self, store: impl AsContext, addr: u64, len: u64, byte: u8) -> Result<(), Errno> {
        let at = self.check(&store, addr, len as usize)?;
        // SAFETY: as in `read`.
        let to = unsafe { self.base(&store).add(at) };
        // SAFETY: as in `read`.
        crate::sigbus::copy(to as usize, len as usize, || unsafe {
            std::ptr::write_bytes(to, byte, len as usize)
        })
    }

    /// The aligned 32-bit word at `addr`, as a host atomic.
    fn atomic_u32(&self, store: impl AsContext, addr: u64) -> Result<&AtomicU32, Errno> {
        if !addr.is_multiple_of(4) {
            return Err(Errno::EINVAL);
        }
        let at = self.check(&store, addr, 4)?;
        // SAFETY: in bounds and 4-byte aligned (the base is page-aligned);
        // guest memory outlives every syscall that can reach this, and wasm
        // atomics on it are the same host atomics, so mixed access is what
        // the wasm threads proposal specifies.
        Ok(unsafe { AtomicU32::from_ptr(self.base(&store).add(at) as *mut u32) })
    }

    pub fn atomic_load_u32(&self, store: impl AsContext, addr: u64) -> Result<u32, Errno> {
        let a = self.atomic_u32(store, addr)?;
        crate::sigbus::copy(a.as_ptr() as usize, 4, || a.load(Ordering::SeqCst))
    }

    pub fn atomic_store_u32(&self, store: impl AsContext, addr: u64, v: u32) -> Result<(), Errno> {
        let a = self.atomic_u32(store, addr)?;
        crate::sigbus::copy(a.as_ptr() as usize, 4, || a.store(v, Ordering::SeqCst))
    }

    pub fn atomic_cmpxchg_u32(
        &self,
        store: impl AsContext,
        addr: u64,
        old: u32,
        new: u32,
    ) -> Result<u32, Errno> {
        let w = self.atomic_u32(store, addr)?;
        Ok(
            match w.compare_exchange(old, new, Ordering::SeqCst, Ordering::SeqCst) {
                Ok(v) | Err(v) => v,
            },
        )
    }
}

/// The kernel's view of a cage's memory after its program ended (no
/// syscall in progress): for what the kernel must still do in it, such
/// as releasing robust mutexes. It cannot grow.
pub struct EndMemory<'a> {
    store: &'a wasmtime::Store<CageState>,
    memory: Mem,
}

impl<'a> EndMemory<'a> {
    pub fn new(store: &'a wasmtime::Store<CageState>, memory: Mem) -> Self {
        EndMemory { store, memory }
    }

    /// As [`WasmMemory`]: EFAULT where mprotect forbids the host access.
    fn check(&self, addr: u64, len: usize, write: bool) -> KResult<()> {
        check_range(self, addr, len as u64)?;
        match &self.store.data().protections {
            Some(p) if !p.allows(addr as usize, len, write) => Err(Errno::EFAULT),
            _ => Ok(()),
        }
    }
}

impl GuestMemory for EndMemory<'_> {
    fn size(&self) -> u64 {
        self.memory.size(self.store)
    }

    fn read(&self, addr: u64, buf: &mut [u8]) -> KResult<()> {
        self.check(addr, buf.len(), false)?;
        self.memory.read(self.store, addr, buf)
    }

    fn read_append(&self, addr: u64, len: usize, out: &mut Vec<u8>) -> KResult<()> {
        self.check(addr, len, false)?;
        self.memory.read_append(self.store, addr, len, out)
    }

    fn write(&mut self, addr: u64, src: &[u8]) -> KResult<()> {
        self.check(addr, src.len(), true)?;
        self.memory.write(self.store, addr, src)
    }

    fn grow_to(&mut self, _bytes: u64) -> KResult<()> {
        Err(Errno::ENOMEM)
    }

    fn atomic_load_u32(&self, addr: u64) -> KResult<u32> {
        self.check(addr, 4, false)?;
        self.memory.atomic_load_u32(self.store, addr)
    }

    fn atomic_store_u32(&mut self, addr: u64, v: u32) -> KResult<()> {
        self.check(addr, 4, true)?;
        self.memory.atomic_store_u32(self.store, addr, v)
    }

    fn atomic_cmpxchg_u32(&mut self, addr: u64, old: u32, new: u32) -> KResult<u32> {
        self.check(addr, 4, true)?;
        self.memory.atomic_cmpxchg_u32(self.store, addr, old, new)
    }
}

/// The kernel's view of a cage's memory during one syscall.
pub struct WasmMemory<'a, 'b> {
    caller: &'a mut Caller<'b, CageState>,
    memory: Mem,
}

impl<'a, 'b> WasmMemory<'a, 'b> {
    pub fn new(caller: &'a mut Caller<'b, CageState>, memory: Mem) -> Self {
        WasmMemory { caller, memory }
    }

    /// EFAULT for bytes mprotect made unreadable (or, with `write`,
    /// unwritable): the host copy would fault.
    fn check_protection(&self, addr: u64, len: usize, write: bool) -> KResult<()> {
        match &self.caller.data().protections {
            Some(p) if !p.allows(addr as usize, len, write) => Err(Errno::EFAULT),
            _ => Ok(()),
        }
    }

    /// Changes what backs a range of the host mapping (see `cow`).
    fn remap(
        &mut self,
        addr: u64,
        len: u64,
        how: fn(*const u8, usize, usize) -> Result<(), String>,
    ) -> KResult<()> {
        check_range(self, addr, len)?;
        let base = self.memory.base(&*self.caller);
        how(base, addr as usize, len as usize).map_err(|e| {
            tracing::warn!("remapping {len} bytes at {addr:#x}: {e}");
            Errno::ENOMEM
        })
    }
}

impl GuestMemory for WasmMemory<'_, '_> {
    fn size(&self) -> u64 {
        self.memory.size(&*self.caller)
    }

    fn read(&self, addr: u64, buf: &mut [u8]) -> KResult<()> {
        check_range(self, addr, buf.len() as u64)?;
        self.check_protection(addr, buf.len(), false)?;
        self.memory.read(&*self.caller, addr, buf)
    }

    fn read_append(&self, addr: u64, len: usize, out: &mut Vec<u8>) -> KResult<()> {
        check_range(self, addr, len as u64)?;
        self.check_protection(addr, len, false)?;
        self.memory.read_append(&*self.caller, addr, len, out)
    }

    fn write(&mut self, addr: u64, src: &[u8]) -> KResult<()> {
        check_range(self, addr, src.len() as u64)?;
        self.check_protection(addr, src.len(), true)?;
        self.memory.write(&*self.caller, addr, src)
    }

    fn grow_to(&mut self, bytes: u64) -> KResult<()> {
        self.memory
            .grow_to(&mut *self.caller, bytes)
            .map_err(|_| Errno::ENOMEM)
    }

    fn zero(&mut self, addr: u64, len: u64) -> KResult<()> {
        check_range(self, addr, len)?;
        self.check_protection(addr, len as usize, true)?;
        self.memory.fill(&*self.caller, addr, len, 0)
    }

    fn protect(&mut self, addr: u64, len: u64, prot: u32) -> KResult<()> {
        check_range(self, addr, len)?;
        let read_write = lind_abi::flags::PROT_READ | lind_abi::flags::PROT_WRITE;
        if prot & read_write == read_write {
            if let Some(p) = &self.caller.data().protections {
                if p.already_read_write(addr as usize, len as usize) {
                    return Ok(()); // the common case: nothing was protected
                }
            }
        }
        let base = self.memory.base(&*self.caller);
        crate::cow::protect(base, addr as usize, len as usize, prot).map_err(|e| {
            tracing::warn!("mprotect of {len} bytes at {addr:#x}: {e}");
            Errno::ENOMEM
        })
    }

    fn share(&mut self, addr: u64, len: u64) -> KResult<()> {
        self.remap(addr, len, crate::cow::share)
    }

    fn unshare(&mut self, addr: u64, len: u64) -> KResult<()> {
        self.remap(addr, len, crate::cow::unshare)
    }

    fn map_file(
        &mut self,
        addr: u64,
        len: u64,
        fd: rustix::fd::OwnedFd,
        offset: u64,
        shared: bool,
        writable: bool,
    ) -> KResult<()> {
        check_range(self, addr, len)?;
        let base = self.memory.base(&*self.caller);
        crate::cow::map_file(
            base,
            addr as usize,
            len as usize,
            fd,
            offset,
            shared,
            writable,
        )
        .map_err(|e| {
            tracing::warn!("mapping a file at {addr:#x}: {e}");
            Errno::ENOMEM
        })
    }

    fn sync(&mut self, addr: u64, len: u64) -> KResult<()> {
        check_range(self, addr, len)?;
        let base = self.memory.base(&*self.caller);
        crate::cow::sync(base, addr as usize, len as usize).map_err(|_| Errno::EIO)
    }

    fn resident(&self, addr: u64, len: u64) -> KResult<Vec<u8>> {
        check_range(self, addr, len)?;
        let base = self.memory.base(&*self.caller);
        crate::cow::resident(base, addr as usize, len as usize).map_err(|_| Errno::ENOMEM)
    }

    fn remap_file(&mut self, from: u64, len: u64, to: u64, new_len: u64) -> KResult<()> {
        check_range(self, from, len)?;
        check_range(self, to, new_len)?;
        let base = self.memory.base(&*self.caller);
        crate::cow::remap_file(
            base,
            from as usize,
            len as usize,
            to as usize,
            new_len as usize,
        )
        .map_err(|e| {
            tracing::warn!("mremap of {len} bytes at {from:#x} to {to:#x}: {e}");
            Errno::ENOMEM
        })
    }

    fn discard(&mut self, addr: u64, len: u64) -> KResult<()> {
        self.check_protection(addr, len as usize, true)?;
        self.remap(addr, len, crate::cow::discard)
    }

    fn atomic_load_u32(&self, addr: u64) -> KResult<u32> {
        check_range(self, addr, 4)?;
        self.check_protection(addr, 4, false)?;
        self.memory.atomic_load_u32(&*self.caller, addr)
    }

    fn atomic_store_u32(&mut self, addr: u64, v: u32) -> KResult<()> {
        check_range(self, addr, 4)?;
        self.check_protection(addr, 4, true)?;
        self.memory.atomic_store_u32(&*self.caller, addr, v)
    }

    fn atomic_cmpxchg_u32(&mut self, addr: u64, old: u32, new: u32) -> KResult<u32> {
        check_range(self, addr, 4)?;
        self.check_protection(addr, 4, true)?;
        self.memory
            .atomic_cmpxchg_u32(&*self.caller, addr, old, new)
    }
}
