//! Memory: brk, mmap and friends over the cage's vmmap.

use super::{io::file, Args, Ctx};
use crate::{file::OpenFile, mm::Prepare, KResult};
use lind_abi::{flags::*, Errno, PAGE_SIZE};

/// Makes a reserved range usable: grow memory, zero reused pages. Done
/// after the map lock is released.
fn apply(ctx: &mut Ctx, p: Prepare) -> KResult<()> {
    if p.grow_to > ctx.mem.size() {
        ctx.mem.grow_to(p.grow_to)?;
    }
    if p.zero_len > 0 {
        ctx.mem.zero(p.zero_from, p.zero_len)?;
    }
    Ok(())
}

pub fn brk(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let want = a.ptr(0);
    let result = ctx.cage.mm.lock().set_brk(want);
    let current = match result {
        Some((new, Some(prep))) => match apply(ctx, prep) {
            Ok(()) => new,
            Err(_) => {
                // Memory could not grow: undo, as Linux leaves the break.
                let mut mm = ctx.cage.mm.lock();
                mm.brk = mm.heap_start.max(mm.brk.min(ctx.mem.size()));
                mm.brk
            }
        },
        Some((new, None)) => new,
        None => ctx.cage.mm.lock().brk,
    };
    Ok(current as i64)
}

/// F_SEAL_WRITE or F_SEAL_FUTURE_WRITE: no new writable shared mappings.
fn write_sealed(f: &OpenFile) -> bool {
    f.file
        .seals()
        .is_ok_and(|s| s & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE) != 0)
}

pub fn mmap(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let (addr, len, prot, flags, fd, off) = (
        a.ptr(0),
        a.size(1) as u64,
        a.uint(2),
        a.uint(3),
        a.int(4),
        a.i64(5),
    );
    let kind = flags & MAP_TYPE;
    if kind != MAP_PRIVATE && kind != MAP_SHARED && kind != MAP_SHARED_VALIDATE {
        return Err(Errno::EINVAL);
    }
    if len == 0 || off < 0 || !(off as u64).is_multiple_of(PAGE_SIZE) {
        return Err(Errno::EINVAL);
    }
    let fixed = flags & (MAP_FIXED | MAP_FIXED_NOREPLACE) != 0;
    let anonymous = flags & MAP_ANONYMOUS != 0;
    let shared = kind != MAP_PRIVATE;
    let source = if anonymous {
        None
    } else {
        let f = file(ctx, fd)?;
        if !f.readable() {
            return Err(Errno::EACCES);
        }
        if shared && prot & PROT_WRITE != 0 && !f.writable() {
            return Err(Errno::EACCES);
        }
        if shared && prot & PROT_WRITE != 0 && write_sealed(&f) {
            return Err(Errno::EPERM);
        }
        if !f.file.seekable() {
            return Err(Errno::ENODEV);
        }
        // Zero-copy where the file has host pages; otherwise a private
        // mapping is a copy and a shared one is refused (its writes could
        // not reach the file).
        let host = match f.file.map_fd() {
            Ok(fd) => Some(fd),
            Err(Errno::ENODEV) if !shared => None,
            Err(Errno::ENODEV) => return Err(Errno::ENODEV),
            Err(Errno::ENOSPC) => return Err(Errno::ENOMEM),
            Err(e) => return Err(e),
        };
        Some((f, host))
    };
    if flags & MAP_FIXED_NOREPLACE != 0 {
        let end = addr.checked_add(len).ok_or(Errno::ENOMEM)?;
        if ctx.cage.mm.lock().any_mapped(addr, end) {
            return Err(Errno::EEXIST);
        }
    }
    // What /proc/<pid>/maps will call the mapped file.
    let name = source.as_ref().map(|(f, _)| crate::mm::MapName {
        dev: f.file.stat().map(|st| st.dev).unwrap_or(0),
        ino: f.file.stat().map(|st| st.ino).unwrap_or(0),
        path: crate::vfs::procfs::ProcFs::describe(ctx.kernel, f),
    });
    let (start, prep) = ctx.cage.mm.lock().map(addr, len, prot, flags, fixed)?;
    let pages = crate::mm::page_align_up(len).ok_or(Errno::ENOMEM)?;
    let undo = |ctx: &mut Ctx, e: Errno| {
        let _ = ctx.cage.mm.lock().unmap(start, len);
        if let Some((s, l)) = in_memory(ctx, start, len) {
            let _ = ctx.mem.unshare(s, l);
        }
        e
    };
    // Pages a MAP_FIXED mapping replaces may still carry an old protection
    // or be shared with another cage: they become private and writable
    // before they are zeroed and filled.
    // Pages a file or a new shared memfd will replace need no zeroing.
    let replaced = matches!(source, Some((_, Some(_)))) || (source.is_none() && shared);
    let prep = if replaced {
        Prepare {
            zero_len: 0,
            ..prep
        }
    } else {
        prep
    };
    if let Err(e) = prepare_fresh(ctx, start, len, prep) {
        return Err(undo(ctx, e));
    }
    match source {
        None => {
            if shared {
                if let Err(e) = ctx.mem.share(start, pages) {
                    return Err(undo(ctx, e));
                }
            }
        }
        Some((f, Some(fd))) => {
            // As Linux clears VM_MAYWRITE: mprotect cannot add PROT_WRITE
            // to a shared mapping of a write-sealed memfd.
            let writable = !shared || (f.writable() && !write_sealed(&f));
            match ctx
                .mem
                .map_file(start, pages, fd, off as u64, shared, writable)
            {
                Ok(()) => ctx
                    .cage
                    .mm
                    .lock()
                    .set_backing(start, crate::mm::Backing::File { writable }),
                // A memory that cannot map files (tests): copy.
                Err(Errno::ENODEV) if !shared => copy_file(ctx, &f, start, len, off)?,
                Err(e) => return Err(undo(ctx, e)),
            }
        }
        Some((f, None)) => copy_file(ctx, &f, start, len, off)?,
    }
    if let Some(name) = name {
        ctx.cage.mm.lock().set_name(start, off as u64, name);
    }
    if prot & (PROT_READ | PROT_WRITE) != RW {
        ctx.mem.protect(start, pages, prot)?;
    }
    Ok(start as i64)
}

/// Makes a range the vmmap just reserved usable: what was mapped there
/// before (MAP_FIXED) becomes private, writable memory, and the memory
/// grows to hold it and reused pages are zeroed.
pub(crate) fn prepare_fresh(ctx: &mut Ctx, start: u64, len: u64, prep: Prepare) -> KResult<()> {
    if let Some((s, l)) = in_memory(ctx, start, len) {
        ctx.mem.unshare(s, l)?;
        ctx.mem.protect(s, l, RW)?;
    }
    apply(ctx, prep)
}

/// A private mapping of a file without host pages: a copy of its bytes.
fn copy_file(
    ctx: &mut Ctx,
    f: &crate::file::OpenFile,
    start: u64,
    len: u64,
    off: i64,
) -> KResult<()> {
    let mut buf = vec![0u8; len as usize];
    let mut got = 0;
    while got < buf.len() {
        let n = f.pread(&mut buf[got..], off + got as i64)?;
        if n == 0 {
            break;
        }
        got += n;
    }
    ctx.mem.write(start, &buf[..got])
}

/// Read+write: what unmapped pages of linear memory are left as (wasm
/// memory has no holes), and what mmap starts file pages at.
const RW: u32 = PROT_READ | PROT_WRITE;

/// The part of `[addr, addr+len)` inside linear memory, page-aligned.
fn in_memory(ctx: &Ctx, addr: u64, len: u64) -> Option<(u64, u64)> {
    let end = addr
        .checked_add(crate::mm::page_align_up(len)?)?
        .min(ctx.mem.size());
    (end > addr).then(|| (addr, end - addr))
}

pub fn munmap(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let (addr, len) = (a.ptr(0), a.size(1) as u64);
    unmap_range(ctx, addr, len)?;
    Ok(0)
}

/// mprotect(2), enforced: PROT_NONE and PROT_READ pages fault when the
/// cage touches them against their protection (SIGSEGV), and the kernel's
/// copies from or to them fail with EFAULT. PROT_EXEC is accepted and
/// means nothing (code is not in linear memory).
pub fn mprotect(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let (addr, len, prot) = (a.ptr(0), a.size(1) as u64, a.uint(2));
    if prot & !(PROT_READ | PROT_WRITE | PROT_EXEC) != 0 {
        return Err(Errno::EINVAL);
    }
    ctx.cage.mm.lock().protect(addr, len, prot)?;
    if let Some((start, len)) = in_memory(ctx, addr, len) {
        ctx.mem.protect(start, len, prot)?;
    }
    Ok(0)
}

/// mremap(2): shrink, grow in place when the pages after are free, else
/// move (MREMAP_MAYMOVE, or to MREMAP_FIXED's address), as Linux does.
/// MAP_SHARED memory, file and shm mappings are moved and grown as
/// mappings (the same pages, so they stay shared; grown pages continue the
/// file), private anonymous memory by copying. MREMAP_DONTUNMAP leaves the
/// old range mapped: shared pages still map the same object there, private
/// anonymous ones read as zero.
pub fn mremap(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let (old, old_len, new_len, flags, to) = (
        a.ptr(0),
        a.size(1) as u64,
        a.size(2) as u64,
        a.uint(3),
        a.ptr(4),
    );
    let maymove = flags & MREMAP_MAYMOVE != 0;
    let fixed = flags & MREMAP_FIXED != 0;
    let dontunmap = flags & MREMAP_DONTUNMAP != 0;
    if old % PAGE_SIZE != 0
        || new_len == 0
        || flags & !(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP) != 0
        || ((fixed || dontunmap) && !maymove)
    {
        return Err(Errno::EINVAL);
    }
    let align = |v: u64| crate::mm::page_align_up(v).ok_or(Errno::ENOMEM);
    let (old_len, new_len) = (align(old_len)?, align(new_len)?);
    if dontunmap && old_len != new_len {
        return Err(Errno::EINVAL);
    }
    let old_end = old.checked_add(old_len).ok_or(Errno::EINVAL)?;
    if fixed {
        let to_end = to.checked_add(new_len).ok_or(Errno::EINVAL)?;
        if to % PAGE_SIZE != 0 || (to < old_end && old < to_end) {
            return Err(Errno::EINVAL);
        }
    }
    // The old range must lie in one mapping (Linux: one VMA).
    let (region, region_end) = {
        let mm = ctx.cage.mm.lock();
        let r = mm.region_containing(old).ok_or(Errno::EFAULT)?;
        let (&rs, _) = mm.regions.range(..=old).next_back().ok_or(Errno::EFAULT)?;
        (r, rs + r.len)
    };
    if old_end > region_end {
        return Err(Errno::EFAULT);
    }
    let mapped =
        region.backing != crate::mm::Backing::Anonymous || region.flags & MAP_TYPE != MAP_PRIVATE;
    let private = region.flags & MAP_TYPE == MAP_PRIVATE;
    // An old length of 0 asks for a second mapping of the same shared
    // pages (Linux); the old one stays.
    let duplicate = old_len == 0;
    if duplicate && (private || !maymove) {
        return Err(if private {
            Errno::EINVAL
        } else {
            Errno::ENOMEM
        });
    }
    let zero_tail = |prep: Prepare| {
        if mapped {
            Prepare {
                zero_len: 0,
                ..prep
            }
        } else {
            prep
        }
    };
    if !fixed && !dontunmap && !duplicate {
        if new_len <= old_len {
            // Shrinking is unmapping the tail.
            if new_len < old_len {
                unmap_range(ctx, old + new_len, old_len - new_len)?;
            }
            return Ok(old as i64);
        }
        // Growing in place: the old range must end the mapping, and the
        // pages after it be free.
        if old_end == region_end {
            let resized = {
                let mut mm = ctx.cage.mm.lock();
                mm.split_at(old);
                mm.resize_in_place(old, old_len, new_len)
            };
            if let Some(prep) = resized {
                apply(ctx, zero_tail(prep))?;
                if mapped {
                    match ctx.mem.remap_file(old, old_len, old, new_len) {
                        Ok(()) | Err(Errno::ENODEV) => {}
                        Err(e) => {
                            ctx.cage.mm.lock().resize_in_place(old, new_len, old_len);
                            return Err(e);
                        }
                    }
                }
                if region.prot & RW != RW {
                    ctx.mem.protect(old_end, new_len - old_len, region.prot)?;
                }
                return Ok(old as i64);
            }
        }
        if !maymove {
            return Err(Errno::ENOMEM);
        }
    }
    let (start, prep) = ctx.cage.mm.lock().map_moving(
        old,
        old_len,
        new_len,
        fixed.then_some(to),
        dontunmap || duplicate,
    )?;
    let undo = |ctx: &mut Ctx, e: Errno| {
        let _ = unmap_range(ctx, start, new_len);
        e
    };
    if let Err(e) = prepare_fresh(ctx, start, new_len, zero_tail(prep)) {
        return Err(undo(ctx, e));
    }
    // Private pages are copied whatever their protection (shared ones
    // are mapped again, not read).
    if !mapped || private {
        ctx.mem.protect(old, old_len, RW)?;
    }
    let moved = if mapped {
        ctx.mem.remap_file(old, old_len, start, new_len)
    } else {
        Err(Errno::ENODEV)
    };
    match moved {
        Ok(()) => {}
        Err(Errno::ENODEV) => {
            let mut buf = vec![0u8; old_len.min(new_len) as usize];
            ctx.mem.read(old, &mut buf)?;
            ctx.mem.write(start, &buf)?;
        }
        Err(e) => return Err(undo(ctx, e)),
    }
    if region.prot & RW != RW {
        ctx.mem.protect(start, new_len, region.prot)?;
    }
    if dontunmap {
        if !mapped {
            // Private anonymous pages left behind read as zero.
            ctx.mem.discard(old, old_len)?;
        }
        if region.prot & RW != RW {
            ctx.mem.protect(old, old_len, region.prot)?;
        }
    } else if !duplicate {
        unmap_range(ctx, old, old_len)?;
    }
    Ok(start as i64)
}

/// munmap's work: forget the range, and make its pages private and
/// read+write again.
fn unmap_range(ctx: &mut Ctx, addr: u64, len: u64) -> KResult<()> {
    ctx.cage.mm.lock().unmap(addr, len)?;
    if let Some((s, l)) = in_memory(ctx, addr, len) {
        ctx.mem.unshare(s, l)?;
        ctx.mem.protect(s, l, RW)?;
    }
    Ok(())
}

pub fn madvise(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let (addr, len, advice) = (a.ptr(0), a.size(1) as u64, a.uint(2));
    if addr % PAGE_SIZE != 0 {
        return Err(Errno::EINVAL);
    }
    let end = addr.checked_add(len).ok_or(Errno::EINVAL)?;
    if !ctx.cage.mm.lock().is_mapped(addr, end) {
        return Err(Errno::ENOMEM);
    }
    if advice == MADV_DONTNEED {
        // Private anonymous pages read back as zero after DONTNEED (fresh
        // pages: nothing is written, and their memory goes back to the
        // host). MAP_SHARED pages keep their contents, as on Linux; so do
        // private file mappings here (Linux would re-read the file).
        let len = crate::mm::page_align_up(len).ok_or(Errno::EINVAL)?;
        let shared = ctx.cage.mm.lock().regions.range(..end).any(|(&s, r)| {
            s + r.len > addr
                && (r.flags & MAP_TYPE != MAP_PRIVATE || r.backing != crate::mm::Backing::Anonymous)
        });
        if !shared {
            if let Some((s, l)) = in_memory(ctx, addr, len) {
                ctx.mem.discard(s, l)?;
            }
        }
    }
    Ok(0)
}

/// msync(2). Writes to a MAP_SHARED file mapping are in the host's page
/// cache at once (every reader sees them); MS_SYNC also writes them to
/// disk. MS_ASYNC and MS_INVALIDATE have nothing to do.
pub fn msync(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let (addr, len, flags) = (a.ptr(0), a.size(1) as u64, a.uint(2));
    if addr % PAGE_SIZE != 0
        || flags & !(MS_ASYNC | MS_INVALIDATE | MS_SYNC) != 0
        || flags & (MS_ASYNC | MS_SYNC) == MS_ASYNC | MS_SYNC
    {
        return Err(Errno::EINVAL);
    }
    let len = crate::mm::page_align_up(len).ok_or(Errno::ENOMEM)?;
    let end = addr.checked_add(len).ok_or(Errno::ENOMEM)?;
    if !ctx.cage.mm.lock().is_mapped(addr, end) {
        return Err(Errno::ENOMEM);
    }
    if flags & MS_SYNC != 0 {
        if let Some((s, l)) = in_memory(ctx, addr, len) {
            ctx.mem.sync(s, l)?;
        }
    }
    Ok(0)
}

/// mincore(2): which pages of a mapped range are in memory, as the host
/// knows it (a page never touched is not, as on Linux).
pub fn mincore(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let (addr, len, vec) = (a.ptr(0), a.size(1) as u64, a.ptr(2));
    if addr % PAGE_SIZE != 0 {
        return Err(Errno::EINVAL);
    }
    let len = crate::mm::page_align_up(len).ok_or(Errno::ENOMEM)?;
    let end = addr.checked_add(len).ok_or(Errno::ENOMEM)?;
    if !ctx.cage.mm.lock().is_mapped(addr, end) || end > ctx.mem.size() {
        return Err(Errno::ENOMEM);
    }
    if len == 0 {
        return Ok(0);
    }
    let pages = ctx.mem.resident(addr, len)?;
    ctx.mem.write(vec, &pages)?;
    Ok(0)
}
