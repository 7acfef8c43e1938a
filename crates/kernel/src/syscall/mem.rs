//! Memory: brk, mmap and friends over the cage's vmmap.

use super::{io::file, Args, Ctx};
use crate::{mm::Prepare, KResult};
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
            let writable = !shared || f.writable();
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
    ctx.cage.mm.lock().unmap(addr, len)?;
    if let Some((start, len)) = in_memory(ctx, addr, len) {
        ctx.mem.unshare(start, len)?;
        ctx.mem.protect(start, len, RW)?;
    }
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

pub fn mremap(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let (old, old_len, new_len, flags) = (a.ptr(0), a.size(1) as u64, a.size(2) as u64, a.uint(3));
    if old % PAGE_SIZE != 0 || new_len == 0 || flags & !(MREMAP_MAYMOVE | MREMAP_FIXED) != 0 {
        return Err(Errno::EINVAL);
    }
    if flags & MREMAP_FIXED != 0 {
        return Err(Errno::EINVAL);
    }
    let align = |v: u64| crate::mm::page_align_up(v).ok_or(Errno::ENOMEM);
    let (old_len, new_len) = (align(old_len)?, align(new_len)?);
    let region = ctx.cage.mm.lock().region_at(old).ok_or(Errno::EFAULT)?;
    if region.len < old_len {
        return Err(Errno::EFAULT);
    }
    let mapped =
        region.backing != crate::mm::Backing::Anonymous || region.flags & MAP_TYPE != MAP_PRIVATE;
    if new_len < old_len {
        // Shrinking is unmapping the tail.
        let tail = (old + new_len, old_len - new_len);
        ctx.cage.mm.lock().unmap(tail.0, tail.1)?;
        if let Some((s, l)) = in_memory(ctx, tail.0, tail.1) {
            ctx.mem.unshare(s, l)?;
            ctx.mem.protect(s, l, RW)?;
        }
        return Ok(old as i64);
    }
    if mapped && new_len > old_len {
        // Shared and file pages would have to be mapped again at the new
        // size, which is not done yet: as if there were no room.
        return Err(Errno::ENOMEM);
    }
    let resized = ctx.cage.mm.lock().resize_in_place(
        old,
        region.len,
        if old_len == region.len {
            new_len
        } else {
            region.len
        },
    );
    if old_len == region.len {
        if let Some(prep) = resized {
            apply(ctx, prep)?;
            return Ok(old as i64);
        }
    }
    if flags & MREMAP_MAYMOVE == 0 {
        return Err(Errno::ENOMEM);
    }
    let (start, prep) =
        ctx.cage
            .mm
            .lock()
            .map_moving(old, old_len, new_len, region.prot, region.flags)?;
    apply(ctx, prep)?;
    let keep = old_len.min(new_len) as usize;
    let mut buf = vec![0u8; keep];
    ctx.mem.protect(old, old_len, RW)?;
    ctx.mem.read(old, &mut buf)?;
    ctx.mem.write(start, &buf)?;
    ctx.mem.protect(start, new_len, region.prot)?;
    ctx.cage.mm.lock().unmap(old, old_len)?;
    Ok(start as i64)
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
