//! The kernel's view of a cage's linear memory, over wasmtime's `Memory`.

use crate::CageState;
use lind_abi::Errno;
use lind_kernel::{memory::check_range, GuestMemory, KResult};
use wasmtime::{Caller, Memory};

pub struct WasmMemory<'a, 'b> {
    caller: &'a mut Caller<'b, CageState>,
    memory: Memory,
}

impl<'a, 'b> WasmMemory<'a, 'b> {
    pub fn new(caller: &'a mut Caller<'b, CageState>, memory: Memory) -> Self {
        WasmMemory { caller, memory }
    }

    /// Changes what backs a range of the host mapping (see `cow`).
    fn remap(
        &mut self,
        addr: u64,
        len: u64,
        how: fn(*const u8, usize, usize) -> Result<(), String>,
    ) -> KResult<()> {
        check_range(self, addr, len)?;
        let base = self.memory.data_ptr(&*self.caller);
        how(base, addr as usize, len as usize).map_err(|e| {
            tracing::warn!("remapping {len} bytes at {addr:#x}: {e}");
            Errno::ENOMEM
        })
    }

    /// EFAULT for bytes mprotect made unreadable (or, with `write`,
    /// unwritable): the host copy would fault.
    fn check_protection(&self, addr: u64, len: usize, write: bool) -> KResult<()> {
        match &self.caller.data().protections {
            Some(p) if !p.allows(addr as usize, len, write) => Err(Errno::EFAULT),
            _ => Ok(()),
        }
    }
}

impl GuestMemory for WasmMemory<'_, '_> {
    fn size(&self) -> u64 {
        self.memory.data_size(&*self.caller) as u64
    }

    fn read(&self, addr: u64, buf: &mut [u8]) -> KResult<()> {
        check_range(self, addr, buf.len() as u64)?;
        if buf.is_empty() {
            return Ok(());
        }
        self.check_protection(addr, buf.len(), false)?;
        let data = self.memory.data(&*self.caller);
        let a = addr as usize;
        buf.copy_from_slice(&data[a..a + buf.len()]);
        Ok(())
    }

    fn write(&mut self, addr: u64, src: &[u8]) -> KResult<()> {
        check_range(self, addr, src.len() as u64)?;
        if src.is_empty() {
            return Ok(());
        }
        self.check_protection(addr, src.len(), true)?;
        let data = self.memory.data_mut(&mut *self.caller);
        let a = addr as usize;
        data[a..a + src.len()].copy_from_slice(src);
        Ok(())
    }

    fn grow_to(&mut self, bytes: u64) -> KResult<()> {
        let cur = self.size();
        if bytes <= cur {
            return Ok(());
        }
        let pages = (bytes - cur).div_ceil(lind_abi::WASM_PAGE);
        self.memory
            .grow(&mut *self.caller, pages)
            .map(|_| ())
            .map_err(|_| Errno::ENOMEM)
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
        let base = self.memory.data_ptr(&*self.caller);
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

    fn discard(&mut self, addr: u64, len: u64) -> KResult<()> {
        self.check_protection(addr, len as usize, true)?;
        self.remap(addr, len, crate::cow::discard)
    }

    fn zero(&mut self, addr: u64, len: u64) -> KResult<()> {
        check_range(self, addr, len)?;
        if len == 0 {
            return Ok(());
        }
        self.check_protection(addr, len as usize, true)?;
        let data = self.memory.data_mut(&mut *self.caller);
        data[addr as usize..(addr + len) as usize].fill(0);
        Ok(())
    }
}
