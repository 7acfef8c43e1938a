//! The cage's address space map (vmmap): the `brk` heap and mmap regions
//! inside linear memory. Pure bookkeeping; the syscalls grow and zero guest
//! memory after the map has reserved a range, so no lock is held across a
//! guest memory copy.

use crate::KResult;
use lind_abi::{
    flags::{MAP_PRIVATE, MAP_TYPE, PROT_WRITE, RLIM_INFINITY},
    Errno, PAGE_SIZE,
};
use std::collections::BTreeMap;

/// wasm32 linear memory can never exceed 4 GiB.
pub const ADDRESS_LIMIT: u64 = 1 << 32;
/// Room left above the initial heap for `brk` before mmap starts placing
/// regions. brk may still grow past this while nothing is mapped there.
pub const BRK_RESERVE: u64 = 64 << 20;
/// A host huge page (x86-64 PMD): the alignment of large mappings.
const HUGE_PAGE: u64 = 2 << 20;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Region {
    pub len: u64,
    pub prot: u32,
    pub flags: u32,
    /// For MAP_SHARED anonymous memory, which stays shared across fork at
    /// the same address: an id of the mapping, kept by fork, that names it
    /// in the futex table (non-private futexes there meet across cages).
    /// 0 for other memory.
    pub share_id: u32,
    pub backing: Backing,
    /// What `/proc/<pid>/maps` names the mapped object (a key of
    /// [`MemMap::names`]); 0 for anonymous memory.
    pub name: u32,
    /// File offset minus address: unchanged when the region is split.
    pub delta: i64,
}

/// The object a file mapping maps, as `/proc/<pid>/maps` shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MapName {
    pub dev: u64,
    pub ino: u64,
    /// The path as the cage sees it, or Linux's name for objects without
    /// one (`/memfd:NAME (deleted)`, `/SYSV%08x (deleted)`).
    pub path: Vec<u8>,
}

/// What a region maps.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Backing {
    /// Anonymous memory (MAP_SHARED or not), or a copy of a file.
    #[default]
    Anonymous,
    /// A file mapped zero-copy; `writable`: whether PROT_WRITE is allowed
    /// (not for a MAP_SHARED mapping of a file opened read-only).
    File { writable: bool },
    /// An attached System V shared memory segment.
    Shm { id: i32, writable: bool },
}

impl Backing {
    /// Whether mprotect may add PROT_WRITE.
    pub fn writable(self) -> bool {
        match self {
            Backing::Anonymous => true,
            Backing::File { writable } | Backing::Shm { writable, .. } => writable,
        }
    }
}

/// Ids for MAP_SHARED anonymous mappings (see [`Region::share_id`]).
static NEXT_SHARE_ID: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);

/// A range the caller must make valid: grow memory to `end`, and zero
/// `[zero_from, zero_from + zero_len)` because it was used before.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Prepare {
    pub grow_to: u64,
    pub zero_from: u64,
    pub zero_len: u64,
}

/// What the map may grow to. `address_space` and `data` are the cage's
/// RLIMIT_AS and RLIMIT_DATA soft limits, counted as Linux counts them
/// (see [`MemMap::usage`]); `memory` is the most linear memory the cage may
/// ever have (`lind run --max-memory`): no mapping or break may end above
/// it, whatever the rlimits say, so what a cage can make resident on the
/// host is bounded even where the vmmap has holes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MemLimits {
    pub address_space: u64,
    pub data: u64,
    pub memory: u64,
}

impl Default for MemLimits {
    fn default() -> Self {
        MemLimits {
            address_space: RLIM_INFINITY,
            data: RLIM_INFINITY,
            memory: ADDRESS_LIMIT,
        }
    }
}

/// Bytes of the address space as Linux's `total_vm` and `data_vm` count
/// them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Usage {
    /// Everything mapped: image, stack, heap, every mmap region.
    pub total: u64,
    /// Private writable memory that is not the stack: the image's static
    /// data, the heap, MAP_PRIVATE mappings with PROT_WRITE.
    pub data: u64,
}

/// What an entry of `/proc/<pid>/maps` is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AreaKind {
    /// The main thread's stack (`[stack]`).
    Stack,
    /// The program's static data and BSS.
    Image,
    /// The `brk` heap (`[heap]`).
    Heap,
    /// An mmap region: anonymous, or a file's pages.
    Mapping { file: bool },
}

/// One line of `/proc/<pid>/maps`: a run of pages with the same
/// protection and kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Area {
    pub start: u64,
    pub end: u64,
    pub prot: u32,
    pub shared: bool,
    pub kind: AreaKind,
    /// For a mapped object: its offset at `start`, and what it is.
    pub object: Option<(u64, std::sync::Arc<MapName>)>,
}

/// Linux's `is_data_mapping`: private and writable.
fn is_data(prot: u32, flags: u32) -> bool {
    prot & PROT_WRITE != 0 && flags & MAP_TYPE == MAP_PRIVATE
}

#[derive(Clone, Debug, Default)]
pub struct MemMap {
    pub heap_start: u64,
    pub brk: u64,
    /// mmap regions by start address; never overlapping.
    pub regions: BTreeMap<u64, Region>,
    /// Everything below this has been part of linear memory (and may hold
    /// old data); everything above is fresh from `memory.grow`, hence zero.
    pub high_water: u64,
    mmap_base: u64,
    /// Where the stack ends and the program's static data begins (`lind
    /// cc` links the stack first, at address 0); 0 when unknown.
    pub stack_top: u64,
    pub limits: MemLimits,
    /// What the regions' `name`s stand for.
    pub names: BTreeMap<u32, std::sync::Arc<MapName>>,
    next_name: u32,
}

pub fn page_align_up(v: u64) -> Option<u64> {
    v.checked_add(PAGE_SIZE - 1).map(|x| x & !(PAGE_SIZE - 1))
}

impl MemMap {
    /// Starts the map for a fresh module whose heap begins at `heap_base`
    /// and whose memory is `mem_size` bytes.
    pub fn new(heap_base: u64, mem_size: u64) -> Self {
        let heap_start = page_align_up(heap_base).unwrap_or(heap_base);
        MemMap {
            heap_start,
            brk: heap_start,
            regions: BTreeMap::new(),
            high_water: mem_size,
            mmap_base: page_align_up(heap_start + BRK_RESERVE).unwrap_or(heap_start),
            stack_top: 0,
            limits: MemLimits::default(),
            names: BTreeMap::new(),
            next_name: 1,
        }
    }

    /// What the cage has mapped, as Linux counts it for RLIMIT_AS
    /// (`total`) and RLIMIT_DATA (`data`). Everything below the heap is the
    /// stack and the program's image: all of it counts in `total`, the part
    /// above the stack (static data and BSS, private and writable) in
    /// `data` too, as a native program's data segment does.
    pub fn usage(&self) -> Usage {
        let heap_end = page_align_up(self.brk).unwrap_or(self.brk);
        let image = self.heap_start;
        let heap = heap_end.saturating_sub(self.heap_start);
        let mut u = Usage {
            total: image + heap,
            data: image.saturating_sub(self.stack_top.min(image)) + heap,
        };
        for r in self.regions.values() {
            u.total += r.len;
            if is_data(r.prot, r.flags) {
                u.data += r.len;
            }
        }
        u
    }

    /// The address space as `/proc/<pid>/maps` lists it, in address
    /// order: the stack, the image and the heap below the mmap regions
    /// (minus whatever MAP_FIXED put over them), then every region, with
    /// neighbours that look alike merged as Linux merges its VMAs.
    pub fn areas(&self) -> Vec<Area> {
        let rw = lind_abi::flags::PROT_READ | PROT_WRITE;
        let heap_end = page_align_up(self.brk).unwrap_or(self.brk);
        let stack_top = self.stack_top.min(self.heap_start);
        let mut base = vec![
            (0, stack_top, AreaKind::Stack),
            (stack_top, self.heap_start, AreaKind::Image),
            (self.heap_start, heap_end, AreaKind::Heap),
        ];
        let mut out: Vec<Area> = Vec::new();
        for (&s, r) in &self.regions {
            out.push(Area {
                start: s,
                end: s + r.len,
                prot: r.prot,
                shared: r.flags & MAP_TYPE != MAP_PRIVATE,
                kind: AreaKind::Mapping {
                    file: r.flags & lind_abi::flags::MAP_ANONYMOUS == 0,
                },
                object: self
                    .names
                    .get(&r.name)
                    .map(|n| ((s as i64 + r.delta) as u64, n.clone())),
            });
            // Cut the region out of the stack, image and heap.
            base = base
                .into_iter()
                .flat_map(|(bs, be, k)| [(bs, be.min(s), k), (bs.max(s + r.len), be, k)])
                .filter(|(bs, be, _)| bs < be)
                .collect();
        }
        out.extend(
            base.into_iter()
                .filter(|(s, e, _)| s < e)
                .map(|(start, end, kind)| Area {
                    start,
                    end,
                    prot: rw,
                    shared: false,
                    kind,
                    object: None,
                }),
        );
        out.sort_by_key(|a| a.start);
        let mut merged: Vec<Area> = Vec::with_capacity(out.len());
        for a in out {
            match merged.last_mut() {
                Some(m)
                    if m.end == a.start
                        && m.prot == a.prot
                        && m.shared == a.shared
                        && m.kind == a.kind
                        && a.object.is_none()
                        && a.kind != AreaKind::Mapping { file: true } =>
                {
                    m.end = a.end
                }
                _ => merged.push(a),
            }
        }
        merged
    }

    /// The part of `usage` that lies in mmap regions inside `[start, end)`
    /// (what a MAP_FIXED mapping there replaces).
    fn usage_in(&self, start: u64, end: u64) -> Usage {
        let mut u = Usage::default();
        for (&s, r) in self.regions.range(..end) {
            let n = (s + r.len).min(end).saturating_sub(s.max(start));
            u.total += n;
            if is_data(r.prot, r.flags) {
                u.data += n;
            }
        }
        u
    }

    /// Whether `more` bytes (`data` of them private and writable) may be
    /// added to the address space: Linux's `may_expand_vm`, which fails
    /// mmap, brk and mremap with ENOMEM past RLIMIT_AS or RLIMIT_DATA.
    fn may_expand(&self, more: u64, data: u64, replaced: Usage) -> bool {
        let l = self.limits;
        if l.address_space == RLIM_INFINITY && l.data == RLIM_INFINITY {
            return true;
        }
        let u = self.usage();
        let total = (u.total - replaced.total.min(u.total)).saturating_add(more);
        let data_now = u.data - replaced.data.min(u.data);
        total <= l.address_space && (data == 0 || data_now.saturating_add(data) <= l.data)
    }

    fn prepare(&mut self, start: u64, end: u64) -> Prepare {
        let zero_len = self.high_water.min(end).saturating_sub(start);
        let p = Prepare {
            grow_to: end,
            zero_from: start,
            zero_len,
        };
        self.high_water = self.high_water.max(end);
        p
    }

    fn overlaps(&self, start: u64, end: u64) -> bool {
        self.regions
            .range(..end)
            .next_back()
            .is_some_and(|(&s, r)| s + r.len > start)
    }

    /// Moves the break. Like Linux, a refused move leaves it where it was
    /// and the call returns the old break (so this returns `None`).
    pub fn set_brk(&mut self, new: u64) -> Option<(u64, Option<Prepare>)> {
        if new < self.heap_start || new > ADDRESS_LIMIT {
            return None;
        }
        if new <= self.brk {
            self.brk = new;
            return Some((new, None));
        }
        let old_end = page_align_up(self.brk)?;
        let new_end = page_align_up(new)?;
        if new_end > self.limits.memory.min(ADDRESS_LIMIT) || self.overlaps(old_end, new_end) {
            return None;
        }
        // Linux's check_data_rlimit: the heap plus the static data must
        // stay within RLIMIT_DATA; then may_expand_vm for the new pages.
        let static_data = self
            .heap_start
            .saturating_sub(self.stack_top.min(self.heap_start));
        if self.limits.data != RLIM_INFINITY
            && (new - self.heap_start).saturating_add(static_data) > self.limits.data
        {
            return None;
        }
        let grow = new_end.saturating_sub(old_end);
        if !self.may_expand(grow, grow, Usage::default()) {
            return None;
        }
        let prep = self.prepare(self.brk, new_end);
        self.brk = new;
        Some((new, Some(prep)))
    }

    /// Reserves `len` bytes: at `addr` exactly when `fixed` (replacing what
    /// was there), else at the lowest free gap at or above the mmap base.
    pub fn map(
        &mut self,
        addr: u64,
        len: u64,
        prot: u32,
        flags: u32,
        fixed: bool,
    ) -> KResult<(u64, Prepare)> {
        self.map_replacing(addr, len, prot, flags, fixed, Usage::default())
    }

    /// mremap's move to a new place: like Linux, only the growth counts
    /// against the limits, as the old `[old, old+old_len)` goes away.
    /// `to`: MREMAP_FIXED's place (replacing what is there); `stays`: the
    /// old range is kept (MREMAP_DONTUNMAP), so it all counts. The new
    /// region is the same mapping as the old one (backing and share id).
    pub fn map_moving(
        &mut self,
        old: u64,
        old_len: u64,
        len: u64,
        to: Option<u64>,
        stays: bool,
    ) -> KResult<(u64, Prepare)> {
        let r = self.region_containing(old).ok_or(Errno::EFAULT)?;
        let going = if stays {
            Usage::default()
        } else {
            self.usage_in(old, old.saturating_add(old_len))
        };
        let (start, prep) =
            self.map_replacing(to.unwrap_or(0), len, r.prot, r.flags, to.is_some(), going)?;
        if let Some(new) = self.regions.get_mut(&start) {
            new.backing = r.backing;
            new.share_id = r.share_id;
            new.name = r.name;
            // The same file offset at the new place.
            new.delta = old as i64 + r.delta - start as i64;
        }
        Ok((start, prep))
    }

    /// Splits the region holding `addr` in two there (mremap of the tail
    /// of a mapping).
    pub fn split_at(&mut self, addr: u64) {
        let found = self
            .regions
            .range(..addr)
            .next_back()
            .filter(|(&s, r)| s + r.len > addr)
            .map(|(&s, r)| (s, *r));
        if let Some((s, r)) = found {
            self.regions.insert(s, Region { len: addr - s, ..r });
            self.regions.insert(
                addr,
                Region {
                    len: s + r.len - addr,
                    ..r
                },
            );
        }
    }

    /// `map`, with `going` (what the caller is about to unmap) not counted.
    fn map_replacing(
        &mut self,
        addr: u64,
        len: u64,
        prot: u32,
        flags: u32,
        fixed: bool,
        going: Usage,
    ) -> KResult<(u64, Prepare)> {
        if len == 0 {
            return Err(Errno::EINVAL);
        }
        let len = page_align_up(len).ok_or(Errno::ENOMEM)?;
        if len > ADDRESS_LIMIT {
            return Err(Errno::ENOMEM);
        }
        let data = if is_data(prot, flags) { len } else { 0 };
        let start = if fixed {
            if !addr.is_multiple_of(PAGE_SIZE) {
                return Err(Errno::EINVAL);
            }
            let end = addr.checked_add(len).ok_or(Errno::ENOMEM)?;
            if end > self.limits.memory.min(ADDRESS_LIMIT) || addr < crate::memory::NULL_GUARD {
                return Err(Errno::ENOMEM);
            }
            let replaced = self.usage_in(addr, end);
            let replaced = Usage {
                total: replaced.total + going.total,
                data: replaced.data + going.data,
            };
            if !self.may_expand(len, data, replaced) {
                return Err(Errno::ENOMEM);
            }
            self.unmap(addr, len)?;
            addr
        } else {
            if !self.may_expand(len, data, going) {
                return Err(Errno::ENOMEM);
            }
            self.find_gap(len).ok_or(Errno::ENOMEM)?
        };
        use lind_abi::flags::{MAP_ANONYMOUS, MAP_PRIVATE, MAP_TYPE};
        let share_id = if flags & MAP_ANONYMOUS != 0 && flags & MAP_TYPE != MAP_PRIVATE {
            NEXT_SHARE_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        } else {
            0
        };
        self.regions.insert(
            start,
            Region {
                len,
                prot,
                flags,
                backing: Backing::Anonymous,
                share_id,
                name: 0,
                // A shared mapping's offsets start at 0 (futex keys).
                delta: if share_id != 0 { -(start as i64) } else { 0 },
            },
        );
        Ok((start, self.prepare(start, start + len)))
    }

    /// The lowest free range of `len` bytes at or above the mmap base
    /// (leaving the break room to grow); when memory is capped below that,
    /// the lowest one above the break.
    /// Mappings of 2 MiB or more start on a 2 MiB boundary when there is
    /// room, as Linux places them: the host can then map their pages with
    /// huge page-table entries (a file's large folios at one fault).
    fn find_gap(&self, len: u64) -> Option<u64> {
        let heap_end = page_align_up(self.brk)?;
        let huge = if len >= HUGE_PAGE {
            HUGE_PAGE
        } else {
            PAGE_SIZE
        };
        [huge, PAGE_SIZE].into_iter().find_map(|align| {
            self.gap_from(self.mmap_base.max(heap_end), len, align)
                .or_else(|| self.gap_from(heap_end, len, align))
        })
    }

    fn gap_from(&self, from: u64, len: u64, align: u64) -> Option<u64> {
        let mut candidate = from.next_multiple_of(align);
        for (&s, r) in self.regions.range(..) {
            if s + r.len <= candidate {
                continue;
            }
            if s >= candidate + len {
                break;
            }
            candidate = (s + r.len).next_multiple_of(align);
        }
        (candidate + len <= self.limits.memory.min(ADDRESS_LIMIT)).then_some(candidate)
    }

    /// Removes `[addr, addr+len)` from the map, splitting regions that
    /// straddle its ends. Unmapping nothing is fine, as on Linux.
    pub fn unmap(&mut self, addr: u64, len: u64) -> KResult<()> {
        if !addr.is_multiple_of(PAGE_SIZE) || len == 0 {
            return Err(Errno::EINVAL);
        }
        let len = page_align_up(len).ok_or(Errno::EINVAL)?;
        let end = addr.checked_add(len).ok_or(Errno::EINVAL)?;
        // Linux: a range running past the top of the address space.
        if end > ADDRESS_LIMIT {
            return Err(Errno::EINVAL);
        }
        let hit: Vec<(u64, Region)> = self
            .regions
            .range(..end)
            .filter(|(&s, r)| s + r.len > addr)
            .map(|(&s, r)| (s, *r))
            .collect();
        for (s, r) in hit {
            self.cut_out(s, r, addr, end);
        }
        Ok(())
    }

    /// Removes region `r` at `s` and puts back its parts outside
    /// `[addr, end)`: what unmap leaves and what mprotect does not change.
    fn cut_out(&mut self, s: u64, r: Region, addr: u64, end: u64) {
        self.regions.remove(&s);
        if s < addr {
            self.regions.insert(s, Region { len: addr - s, ..r });
        }
        let rend = s + r.len;
        if rend > end {
            self.regions.insert(
                end,
                Region {
                    len: rend - end,
                    ..r
                },
            );
        }
    }

    /// Records which object the region starting at `start` maps, from
    /// file offset `offset`, for `/proc/<pid>/maps`.
    pub fn set_name(&mut self, start: u64, offset: u64, name: MapName) {
        // Forget names no region uses any more (now and then: unmapping
        // leaves them behind).
        if self.names.len() > 32 && self.names.len() > 2 * self.regions.len() {
            let used: std::collections::BTreeSet<u32> =
                self.regions.values().map(|r| r.name).collect();
            self.names.retain(|k, _| used.contains(k));
        }
        let Some(r) = self.regions.get_mut(&start) else {
            return;
        };
        let id = self.next_name;
        self.next_name = self.next_name.wrapping_add(1).max(1);
        r.name = id;
        r.delta = offset as i64 - start as i64;
        self.names.insert(id, std::sync::Arc::new(name));
    }

    /// Records what the region starting at `start` maps.
    pub fn set_backing(&mut self, start: u64, backing: Backing) {
        if let Some(r) = self.regions.get_mut(&start) {
            r.backing = backing;
        }
    }

    /// Records new protection; the whole range must be mapped (ENOMEM),
    /// and PROT_WRITE allowed by what it maps (EACCES).
    pub fn protect(&mut self, addr: u64, len: u64, prot: u32) -> KResult<()> {
        if !addr.is_multiple_of(PAGE_SIZE) {
            return Err(Errno::EINVAL);
        }
        let len = page_align_up(len).ok_or(Errno::ENOMEM)?;
        let end = addr.checked_add(len).ok_or(Errno::ENOMEM)?;
        if !self.is_mapped(addr, end) {
            return Err(Errno::ENOMEM);
        }
        let hit: Vec<(u64, Region)> = self
            .regions
            .range(..end)
            .filter(|(&s, r)| s + r.len > addr)
            .map(|(&s, r)| (s, *r))
            .collect();
        if prot & lind_abi::flags::PROT_WRITE != 0 && hit.iter().any(|(_, r)| !r.backing.writable())
        {
            return Err(Errno::EACCES);
        }
        // Private pages turning writable become data: RLIMIT_DATA applies
        // (Linux's mprotect_fixup).
        let new_data: u64 = hit
            .iter()
            .filter(|(_, r)| is_data(prot, r.flags) && !is_data(r.prot, r.flags))
            .map(|(s, r)| (s + r.len).min(end) - (*s).max(addr))
            .sum();
        if new_data > 0
            && self.limits.data != RLIM_INFINITY
            && self.usage().data.saturating_add(new_data) > self.limits.data
        {
            return Err(Errno::ENOMEM);
        }
        for (s, r) in hit {
            self.cut_out(s, r, addr, end);
            let (ms, me) = (s.max(addr), (s + r.len).min(end));
            self.regions.insert(
                ms,
                Region {
                    len: me - ms,
                    prot,
                    ..r
                },
            );
        }
        Ok(())
    }

    /// Whether any page of `[start, end)` is mapped: the stack, image or
    /// heap below the break, or an mmap region (MAP_FIXED_NOREPLACE).
    pub fn any_mapped(&self, start: u64, end: u64) -> bool {
        start < page_align_up(self.brk).unwrap_or(self.brk) || self.overlaps(start, end)
    }

    /// Whether every page of `[start, end)` is an mmap region or the heap
    /// or image below the break.
    pub fn is_mapped(&self, start: u64, end: u64) -> bool {
        let mut at = start;
        if at < page_align_up(self.brk).unwrap_or(0) {
            at = page_align_up(self.brk).unwrap_or(0).min(end);
        }
        while at < end {
            match self.regions.range(..=at).next_back() {
                Some((&s, r)) if s + r.len > at => at = s + r.len,
                _ => return false,
            }
        }
        true
    }

    /// The region starting exactly at `addr`.
    /// The region holding byte `addr`, if any.
    pub fn region_containing(&self, addr: u64) -> Option<Region> {
        self.regions
            .range(..=addr)
            .next_back()
            .filter(|(&s, r)| s + r.len > addr)
            .map(|(_, r)| *r)
    }

    pub fn region_at(&self, addr: u64) -> Option<Region> {
        self.regions.get(&addr).copied()
    }

    /// Grows or shrinks a mapping in place if the pages after it are free.
    pub fn resize_in_place(&mut self, addr: u64, old_len: u64, new_len: u64) -> Option<Prepare> {
        let r = self.region_at(addr)?;
        if r.len != old_len {
            return None;
        }
        if new_len <= old_len {
            self.regions.insert(addr, Region { len: new_len, ..r });
            return Some(Prepare {
                grow_to: 0,
                zero_from: 0,
                zero_len: 0,
            });
        }
        let end = addr.checked_add(new_len)?;
        if end > self.limits.memory.min(ADDRESS_LIMIT) || self.overlaps(addr + old_len, end) {
            return None;
        }
        let grow = new_len - old_len;
        let data = if is_data(r.prot, r.flags) { grow } else { 0 };
        if !self.may_expand(grow, data, Usage::default()) {
            return None;
        }
        self.regions.insert(addr, Region { len: new_len, ..r });
        Some(self.prepare(addr + old_len, end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lind_abi::flags::PROT_READ;

    fn mm() -> MemMap {
        MemMap::new(70_000, 131_072)
    }

    #[test]
    fn brk_grows_and_shrinks_and_zeroes_reused_pages() {
        let mut m = mm();
        let start = m.brk;
        assert_eq!(start, 73_728);
        let (b, prep) = m.set_brk(start + 10_000).unwrap();
        assert_eq!(b, start + 10_000);
        let prep = prep.unwrap();
        // The range was already inside memory (below 128 KiB), so it is zeroed.
        assert_eq!(prep.zero_from, start);
        assert_eq!(prep.zero_len, 86_016 - start);
        assert!(m.set_brk(start - 1).is_none());
        assert_eq!(m.set_brk(start).unwrap().0, start);
    }

    #[test]
    fn mmap_first_fit_split_and_reuse() {
        let mut m = mm();
        let (a, _) = m.map(0, 3 * 4096, 3, 0x22, false).unwrap();
        let (b, _) = m.map(0, 4096, 3, 0x22, false).unwrap();
        assert_eq!(b, a + 3 * 4096);
        m.unmap(a + 4096, 4096).unwrap();
        assert_eq!(m.regions.len(), 3);
        let (c, prep) = m.map(0, 4096, 3, 0x22, false).unwrap();
        assert_eq!(c, a + 4096);
        assert_eq!(prep.zero_len, 4096, "reused pages must be zeroed");
        assert_eq!(m.unmap(a + 1, 4096), Err(Errno::EINVAL));
        assert_eq!(m.map(0, 0, 3, 0x22, false), Err(Errno::EINVAL));
        assert_eq!(m.map(0, u64::MAX - 10, 3, 0x22, false), Err(Errno::ENOMEM));
    }

    #[test]
    fn mprotect_needs_mapped_range_and_splits() {
        let mut m = mm();
        let (a, _) = m.map(0, 4 * 4096, 3, 0x22, false).unwrap();
        m.protect(a + 4096, 4096, 0).unwrap();
        assert_eq!(m.regions.len(), 3);
        assert_eq!(m.regions[&(a + 4096)].prot, 0);
        assert_eq!(m.protect(a + 8 * 4096, 4096, 1), Err(Errno::ENOMEM));
    }

    #[test]
    fn read_only_file_mappings_refuse_prot_write() {
        let mut m = mm();
        let (a, _) = m.map(0, 2 * 4096, 1, 0x01, false).unwrap();
        m.set_backing(a, Backing::File { writable: false });
        assert_eq!(m.protect(a, 4096, 3), Err(Errno::EACCES));
        assert_eq!(m.protect(a, 4096, 0), Ok(()));
        // Split regions keep what they map.
        assert_eq!(
            m.regions[&(a + 4096)].backing,
            Backing::File { writable: false }
        );
        let (b, _) = m.map(0, 4096, 1, 0x01, false).unwrap();
        m.set_backing(
            b,
            Backing::Shm {
                id: 3,
                writable: true,
            },
        );
        assert_eq!(m.protect(b, 4096, 3), Ok(()));
    }

    #[test]
    fn address_space_limit_counts_everything_mapped() {
        let mut m = mm();
        m.stack_top = 65_536;
        let base = m.usage();
        assert_eq!(base.total, 73_728, "the image and stack");
        assert_eq!(base.data, 73_728 - 65_536, "static data, not the stack");
        m.limits.address_space = base.total + 8 * 4096;
        // PROT_NONE and shared mappings count against RLIMIT_AS too.
        let (a, _) = m.map(0, 4 * 4096, 0, 0x22, false).unwrap();
        m.map(0, 2 * 4096, 3, 0x21, false).unwrap();
        assert_eq!(m.map(0, 3 * 4096, 3, 0x22, false), Err(Errno::ENOMEM));
        let (b, _) = m.map(0, 2 * 4096, 3, 0x22, false).unwrap();
        assert_eq!(m.usage().total, m.limits.address_space);
        // Nothing is left for the heap; replacing pages in place is fine.
        assert!(m.set_brk(m.brk + 1).is_none());
        m.map(a, 4 * 4096, 3, 0x32, true).unwrap();
        assert_eq!(m.resize_in_place(b, 2 * 4096, 3 * 4096), None);
        m.unmap(a, 4 * 4096).unwrap();
        // mremap moving b: only its growth counts.
        assert_eq!(
            m.map(0, 6 * 4096, 3, 0x22, false).map(|_| ()),
            Err(Errno::ENOMEM)
        );
        let (moved, _) = m.map_moving(b, 2 * 4096, 6 * 4096, None, false).unwrap();
        m.unmap(moved, 6 * 4096).unwrap();
        let (b, _) = m.map(b, 2 * 4096, 3, 0x22, true).unwrap();
        assert!(m.resize_in_place(b, 2 * 4096, 3 * 4096).is_some());
        assert!(m.set_brk(m.brk + 4096).is_some());
    }

    #[test]
    fn mremap_moves_keep_the_mapping_and_split_at_cuts_regions() {
        let mut m = mm();
        // MAP_SHARED | MAP_ANONYMOUS: the moved region is the same mapping.
        let (a, _) = m.map(0, 4 * 4096, 3, 0x21, false).unwrap();
        let id = m.region_at(a).unwrap().share_id;
        assert_ne!(id, 0);
        let (t, _) = m.map(0, 8 * 4096, 3, 0x22, false).unwrap();
        let name = MapName {
            dev: 1,
            ino: 2,
            path: b"/f".to_vec(),
        };
        m.set_name(a, 0x5000, name);
        let (moved, _) = m
            .map_moving(a + 4096, 3 * 4096, 8 * 4096, Some(t), false)
            .unwrap();
        assert_eq!(moved, t);
        let r = m.region_at(t).unwrap();
        assert_eq!((r.share_id, r.flags, r.len), (id, 0x21, 8 * 4096));
        // The moved pages keep their file offset.
        let area = m.areas().into_iter().find(|x| x.start == t).unwrap();
        assert_eq!(
            area.object.map(|(off, n)| (off, n.path.clone())),
            Some((0x6000, b"/f".to_vec()))
        );
        // DONTUNMAP keeps the old range: all of the new one counts.
        let base = m.usage().total;
        m.limits.address_space = base + 4 * 4096;
        assert_eq!(
            m.map_moving(a, 4 * 4096, 4 * 4096, None, true).map(|_| ()),
            Ok(())
        );
        assert_eq!(
            m.map_moving(a, 4 * 4096, 4 * 4096, None, true).map(|_| ()),
            Err(Errno::ENOMEM)
        );
        m.split_at(t + 4096);
        assert_eq!(m.region_at(t).unwrap().len, 4096);
        assert_eq!(m.region_at(t + 4096).unwrap().len, 7 * 4096);
        assert_eq!(m.region_at(t + 4096).unwrap().share_id, id);
    }

    #[test]
    fn large_mappings_start_on_a_huge_page_boundary() {
        let mut m = MemMap::new(70_000, 1 << 30);
        let (small, _) = m.map(0, 4096, 3, 0x22, false).unwrap();
        let (big, _) = m.map(0, 4 << 20, 1, 0x02, false).unwrap();
        assert_eq!(big % HUGE_PAGE, 0);
        assert!(big > small);
        // The gap left below it still takes small mappings.
        let (next, _) = m.map(0, 4096, 3, 0x22, false).unwrap();
        assert_eq!(next, small + 4096);
    }

    #[test]
    fn data_limit_counts_private_writable_memory_only() {
        let mut m = mm();
        m.stack_top = 65_536;
        let static_data = m.usage().data;
        m.limits.data = static_data + 4 * 4096;
        // Read-only and shared mappings are not data.
        let (ro, _) = m.map(0, 16 * 4096, PROT_READ, 0x22, false).unwrap();
        m.map(0, 16 * 4096, 3, 0x21, false).unwrap();
        assert_eq!(m.map(0, 5 * 4096, 3, 0x22, false), Err(Errno::ENOMEM));
        let (rw, _) = m.map(0, 3 * 4096, 3, 0x22, false).unwrap();
        // Turning private pages writable makes them data.
        assert_eq!(m.protect(ro, 2 * 4096, 3), Err(Errno::ENOMEM));
        m.protect(ro, 4096, 3).unwrap();
        // The break: heap plus static data within RLIMIT_DATA.
        assert!(m.set_brk(m.brk + 1).is_none());
        m.unmap(rw, 3 * 4096).unwrap();
        let (b, _) = m.set_brk(m.brk + 3 * 4096).unwrap();
        assert_eq!(b, m.heap_start + 3 * 4096);
        assert!(m.set_brk(m.brk + 1).is_none());
    }

    #[test]
    fn memory_cap_bounds_every_mapping_and_gaps_fall_back_below_the_mmap_base() {
        let mut m = mm();
        m.limits.memory = 8 << 20; // below the mmap base
        let (a, prep) = m.map(0, 1 << 20, 3, 0x22, false).unwrap();
        assert!(a >= page_align_up(m.brk).unwrap() && a + (1 << 20) <= 8 << 20);
        assert!(prep.grow_to <= 8 << 20);
        assert_eq!(m.map(0, 8 << 20, 3, 0x22, false), Err(Errno::ENOMEM));
        assert_eq!(
            m.map((8 << 20) - 4096, 8192, 3, 0x32, true),
            Err(Errno::ENOMEM)
        );
        assert!(m.set_brk(9 << 20).is_none());
    }

    #[test]
    fn areas_list_stack_image_heap_and_merged_regions() {
        let mut m = mm();
        m.stack_top = 65_536;
        m.set_brk(m.brk + 3 * 4096).unwrap();
        let (a, _) = m.map(0, 2 * 4096, 3, 0x22, false).unwrap();
        m.map(0, 4096, 3, 0x22, false).unwrap();
        m.map(0, 4096, 1, 0x21, false).unwrap();
        m.protect(a, 4096, 0).unwrap();
        let got: Vec<(u64, u64, u32, bool, AreaKind)> = m
            .areas()
            .iter()
            .map(|x| (x.start, x.end, x.prot, x.shared, x.kind))
            .collect();
        let anon = AreaKind::Mapping { file: false };
        assert_eq!(
            got,
            vec![
                (0, 65_536, 3, false, AreaKind::Stack),
                (65_536, 73_728, 3, false, AreaKind::Image),
                (73_728, 73_728 + 3 * 4096, 3, false, AreaKind::Heap),
                (a, a + 4096, 0, false, anon),
                (a + 4096, a + 3 * 4096, 3, false, anon),
                (a + 3 * 4096, a + 4 * 4096, 1, true, anon),
            ]
        );
        // A MAP_FIXED mapping over the heap cuts it.
        m.map(73_728 + 4096, 4096, 1, 0x32, true).unwrap();
        let kinds: Vec<(u64, AreaKind)> = m.areas().iter().map(|x| (x.start, x.kind)).collect();
        assert_eq!(kinds[2], (73_728, AreaKind::Heap));
        assert_eq!(kinds[3], (73_728 + 4096, anon));
        assert_eq!(kinds[4], (73_728 + 8192, AreaKind::Heap));
    }

    #[test]
    fn fixed_mapping_replaces_and_brk_stops_at_mappings() {
        let mut m = mm();
        let fixed = m.brk + 8192;
        m.map(fixed, 4096, 3, 0x32, true).unwrap();
        assert!(m.set_brk(fixed + 1).is_none());
        assert!(m.set_brk(fixed).is_some());
        assert_eq!(m.map(fixed + 1, 4096, 3, 0x32, true), Err(Errno::EINVAL));
        assert_eq!(m.map(0, 4096, 3, 0x32, true), Err(Errno::ENOMEM));
    }
}
