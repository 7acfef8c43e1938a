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
    let source = if anonymous {
        None
    } else {
        let f = file(ctx, fd)?;
        if !f.readable() {
            return Err(Errno::EACCES);
        }
        if !f.file.seekable() {
            return Err(Errno::ENODEV);
        }
        if kind != MAP_PRIVATE && prot & PROT_WRITE != 0 {
            // Writes could not reach the file yet: refuse rather than lose them.
            return Err(Errno::ENODEV);
        }
        Some(f)
    };
    if flags & MAP_FIXED_NOREPLACE != 0 {
        let end = addr.checked_add(len).ok_or(Errno::ENOMEM)?;
        if ctx.cage.mm.lock().any_mapped(addr, end) {
            return Err(Errno::EEXIST);
        }
    }
    let (start, prep) = ctx.cage.mm.lock().map(addr, len, prot, flags, fixed)?;
    // Pages a MAP_FIXED mapping replaces may still carry an old protection
    // or be shared with another cage: make them private and writable
    // before they are zeroed and filled.
    if let Some((s, l)) = in_memory(ctx, start, len) {
        ctx.mem.unshare(s, l)?;
        ctx.mem.protect(s, l, RW)?;
    }
    if let Err(e) = apply(ctx, prep) {
        let _ = ctx.cage.mm.lock().unmap(start, len);
        return Err(e);
    }
    let pages = crate::mm::page_align_up(len).ok_or(Errno::ENOMEM)?;
    if anonymous && kind != MAP_PRIVATE {
        if let Err(e) = ctx.mem.share(start, pages) {
            let _ = ctx.cage.mm.lock().unmap(start, len);
            return Err(e);
        }
    }
    if source.is_none() && prot & (PROT_READ | PROT_WRITE) != RW {
        ctx.mem.protect(start, pages, prot)?;
    }
    if let Some(f) = source {
        // Private file mapping: a copy of the file's pages.
        let mut buf = vec![0u8; len as usize];
        let mut got = 0;
        while got < buf.len() {
            let n = f.pread(&mut buf[got..], off + got as i64)?;
            if n == 0 {
                break;
            }
            got += n;
        }
        ctx.mem.write(start, &buf[..got])?;
        if prot & (PROT_READ | PROT_WRITE) != RW {
            ctx.mem.protect(start, pages, prot)?;
        }
    }
    Ok(start as i64)
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
        // host). MAP_SHARED pages keep their contents, as on Linux.
        let len = crate::mm::page_align_up(len).ok_or(Errno::EINVAL)?;
        let shared = ctx
            .cage
            .mm
            .lock()
            .regions
            .range(..end)
            .any(|(&s, r)| s + r.len > addr && r.flags & MAP_TYPE != MAP_PRIVATE);
        if !shared {
            if let Some((s, l)) = in_memory(ctx, addr, len) {
                ctx.mem.discard(s, l)?;
            }
        }
    }
    Ok(0)
}

pub fn msync(ctx: &mut Ctx, a: &Args) -> KResult<i64> {
    let (addr, len) = (a.ptr(0), a.size(1) as u64);
    if addr % PAGE_SIZE != 0 {
        return Err(Errno::EINVAL);
    }
    let end = addr.checked_add(len).ok_or(Errno::ENOMEM)?;
    if !ctx.cage.mm.lock().is_mapped(addr, end) {
        return Err(Errno::ENOMEM);
    }
    Ok(0)
}
