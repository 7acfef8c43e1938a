//! How the kernel sees a cage's linear memory.

use crate::KResult;
use lind_abi::Errno;

/// Guest memory as the kernel sees it. Implemented over wasmtime memory by
/// the runtime and over a `Vec<u8>` in tests. Every access is bounds-checked
/// and fails with `EFAULT`, so no guest pointer can panic the host.
pub trait GuestMemory {
    /// Current size of linear memory in bytes.
    fn size(&self) -> u64;
    /// Copies `buf.len()` bytes from guest address `addr`.
    fn read(&self, addr: u64, buf: &mut [u8]) -> KResult<()>;
    /// Appends the `len` bytes at `addr` to `out` (what a write to a pipe
    /// or socket queues, into a recycled vector). Memories that can fill a
    /// vector's spare capacity without zeroing it first override this: one
    /// pass over the bytes instead of two.
    fn read_append(&self, addr: u64, len: usize, out: &mut Vec<u8>) -> KResult<()> {
        let at = out.len();
        out.resize(at + len, 0);
        let r = self.read(addr, &mut out[at..]);
        if r.is_err() {
            out.truncate(at);
        }
        r
    }
    /// Copies `data` to guest address `addr`.
    fn write(&mut self, addr: u64, data: &[u8]) -> KResult<()>;
    /// Grows linear memory so that it is at least `bytes` long.
    fn grow_to(&mut self, bytes: u64) -> KResult<()>;
    /// Applies mprotect's `prot` to guest pages `[addr, addr+len)` (within
    /// the memory), so the cage's own accesses fault and the kernel's
    /// copies get EFAULT. Memories without page protection ignore it.
    fn protect(&mut self, addr: u64, len: u64, prot: u32) -> KResult<()> {
        let _ = (addr, len, prot);
        Ok(())
    }
    /// Makes page-aligned `[addr, addr+len)` zero-filled MAP_SHARED memory,
    /// which stays shared with the cage's forked children. A memory that
    /// cannot be forked has no one to share with: it ignores this.
    fn share(&mut self, addr: u64, len: u64) -> KResult<()> {
        let _ = (addr, len);
        Ok(())
    }
    /// Turns the MAP_SHARED pages in the range private again (munmap, or a
    /// new mapping over them); their contents are then undefined.
    fn unshare(&mut self, addr: u64, len: u64) -> KResult<()> {
        let _ = (addr, len);
        Ok(())
    }
    /// Maps `len` bytes of the host file `fd` from `offset` over
    /// page-aligned `[addr, addr+len)`: zero-copy, MAP_SHARED (`shared`:
    /// writes reach the file, and forked children share the pages) or
    /// MAP_PRIVATE. `writable`: whether the file allows writing through a
    /// shared mapping. Pages wholly beyond the file's end raise SIGBUS when
    /// the cage touches them, and kernel copies to or from them EFAULT.
    /// Memories that cannot map files say ENODEV; the caller then copies.
    fn map_file(
        &mut self,
        addr: u64,
        len: u64,
        fd: std::os::fd::OwnedFd,
        offset: u64,
        shared: bool,
        writable: bool,
    ) -> KResult<()> {
        let _ = (addr, len, fd, offset, shared, writable);
        Err(Errno::ENODEV)
    }
    /// mremap of file pages (MAP_SHARED memory, file and shm mappings):
    /// page-aligned `[to, to+new_len)` maps what `[from, from+len)` maps,
    /// the same pages of the same files, with pages past `len` continuing
    /// the file of the last old page (beyond its end they raise SIGBUS,
    /// as on Linux); private pages keep the cage's writes. `to == from`
    /// maps only the new tail. The old range is left mapped; the caller
    /// ends it. Memories that cannot map files say ENODEV; the caller then
    /// copies.
    fn remap_file(&mut self, from: u64, len: u64, to: u64, new_len: u64) -> KResult<()> {
        let _ = (from, len, to, new_len);
        Err(Errno::ENODEV)
    }
    /// Writes MAP_SHARED file pages of the range back to their files
    /// (msync MS_SYNC).
    fn sync(&mut self, addr: u64, len: u64) -> KResult<()> {
        let _ = (addr, len);
        Ok(())
    }
    /// mincore(2): a byte per page of `[addr, addr+len)`, 1 when the page
    /// is in memory. Memories that cannot tell say every page is.
    fn resident(&self, addr: u64, len: u64) -> KResult<Vec<u8>> {
        let end = addr.checked_add(len).ok_or(Errno::EFAULT)?;
        if end > self.size() {
            return Err(Errno::EFAULT);
        }
        Ok(vec![1; len.div_ceil(lind_abi::PAGE_SIZE) as usize])
    }
    /// Fresh zero pages over page-aligned `[addr, addr+len)`, without
    /// writing to them (MADV_DONTNEED).
    fn discard(&mut self, addr: u64, len: u64) -> KResult<()> {
        self.zero(addr, len)
    }
    /// Atomically loads the aligned 32-bit word at `addr` (futex words,
    /// which other threads of the cage change concurrently). EINVAL when
    /// unaligned, EFAULT out of range. The default suits memories no other
    /// thread can touch.
    fn atomic_load_u32(&self, addr: u64) -> KResult<u32> {
        if !addr.is_multiple_of(4) {
            return Err(Errno::EINVAL);
        }
        let mut b = [0u8; 4];
        self.read(addr, &mut b)?;
        Ok(u32::from_le_bytes(b))
    }
    /// Atomically stores the aligned 32-bit word at `addr`.
    fn atomic_store_u32(&mut self, addr: u64, v: u32) -> KResult<()> {
        if !addr.is_multiple_of(4) {
            return Err(Errno::EINVAL);
        }
        self.write(addr, &v.to_le_bytes())
    }
    /// Atomically replaces the aligned word at `addr` with `new` if it
    /// holds `old`; returns the value it held (the robust-futex walk at
    /// thread exit races the other threads' lock operations).
    fn atomic_cmpxchg_u32(&mut self, addr: u64, old: u32, new: u32) -> KResult<u32> {
        let cur = self.atomic_load_u32(addr)?;
        if cur == old {
            self.atomic_store_u32(addr, new)?;
        }
        Ok(cur)
    }
    /// Zeroes a range: pages handed out again by mmap/brk must read as zero.
    fn zero(&mut self, addr: u64, len: u64) -> KResult<()> {
        static CHUNK: [u8; 65536] = [0; 65536];
        let mut at = addr;
        let end = addr.checked_add(len).ok_or(Errno::EFAULT)?;
        while at < end {
            let n = (end - at).min(CHUNK.len() as u64);
            self.write(at, &CHUNK[..n as usize])?;
            at += n;
        }
        Ok(())
    }
}

/// Addresses below this are never valid for a syscall: they are where a
/// NULL (or NULL plus a small offset) pointer lands.
pub const NULL_GUARD: u64 = 4096;

/// Checks a guest range is inside memory and not in the NULL guard.
pub fn check_range(mem: &dyn GuestMemory, addr: u64, len: u64) -> KResult<()> {
    if len == 0 {
        return Ok(());
    }
    let end = addr.checked_add(len).ok_or(Errno::EFAULT)?;
    if addr < NULL_GUARD || end > mem.size() {
        return Err(Errno::EFAULT);
    }
    Ok(())
}

/// Guest buffers of a readv/writev (or one of a read/write), as
/// (address, length) pairs already checked with [`check_range`].
pub type IoVecs = [(u64, usize)];

/// The buffers' total length.
pub fn iov_total(iov: &IoVecs) -> usize {
    iov.iter().map(|v| v.1).sum()
}

/// The guest ranges, in order, that bytes `at..at + n` of the buffers
/// `iov` occupy.
fn pieces(iov: &IoVecs, at: usize, n: usize) -> impl Iterator<Item = (u64, usize)> + '_ {
    iov.iter()
        .scan((at, n), |(skip, left), &(base, len)| {
            if *left == 0 {
                return None;
            }
            if *skip >= len {
                *skip -= len;
                return Some(None);
            }
            let k = (len - *skip).min(*left);
            let piece = (base + *skip as u64, k);
            *left -= k;
            *skip = 0;
            Some(Some(piece))
        })
        .flatten()
}

/// Copies `bytes` into the guest buffers `iov`, starting `at` bytes into
/// them (a read's data arriving in pieces).
pub fn scatter(mem: &mut dyn GuestMemory, iov: &IoVecs, at: usize, bytes: &[u8]) -> KResult<()> {
    let mut done = 0;
    for (addr, k) in pieces(iov, at, bytes.len()) {
        mem.write(addr, &bytes[done..done + k])?;
        done += k;
    }
    Ok(())
}

/// Appends the `n` bytes that start `at` bytes into the guest buffers
/// `iov` to `out` (a write's data leaving in pieces).
pub fn gather(
    mem: &dyn GuestMemory,
    iov: &IoVecs,
    at: usize,
    n: usize,
    out: &mut Vec<u8>,
) -> KResult<()> {
    for (addr, k) in pieces(iov, at, n) {
        mem.read_append(addr, k, out)?;
    }
    Ok(())
}

/// Typed helpers over [`GuestMemory`].
pub trait GuestMemoryExt: GuestMemory {
    fn read_vec(&self, addr: u64, len: usize) -> KResult<Vec<u8>> {
        let mut v = Vec::new();
        self.read_append(addr, len, &mut v)?;
        Ok(v)
    }
    fn read_u32(&self, addr: u64) -> KResult<u32> {
        let mut b = [0u8; 4];
        self.read(addr, &mut b)?;
        Ok(u32::from_le_bytes(b))
    }
    fn read_u64(&self, addr: u64) -> KResult<u64> {
        let mut b = [0u8; 8];
        self.read(addr, &mut b)?;
        Ok(u64::from_le_bytes(b))
    }
    fn write_u32(&mut self, addr: u64, v: u32) -> KResult<()> {
        self.write(addr, &v.to_le_bytes())
    }
    fn write_u64(&mut self, addr: u64, v: u64) -> KResult<()> {
        self.write(addr, &v.to_le_bytes())
    }
    /// Reads a NUL-terminated string of at most `max` bytes (without the
    /// NUL); longer ones are `too_long`.
    fn read_cstr(&self, addr: u64, max: usize, too_long: Errno) -> KResult<Vec<u8>> {
        let mut out = Vec::new();
        let mut chunk = [0u8; 256];
        let mut at = addr;
        loop {
            // Read what is left in this 256-byte-aligned window so a string
            // ending just before the end of memory still reads.
            let window = 256 - (at % 256) as usize;
            let n = window.min((self.size().saturating_sub(at)) as usize);
            if n == 0 {
                return Err(Errno::EFAULT);
            }
            self.read(at, &mut chunk[..n])?;
            if let Some(z) = chunk[..n].iter().position(|&c| c == 0) {
                out.extend_from_slice(&chunk[..z]);
                if out.len() > max {
                    return Err(too_long);
                }
                return Ok(out);
            }
            out.extend_from_slice(&chunk[..n]);
            if out.len() > max {
                return Err(too_long);
            }
            at += n as u64;
        }
    }
}

impl<T: GuestMemory + ?Sized> GuestMemoryExt for T {}

/// A flat `Vec<u8>` memory for tests and fuzzing.
#[derive(Debug, Clone)]
pub struct VecMemory {
    pub bytes: Vec<u8>,
    pub limit: u64,
}

impl VecMemory {
    pub fn new(size: usize) -> Self {
        VecMemory {
            bytes: vec![0; size],
            limit: 64 << 20,
        }
    }
}

impl GuestMemory for VecMemory {
    fn size(&self) -> u64 {
        self.bytes.len() as u64
    }
    fn read(&self, addr: u64, buf: &mut [u8]) -> KResult<()> {
        check_range(self, addr, buf.len() as u64)?;
        if buf.is_empty() {
            return Ok(());
        }
        let a = addr as usize;
        buf.copy_from_slice(&self.bytes[a..a + buf.len()]);
        Ok(())
    }
    fn write(&mut self, addr: u64, data: &[u8]) -> KResult<()> {
        check_range(self, addr, data.len() as u64)?;
        if data.is_empty() {
            return Ok(());
        }
        let a = addr as usize;
        self.bytes[a..a + data.len()].copy_from_slice(data);
        Ok(())
    }
    fn grow_to(&mut self, bytes: u64) -> KResult<()> {
        if bytes > self.limit {
            return Err(Errno::ENOMEM);
        }
        if bytes > self.bytes.len() as u64 {
            self.bytes.resize(bytes as usize, 0);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scatter_and_gather_cross_buffers() {
        let mut m = VecMemory::new(8192);
        let iov = [(4096, 3), (5000, 0), (6000, 4)];
        scatter(&mut m, &iov, 2, b"abcd").unwrap();
        assert_eq!(&m.bytes[4098..4099], b"a");
        assert_eq!(&m.bytes[6000..6003], b"bcd");
        let mut out = b"x".to_vec();
        gather(&m, &iov, 2, 4, &mut out).unwrap();
        assert_eq!(out, b"xabcd");
        assert_eq!(gather(&m, &[(8190, 4)], 0, 4, &mut out), Err(Errno::EFAULT));
        assert_eq!(out, b"xabcd", "nothing appended on a fault");
    }

    #[test]
    fn null_and_out_of_range_are_efault() {
        let mut m = VecMemory::new(8192);
        assert_eq!(m.read_u32(0), Err(Errno::EFAULT));
        assert_eq!(m.read_u32(8190), Err(Errno::EFAULT));
        assert_eq!(m.write(u64::MAX - 1, &[1, 2, 3]), Err(Errno::EFAULT));
        m.write_u32(4096, 7).unwrap();
        assert_eq!(m.read_u32(4096), Ok(7));
    }

    #[test]
    fn cstr_reads_up_to_nul_and_limits_length() {
        let mut m = VecMemory::new(8192);
        m.write(5000, b"hello\0").unwrap();
        assert_eq!(
            m.read_cstr(5000, 100, Errno::ENAMETOOLONG).unwrap(),
            b"hello"
        );
        assert_eq!(
            m.read_cstr(5000, 3, Errno::ENAMETOOLONG),
            Err(Errno::ENAMETOOLONG)
        );
        // A string running off the end of memory faults.
        m.write(8190, b"ab").unwrap();
        assert_eq!(
            m.read_cstr(8190, 100, Errno::ENAMETOOLONG),
            Err(Errno::EFAULT)
        );
    }
}
