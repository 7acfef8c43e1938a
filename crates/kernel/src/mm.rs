//! The cage's address space map (vmmap): the `brk` heap and mmap regions
//! inside linear memory. Pure bookkeeping; the syscalls grow and zero guest
//! memory after the map has reserved a range, so no lock is held across a
//! guest memory copy.

use crate::KResult;
use lind_abi::{Errno, PAGE_SIZE};
use std::collections::BTreeMap;

/// wasm32 linear memory can never exceed 4 GiB.
pub const ADDRESS_LIMIT: u64 = 1 << 32;
/// Room left above the initial heap for `brk` before mmap starts placing
/// regions. brk may still grow past this while nothing is mapped there.
pub const BRK_RESERVE: u64 = 64 << 20;

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
        }
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
        if new_end > ADDRESS_LIMIT || self.overlaps(old_end, new_end) {
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
        if len == 0 {
            return Err(Errno::EINVAL);
        }
        let len = page_align_up(len).ok_or(Errno::ENOMEM)?;
        if len > ADDRESS_LIMIT {
            return Err(Errno::ENOMEM);
        }
        let start = if fixed {
            if !addr.is_multiple_of(PAGE_SIZE) {
                return Err(Errno::EINVAL);
            }
            let end = addr.checked_add(len).ok_or(Errno::ENOMEM)?;
            if end > ADDRESS_LIMIT || addr < crate::memory::NULL_GUARD {
                return Err(Errno::ENOMEM);
            }
            self.unmap(addr, len)?;
            addr
        } else {
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
                share_id,
            },
        );
        Ok((start, self.prepare(start, start + len)))
    }

    fn find_gap(&self, len: u64) -> Option<u64> {
        let mut candidate = self.mmap_base.max(page_align_up(self.brk)?);
        for (&s, r) in self.regions.range(..) {
            if s + r.len <= candidate {
                continue;
            }
            if s >= candidate + len {
                break;
            }
            candidate = s + r.len;
        }
        (candidate + len <= ADDRESS_LIMIT).then_some(candidate)
    }

    /// Removes `[addr, addr+len)` from the map, splitting regions that
    /// straddle its ends. Unmapping nothing is fine, as on Linux.
    pub fn unmap(&mut self, addr: u64, len: u64) -> KResult<()> {
        if !addr.is_multiple_of(PAGE_SIZE) || len == 0 {
            return Err(Errno::EINVAL);
        }
        let len = page_align_up(len).ok_or(Errno::EINVAL)?;
        let end = addr.checked_add(len).ok_or(Errno::EINVAL)?;
        let hit: Vec<(u64, Region)> = self
            .regions
            .range(..end)
            .filter(|(&s, r)| s + r.len > addr)
            .map(|(&s, r)| (s, *r))
            .collect();
        for (s, r) in hit {
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
        Ok(())
    }

    /// Records new protection; the whole range must be mapped (ENOMEM).
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
        for (s, r) in hit {
            self.regions.remove(&s);
            let rend = s + r.len;
            if s < addr {
                self.regions.insert(s, Region { len: addr - s, ..r });
            }
            let (ms, me) = (s.max(addr), rend.min(end));
            self.regions.insert(
                ms,
                Region {
                    len: me - ms,
                    prot,
                    ..r
                },
            );
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
        Ok(())
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
        if end > ADDRESS_LIMIT || self.overlaps(addr + old_len, end) {
            return None;
        }
        self.regions.insert(addr, Region { len: new_len, ..r });
        Some(self.prepare(addr + old_len, end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
