//! Cage memory backed by memfds, so that fork shares pages copy-on-write.
//!
//! A fresh cage's linear memory is a `MAP_SHARED` mapping of its own memfd.
//! At its first fork that file is *frozen*: the parent is remapped
//! `MAP_PRIVATE` onto it (same content, no copy) and the child maps it
//! `MAP_PRIVATE` too; from then on each side's writes land in private pages
//! of its own. At a later fork, the pages written since the last freeze
//! (found in /proc/self/pagemap: present and no longer file-backed) are
//! copied into a new memfd at their own offsets and both sides map those
//! ranges from it. A fork therefore costs in proportion to what was written
//! since the previous one, not to the size of the heap.
//!
//! The layout (which file backs which range) is ours to track; addresses
//! and file offsets are always equal, so neighbouring ranges of one file
//! merge.

use parking_lot::Mutex;
use rustix::fd::OwnedFd;
use rustix::mm::{MapFlags, MprotectFlags, ProtFlags};
use std::collections::{BTreeMap, HashMap};
use std::os::unix::fs::FileExt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use wasmtime::{LinearMemory, MemoryCreator, MemoryType};

const PAGE: usize = 4096;
/// More ranges than this and a fork consolidates the memory into one file
/// even while children still share the old ones (the host allows 65530
/// mappings per process, for all cages together).
const MAX_SPANS: usize = 256;

/// What backs one range of a cage's memory.
#[derive(Clone)]
enum Source {
    /// The cage's own memfd, mapped shared: not frozen yet.
    Shared(Arc<OwnedFd>),
    /// A frozen memfd, mapped private.
    Frozen(Arc<OwnedFd>),
    /// Anonymous private memory (grown after the first freeze, or pages
    /// discarded).
    Anonymous,
    /// A file mapped into the memory: MAP_SHARED anonymous memory (a memfd
    /// of its own), a host file, a memfd of the in-memory file system, a
    /// shm object. Unlike the others, its file offset is not the address.
    File(FileMap),
}

/// One file mapping. Shared ones stay shared across fork; private ones
/// keep their written pages private (the freeze copies them like any
/// other written page).
#[derive(Clone)]
struct FileMap {
    fd: Arc<OwnedFd>,
    /// File offset minus memory address: invariant when a span is split.
    delta: i64,
    shared: bool,
    /// False for a shared mapping of a file opened read-only: the host
    /// mapping is then read-only too.
    writable: bool,
}

impl FileMap {
    fn offset_of(&self, addr: usize) -> u64 {
        (addr as i64 + self.delta) as u64
    }
}

#[derive(Clone)]
struct Span {
    len: usize,
    source: Source,
}

/// Pages of one memory whose protection (mprotect) is not read+write,
/// applied to the host mapping so the cage's own accesses fault (a trap,
/// SIGSEGV), and consulted before the kernel copies guest memory (EFAULT).
#[derive(Default)]
pub struct Protections {
    any: AtomicBool,
    /// start -> (end, PROT_* bits); disjoint, never read+write.
    ranges: Mutex<BTreeMap<usize, (usize, u32)>>,
}

const PROT_READ: u32 = 1;
const PROT_WRITE: u32 = 2;

fn host_flags(prot: u32) -> MprotectFlags {
    if prot & PROT_WRITE != 0 {
        // x86 pages cannot be write-only.
        MprotectFlags::READ | MprotectFlags::WRITE
    } else if prot & PROT_READ != 0 {
        MprotectFlags::READ
    } else {
        MprotectFlags::empty()
    }
}

impl Protections {
    /// Whether the kernel may read (or, with `write`, write) these bytes
    /// for the cage.
    pub fn allows(&self, start: usize, len: usize, write: bool) -> bool {
        if len == 0 || !self.any.load(Ordering::Acquire) {
            return true;
        }
        let end = start.saturating_add(len);
        let need = if write {
            PROT_WRITE
        } else {
            PROT_READ | PROT_WRITE
        };
        let ranges = self.ranges.lock();
        ranges
            .range(..end)
            .rev()
            .take_while(|(_, &(e, _))| e > start)
            .all(|(_, &(_, prot))| prot & need != 0)
    }

    /// Whether read+write for `[start, start+len)` would change nothing.
    pub fn already_read_write(&self, start: usize, len: usize) -> bool {
        self.allows(start, len, true) && self.allows(start, len, false)
    }

    /// Records `prot` for `[start, end)`.
    fn set(&self, start: usize, end: usize, prot: u32) {
        let mut ranges = self.ranges.lock();
        let hit: Vec<(usize, (usize, u32))> = ranges
            .range(..end)
            .filter(|(_, &(e, _))| e > start)
            .map(|(&s, &v)| (s, v))
            .collect();
        for (s, (e, p)) in hit {
            ranges.remove(&s);
            if s < start {
                ranges.insert(s, (start, p));
            }
            if e > end {
                ranges.insert(end, (e, p));
            }
        }
        if prot & (PROT_READ | PROT_WRITE) != PROT_READ | PROT_WRITE {
            ranges.insert(start, (end, prot));
        }
        self.any.store(!ranges.is_empty(), Ordering::Release);
    }

    /// `(start, end, prot)` of every page range that is not read+write.
    pub fn snapshot(&self) -> Vec<(usize, usize, u32)> {
        self.ranges
            .lock()
            .iter()
            .map(|(&s, &(e, p))| (s, e, p))
            .collect()
    }

    /// Puts the recorded protections on the host mapping at `base`
    /// (`lift`: makes those pages readable, for copying).
    fn apply(&self, base: usize, lift: bool) -> Result<(), String> {
        for (s, e, p) in self.snapshot() {
            // Read access is all the copying needs, and all a shared
            // mapping of a read-only file allows.
            let flags = if lift {
                MprotectFlags::READ
            } else {
                host_flags(p)
            };
            // SAFETY: the range is inside this memory's mapped size (checked
            // when recorded), part of its own reservation.
            unsafe { rustix::mm::mprotect((base + s) as *mut std::ffi::c_void, e - s, flags) }
                .map_err(io_err)?;
        }
        Ok(())
    }
}

struct Backing {
    base: usize,
    protections: Arc<Protections>,
    /// Ranges the cage has mapped (its vmmap), set before each freeze:
    /// only these can hold written pages, so only these are scanned.
    live: Vec<(usize, usize)>,
    size: usize,
    capacity: usize,
    /// The most the memory may grow to (`lind run --max-memory`).
    limit: usize,
    layout: BTreeMap<usize, Span>,
}

/// A frozen picture of a cage's memory, for its child to map.
#[derive(Clone)]
pub struct Layout {
    size: usize,
    /// Frozen, anonymous and MAP_SHARED ranges (never live-shared ones).
    spans: Vec<(usize, usize, Source)>,
    /// The child inherits the parent's page protections.
    protections: Vec<(usize, usize, u32)>,
}

fn registry() -> &'static Mutex<HashMap<usize, Arc<Mutex<Backing>>>> {
    static R: OnceLock<Mutex<HashMap<usize, Arc<Mutex<Backing>>>>> = OnceLock::new();
    R.get_or_init(Default::default)
}

fn pagemap() -> Option<&'static std::fs::File> {
    static P: OnceLock<Option<std::fs::File>> = OnceLock::new();
    P.get_or_init(|| std::fs::File::open("/proc/self/pagemap").ok())
        .as_ref()
}

fn io_err(e: rustix::io::Errno) -> String {
    std::io::Error::from(e).to_string()
}

fn new_memfd(size: usize) -> Result<Arc<OwnedFd>, String> {
    let fd =
        rustix::fs::memfd_create("lind-cage", rustix::fs::MemfdFlags::CLOEXEC).map_err(io_err)?;
    rustix::fs::ftruncate(&fd, size as u64).map_err(io_err)?;
    Ok(Arc::new(fd))
}

/// Maps `[start, start+len)` of the memory at `base` from `source`.
fn map(base: usize, start: usize, len: usize, source: &Source) -> Result<(), String> {
    if len == 0 {
        return Ok(());
    }
    let at = (base + start) as *mut std::ffi::c_void;
    let rw = ProtFlags::READ | ProtFlags::WRITE;
    // SAFETY: `at..at+len` lies inside this memory's own reservation (made
    // in `new_memory`, never handed to anyone else); MAP_FIXED replaces only
    // those pages, and no wasm code of this cage runs while we remap.
    let r = unsafe {
        match source {
            Source::Shared(fd) => rustix::mm::mmap(
                at,
                len,
                rw,
                MapFlags::SHARED | MapFlags::FIXED,
                &**fd,
                start as u64,
            ),
            Source::File(f) => rustix::mm::mmap(
                at,
                len,
                if f.writable { rw } else { ProtFlags::READ },
                if f.shared {
                    MapFlags::SHARED
                } else {
                    MapFlags::PRIVATE
                } | MapFlags::FIXED,
                &*f.fd,
                f.offset_of(start),
            ),
            Source::Frozen(fd) => rustix::mm::mmap(
                at,
                len,
                rw,
                MapFlags::PRIVATE | MapFlags::FIXED,
                &**fd,
                start as u64,
            ),
            Source::Anonymous => {
                rustix::mm::mmap_anonymous(at, len, rw, MapFlags::PRIVATE | MapFlags::FIXED)
            }
        }
    };
    r.map(|_| ()).map_err(io_err)
}

impl Backing {
    fn insert(&mut self, start: usize, len: usize, source: Source) {
        // Cut what overlaps, then add; callers only replace whole pages.
        let end = start + len;
        let hit: Vec<(usize, Span)> = self
            .layout
            .range(..end)
            .filter(|(&s, sp)| s + sp.len > start)
            .map(|(&s, sp)| (s, sp.clone()))
            .collect();
        for (s, sp) in hit {
            self.layout.remove(&s);
            if s < start {
                self.layout.insert(
                    s,
                    Span {
                        len: start - s,
                        source: sp.source.clone(),
                    },
                );
            }
            if s + sp.len > end {
                self.layout.insert(
                    end,
                    Span {
                        len: s + sp.len - end,
                        source: sp.source,
                    },
                );
            }
        }
        self.layout.insert(start, Span { len, source });
    }

    /// Puts the whole memory back into one file mapped shared, when no
    /// other cage still maps any of our frozen files (the usual case: the
    /// last child exited or exec'd), or when the layout has grown too
    /// fragmented. Only pages that are not already in the chosen file are
    /// written to it, so this costs what was written since, and it keeps
    /// the number of host mappings from growing fork after fork.
    fn consolidate(&mut self, force: bool) -> Result<(), String> {
        if self.layout.len() <= 1
            && matches!(
                self.layout.values().next().map(|s| &s.source),
                Some(Source::Shared(_)) | None
            )
        {
            return Ok(());
        }
        let mut ours: HashMap<*const OwnedFd, (usize, usize, Arc<OwnedFd>)> = HashMap::new();
        for sp in self.layout.values() {
            if let Source::Frozen(fd) | Source::Shared(fd) = &sp.source {
                let e = ours.entry(Arc::as_ptr(fd)).or_insert((0, 0, fd.clone()));
                e.0 += 1;
                e.1 += sp.len;
            }
        }
        // Each span holds one reference, and `ours` one more per file.
        let exclusive = ours
            .values()
            .all(|(spans, _, fd)| Arc::strong_count(fd) == spans + 1);
        let fragmented = force || self.layout.len() > MAX_SPANS;
        if !exclusive && !fragmented {
            return Ok(());
        }
        let primary = match ours.values().max_by_key(|(_, bytes, _)| *bytes) {
            Some((_, _, fd)) if exclusive => fd.clone(),
            _ => new_memfd(self.size)?,
        };
        rustix::fs::ftruncate(&*primary, self.size as u64).map_err(io_err)?;
        let file = std::fs::File::from(primary.try_clone().map_err(|e| e.to_string())?);
        let dirty = self.dirty_runs()?;
        let mut copy: Vec<(usize, usize)> = Vec::new();
        for (&s, sp) in &self.layout {
            match &sp.source {
                // Already in the file, except the pages written since.
                Source::Frozen(fd) | Source::Shared(fd) if Arc::ptr_eq(fd, &primary) => {}
                // Anonymous pages never touched are zero, as the file is
                // there; touched ones are among the dirty runs.
                Source::Anonymous => {}
                // File mappings keep their file (copying could touch
                // pages beyond its end); their written private pages are
                // among the dirty runs but stay where they are.
                Source::File(_) => {}
                _ => copy.push((s, sp.len)),
            }
        }
        // Written pages, wherever they are (a few may be copied twice).
        copy.extend(dirty);
        for (s, len) in copy {
            // SAFETY: the range is mapped, readable memory of this cage,
            // which is not running; the slice lives only for this call.
            let bytes = unsafe { std::slice::from_raw_parts((self.base + s) as *const u8, len) };
            file.write_all_at(bytes, s as u64)
                .map_err(|e| e.to_string())?;
        }
        let shared = Source::Shared(primary);
        // Everything but the MAP_SHARED ranges now comes from the file.
        let kept: Vec<(usize, Span)> = self
            .layout
            .iter()
            .filter(|(_, sp)| matches!(sp.source, Source::File(_)))
            .map(|(&s, sp)| (s, sp.clone()))
            .collect();
        let mut at = 0;
        let mut gaps = Vec::new();
        for (s, sp) in &kept {
            if *s > at {
                gaps.push((at, s - at));
            }
            at = s + sp.len;
        }
        if self.size > at {
            gaps.push((at, self.size - at));
        }
        self.layout = kept.into_iter().collect();
        for (s, len) in gaps {
            map(self.base, s, len, &shared)?;
            self.layout.insert(
                s,
                Span {
                    len,
                    source: shared.clone(),
                },
            );
        }
        Ok(())
    }

    /// Freezes the memory so a child can share it; see the module docs.
    /// Protected pages are made readable while they are copied and
    /// remapped, and protected again after.
    fn freeze(&mut self) -> Result<Layout, String> {
        self.protections.apply(self.base, true)?;
        let layout = self.freeze_unprotected();
        self.protections.apply(self.base, false)?;
        layout
    }

    fn freeze_unprotected(&mut self) -> Result<Layout, String> {
        self.consolidate(false)?;
        // Pages written all over the heap would split the child's view
        // into a mapping per page: copy everything into one file instead.
        if self.dirty_runs()?.len() + self.layout.len() > MAX_SPANS {
            self.consolidate(true)?;
        }
        // 1. The live shared file becomes frozen: remap it private.
        let shared: Vec<(usize, usize, Arc<OwnedFd>)> = self
            .layout
            .iter()
            .filter_map(|(&s, sp)| match &sp.source {
                Source::Shared(fd) => Some((s, sp.len, fd.clone())),
                _ => None,
            })
            .collect();
        // 2. Pages written since the last freeze go into a new file.
        let dirty = self.dirty_runs()?;
        for (s, len, fd) in shared {
            let frozen = Source::Frozen(fd);
            map(self.base, s, len, &frozen)?;
            self.insert(s, len, frozen);
        }
        if !dirty.is_empty() {
            let fd = new_memfd(self.size)?;
            for &(s, len) in &dirty {
                // SAFETY: the range is mapped readable memory of this cage,
                // which is not running; the slice lives only for this call.
                let bytes =
                    unsafe { std::slice::from_raw_parts((self.base + s) as *const u8, len) };
                let file = std::fs::File::from(fd.try_clone().map_err(|e| e.to_string())?);
                file.write_all_at(bytes, s as u64)
                    .map_err(|e| e.to_string())?;
            }
            let frozen = Source::Frozen(fd);
            for (s, len) in dirty {
                map(self.base, s, len, &frozen)?;
                self.insert(s, len, frozen.clone());
            }
        }
        Ok(Layout {
            size: self.size,
            spans: self
                .layout
                .iter()
                .map(|(&s, sp)| {
                    let source = match &sp.source {
                        Source::Shared(_) => Source::Anonymous,
                        other => other.clone(),
                    };
                    (s, sp.len, source)
                })
                .collect(),
            protections: self.protections.snapshot(),
        })
    }

    /// Runs of pages that hold private (written) data: in frozen ranges,
    /// pages no longer backed by the file; in anonymous ranges, every page
    /// present. Shared ranges are not dirty: their file has the data.
    fn dirty_runs(&self) -> Result<Vec<(usize, usize)>, String> {
        let mut runs: Vec<(usize, usize)> = Vec::new();
        let pm = pagemap().ok_or("cannot read /proc/self/pagemap")?;
        for (&span_start, sp) in &self.layout {
            match &sp.source {
                Source::Shared(_) => continue,
                Source::File(f) if f.shared => continue,
                _ => {}
            }
            let span_end = span_start + sp.len;
            // Only what the cage has mapped can have been written.
            for &(live_start, live_end) in &self.live {
                let (s, end) = (span_start.max(live_start), span_end.min(live_end));
                if s >= end {
                    continue;
                }
                let mut entries = vec![0u8; (end - s) / PAGE * 8];
                pm.read_exact_at(&mut entries, ((self.base + s) / PAGE * 8) as u64)
                    .map_err(|e| e.to_string())?;
                for (i, e) in entries.chunks_exact(8).enumerate() {
                    let v = u64::from_le_bytes([e[0], e[1], e[2], e[3], e[4], e[5], e[6], e[7]]);
                    let resident = v & (3 << 62) != 0;
                    let file_backed = v & (1 << 61) != 0;
                    if resident && !file_backed {
                        let at = s + i * PAGE;
                        match runs.last_mut() {
                            Some((rs, rl)) if *rs + *rl == at => *rl += PAGE,
                            _ => runs.push((at, PAGE)),
                        }
                    }
                }
            }
        }
        Ok(runs)
    }

    /// Replaces this (fresh) memory's contents with a parent's layout.
    fn adopt(&mut self, layout: &Layout) -> Result<(), String> {
        if layout.size != self.size {
            return Err(format!(
                "child memory is {} bytes, parent's {}",
                self.size, layout.size
            ));
        }
        self.layout.clear();
        for (s, len, source) in &layout.spans {
            map(self.base, *s, *len, source)?;
            self.layout.insert(
                *s,
                Span {
                    len: *len,
                    source: source.clone(),
                },
            );
        }
        for &(s, e, p) in &layout.protections {
            self.protections.set(s, e, p);
        }
        self.protections.apply(self.base, false)
    }

    /// Makes `[start, start+len)` MAP_SHARED memory: zero pages of a new
    /// file, which forked children map too.
    fn share(&mut self, start: usize, len: usize) -> Result<(), String> {
        self.check_inside(start, len)?;
        let fd = new_memfd(len)?;
        let map = FileMap {
            fd,
            delta: -(start as i64),
            shared: true,
            writable: true,
        };
        self.replace(start, len, Source::File(map))
    }

    /// Maps `len` bytes of `fd` from `offset` at `start`.
    fn map_file(&mut self, start: usize, len: usize, map: FileMap) -> Result<(), String> {
        self.check_inside(start, len)?;
        self.replace(start, len, Source::File(map))
    }

    /// mremap of file pages: `[to, to+new_len)` maps what `[from,
    /// from+len)` maps (the same pages of the same files, so MAP_SHARED
    /// memory stays shared), and pages past `len` continue the file that
    /// maps the last old page. `to == from` only maps the new tail. The
    /// old range is left as it is; private pages the cage wrote are copied
    /// (the old range must be readable).
    fn remap_file(
        &mut self,
        from: usize,
        len: usize,
        to: usize,
        new_len: usize,
    ) -> Result<(), String> {
        self.check_inside(from, len)?;
        self.check_inside(to, new_len)?;
        let keep = len.min(new_len);
        if to != from && to < from + keep && from < to + keep {
            return Err("overlapping mremap".into());
        }
        let file_at = |b: &Backing, at: usize| -> Result<(usize, FileMap), String> {
            match b.layout.range(..=at).next_back() {
                Some((&s, sp)) if s + sp.len > at => match &sp.source {
                    Source::File(f) => Ok((s + sp.len, f.clone())),
                    _ => Err("mremap of pages that are not a file mapping".into()),
                },
                _ => Err("mremap of pages outside the layout".into()),
            }
        };
        // The new place's offset for what `at` maps.
        let moved = |f: FileMap| FileMap {
            delta: f.delta + from as i64 - to as i64,
            ..f
        };
        let mut pieces: Vec<(usize, usize, FileMap)> = Vec::new();
        let mut at = from;
        while to != from && at < from + keep {
            let (end, f) = file_at(self, at)?;
            let n = end.min(from + keep) - at;
            pieces.push((to + (at - from), n, moved(f)));
            at += n;
        }
        if new_len > len {
            let (_, f) = file_at(self, if len == 0 { from } else { from + len - 1 })?;
            pieces.push((to + len, new_len - len, moved(f)));
        }
        for (start, n, f) in &pieces {
            let source = Source::File(f.clone());
            map(self.base, *start, *n, &source)?;
            self.insert(*start, *n, source);
            if f.shared || *start >= to + keep {
                continue;
            }
            // A private page may hold the cage's writes: copy what lies
            // within the file (pages beyond its end cannot have been
            // written, and reading them would raise SIGBUS here).
            let size = rustix::fs::fstat(&*f.fd).map_err(io_err)?.st_size.max(0) as u64;
            let in_file = size.saturating_sub(f.offset_of(*start));
            let copy = (in_file.min(*n as u64) as usize)
                .next_multiple_of(PAGE)
                .min(*n);
            if copy > 0 {
                let src = self.base + from + (start - to);
                // SAFETY: both ranges lie inside this memory's mapped size
                // (checked above), do not overlap (checked above), and are
                // readable and writable on the host (the caller lifted the
                // old range's protection; the new pages were just mapped
                // read+write as a private file mapping).
                unsafe {
                    std::ptr::copy_nonoverlapping(
                        src as *const u8,
                        (self.base + start) as *mut u8,
                        copy,
                    )
                };
            }
        }
        self.protections.apply(self.base, false)
    }

    /// Maps the page at `page` from its source again (it was replaced by
    /// the SIGBUS handler). Anything but a file there is left alone.
    fn restore_page(&mut self, page: usize) -> Result<(), String> {
        let source = self
            .layout
            .range(..=page)
            .next_back()
            .filter(|(&s, sp)| s + sp.len > page)
            .map(|(_, sp)| sp.source.clone());
        if let Some(source @ Source::File(_)) = source {
            map(self.base, page, PAGE, &source)?;
            self.protections.apply(self.base, false)?;
        }
        Ok(())
    }

    /// Whether the page at `page` is mapped from a file (the only pages
    /// that can raise SIGBUS).
    fn is_file_page(&self, page: usize) -> bool {
        self.layout
            .range(..=page)
            .next_back()
            .is_some_and(|(&s, sp)| s + sp.len > page && matches!(sp.source, Source::File(_)))
    }

    /// Private zero pages over `[start, start+len)`: MADV_DONTNEED, and what
    /// MAP_SHARED memory turns back into when it is unmapped.
    fn discard(&mut self, start: usize, len: usize) -> Result<(), String> {
        self.check_inside(start, len)?;
        self.replace(start, len, Source::Anonymous)
    }

    /// Ends any file mapping (MAP_SHARED or not) in `[start, start+len)`.
    fn unshare(&mut self, start: usize, len: usize) -> Result<(), String> {
        let end = (start.saturating_add(len)).min(self.size);
        let mapped: Vec<(usize, usize)> = self
            .layout
            .range(..end)
            .filter(|(&s, sp)| s + sp.len > start && matches!(sp.source, Source::File(_)))
            .map(|(&s, sp)| (s.max(start), (s + sp.len).min(end)))
            .collect();
        for (s, e) in mapped {
            self.replace(s, e - s, Source::Anonymous)?;
        }
        Ok(())
    }

    fn check_inside(&self, start: usize, len: usize) -> Result<(), String> {
        match start.checked_add(len) {
            Some(end)
                if end <= self.size && start.is_multiple_of(PAGE) && len.is_multiple_of(PAGE) =>
            {
                Ok(())
            }
            _ => Err("range is outside the memory or not page-aligned".into()),
        }
    }

    /// Maps `source` over a range and keeps its protections.
    fn replace(&mut self, start: usize, len: usize, source: Source) -> Result<(), String> {
        if len == 0 {
            return Ok(());
        }
        map(self.base, start, len, &source)?;
        self.insert(start, len, source);
        self.protections.apply(self.base, false)
    }

    /// mprotect of `[start, start+len)`, which must lie in the memory.
    fn protect(&mut self, start: usize, len: usize, prot: u32) -> Result<(), String> {
        let end = start.checked_add(len).filter(|&e| e <= self.size);
        let Some(end) = end else {
            return Err("protected range is outside the memory".into());
        };
        if len == 0 {
            return Ok(());
        }
        self.protections.set(start, end, prot);
        // SAFETY: `[start, end)` is mapped memory of this cage (checked
        // above), inside its own reservation.
        unsafe {
            rustix::mm::mprotect(
                (self.base + start) as *mut std::ffi::c_void,
                len,
                host_flags(prot),
            )
        }
        .map_err(io_err)
    }
}

/// Handed to wasmtime: every memory a module defines is made here.
pub struct CowMemoryCreator;

struct CowMemory {
    backing: Arc<Mutex<Backing>>,
    base: usize,
    reservation: usize,
}

// SAFETY: the memory is a private reservation of `reserved + guard` bytes
// whose base never moves; `[0, size)` is readable and writable, the rest
// PROT_NONE, as wasmtime requires for eliding bounds checks.
unsafe impl MemoryCreator for CowMemoryCreator {
    fn new_memory(
        &self,
        _ty: MemoryType,
        minimum: usize,
        maximum: Option<usize>,
        reserved: Option<usize>,
        guard: usize,
    ) -> Result<Box<dyn LinearMemory>, String> {
        crate::sigbus::install();
        let capacity = reserved.unwrap_or(maximum.unwrap_or(1 << 32));
        let reservation = capacity + guard;
        // SAFETY: a fresh anonymous PROT_NONE reservation at an address the
        // kernel picks; nothing else refers to it.
        let base = unsafe {
            rustix::mm::mmap_anonymous(
                std::ptr::null_mut(),
                reservation,
                ProtFlags::empty(),
                MapFlags::PRIVATE | MapFlags::NORESERVE,
            )
        }
        .map_err(io_err)? as usize;
        let fd = new_memfd(minimum)?;
        let mut backing = Backing {
            base,
            protections: Arc::default(),
            live: vec![(0, usize::MAX)],
            size: minimum,
            capacity,
            limit: capacity,
            layout: BTreeMap::new(),
        };
        if minimum > 0 {
            let source = Source::Shared(fd);
            map(base, 0, minimum, &source)?;
            backing.layout.insert(
                0,
                Span {
                    len: minimum,
                    source,
                },
            );
        }
        let backing = Arc::new(Mutex::new(backing));
        registry().lock().insert(base, backing.clone());
        Ok(Box::new(CowMemory {
            backing,
            base,
            reservation,
        }))
    }
}

// SAFETY: `as_ptr` is the fixed base of the reservation; `grow_to` maps
// more of it and never moves it; `byte_size` is what is mapped.
unsafe impl LinearMemory for CowMemory {
    fn byte_size(&self) -> usize {
        self.backing.lock().size
    }

    fn byte_capacity(&self) -> usize {
        self.backing.lock().capacity
    }

    fn grow_to(&mut self, new_size: usize) -> wasmtime::Result<()> {
        let mut b = self.backing.lock();
        if new_size <= b.size {
            return Ok(());
        }
        if new_size > b.capacity {
            wasmtime::bail!("memory cannot grow past its reservation");
        }
        if new_size > b.limit {
            wasmtime::bail!("memory cannot grow past --max-memory");
        }
        let old = b.size;
        // Still live-shared: extend the file. Frozen: fresh private pages.
        let shared = b.layout.values().find_map(|sp| match &sp.source {
            Source::Shared(fd) => Some(fd.clone()),
            _ => None,
        });
        let source = match shared {
            Some(fd) => {
                rustix::fs::ftruncate(&*fd, new_size as u64)
                    .map_err(|e| wasmtime::format_err!("{e}"))?;
                Source::Shared(fd)
            }
            None => Source::Anonymous,
        };
        map(b.base, old, new_size - old, &source).map_err(|e| wasmtime::format_err!("{e}"))?;
        b.insert(old, new_size - old, source);
        b.size = new_size;
        Ok(())
    }

    fn as_ptr(&self) -> *mut u8 {
        self.base as *mut u8
    }
}

impl Drop for CowMemory {
    fn drop(&mut self) {
        registry().lock().remove(&self.base);
        // SAFETY: the whole reservation is ours and wasmtime is done with it
        // (it drops the memory only when the instance goes away).
        let _ = unsafe { rustix::mm::munmap(self.base as *mut std::ffi::c_void, self.reservation) };
    }
}

fn backing_of(base: *const u8) -> Option<Arc<Mutex<Backing>>> {
    registry().lock().get(&(base as usize)).cloned()
}

/// Freezes the memory at `base` for a fork; `None` if it is not ours.
/// `live` lists the ranges the cage has mapped, in address order.
pub fn freeze(base: *const u8, live: Vec<(usize, usize)>) -> Option<Result<Layout, String>> {
    backing_of(base).map(|b| {
        let mut b = b.lock();
        b.live = live;
        b.freeze()
    })
}

/// Caps how far the memory at `base` may grow (`lind run --max-memory`).
pub fn set_limit(base: *const u8, bytes: usize) {
    if let Some(b) = backing_of(base) {
        let mut b = b.lock();
        b.limit = bytes.min(b.capacity);
    }
}

/// Makes the fresh memory at `base` share a parent's frozen layout.
pub fn adopt(base: *const u8, layout: &Layout) -> Result<(), String> {
    backing_of(base)
        .ok_or("not a lind memory")?
        .lock()
        .adopt(layout)
}

/// The MAP_SHARED file spans of a memory (MAP_SHARED anonymous memory,
/// shared file, memfd and shm mappings): a fork that copies memory instead
/// of freezing it (other threads run) still shares these with the child.
pub struct SharedSpans(Vec<(usize, usize, Source)>);

impl SharedSpans {
    /// Whether the page at `addr` is shared (not to be copied).
    pub fn covers(&self, addr: usize) -> bool {
        self.0
            .iter()
            .any(|&(s, len, _)| s <= addr && addr < s + len)
    }
}

/// The shared spans of the memory at `base` (none if it is not ours).
pub fn shared_spans(base: *const u8) -> SharedSpans {
    let spans = backing_of(base).map_or_else(Vec::new, |b| {
        b.lock()
            .layout
            .iter()
            .filter(|(_, span)| matches!(&span.source, Source::File(f) if f.shared))
            .map(|(&start, span)| (start, span.len, span.source.clone()))
            .collect()
    });
    SharedSpans(spans)
}

/// Maps a parent's shared spans into the child's memory at `base`.
pub fn map_shared_spans(base: *const u8, spans: &SharedSpans) -> Result<(), String> {
    with_backing(base, |b| {
        for (start, len, source) in &spans.0 {
            b.replace(*start, *len, source.clone())?;
        }
        Ok(())
    })
}

/// mprotect for the memory at `base`.
pub fn protect(base: *const u8, start: usize, len: usize, prot: u32) -> Result<(), String> {
    backing_of(base)
        .ok_or("not a lind memory")?
        .lock()
        .protect(start, len, prot)
}

/// The protections of the memory at `base`, for checking kernel copies.
pub fn protections(base: *const u8) -> Option<Arc<Protections>> {
    backing_of(base).map(|b| b.lock().protections.clone())
}

/// The memory whose reservation holds host address `addr`, and the
/// offset of `addr` in it.
fn backing_holding(addr: usize) -> Option<(Arc<Mutex<Backing>>, usize)> {
    let registry = registry().lock();
    registry.iter().find_map(|(&base, b)| {
        (addr >= base && addr - base < b.lock().capacity).then(|| (b.clone(), addr - base))
    })
}

/// Whether host address `page` is a page of some cage memory that is
/// mapped from a file (for the SIGBUS handler).
pub fn is_file_page(page: usize) -> bool {
    backing_holding(page).is_some_and(|(b, at)| b.lock().is_file_page(at))
}

/// Maps the file page at host address `page` back after the SIGBUS
/// handler replaced it.
pub fn restore_page(page: usize) {
    if let Some((b, at)) = backing_holding(page) {
        if let Err(e) = b.lock().restore_page(at) {
            tracing::warn!("mapping a file page back: {e}");
        }
    }
}

fn with_backing(
    base: *const u8,
    f: impl FnOnce(&mut Backing) -> Result<(), String>,
) -> Result<(), String> {
    f(&mut backing_of(base).ok_or("not a lind memory")?.lock())
}

/// MAP_SHARED anonymous memory at `[start, start+len)` of the memory at
/// `base`.
pub fn share(base: *const u8, start: usize, len: usize) -> Result<(), String> {
    with_backing(base, |b| b.share(start, len))
}

/// mremap of file pages of the memory at `base` (see `Backing::remap_file`).
pub fn remap_file(
    base: *const u8,
    from: usize,
    len: usize,
    to: usize,
    new_len: usize,
) -> Result<(), String> {
    with_backing(base, |b| b.remap_file(from, len, to, new_len))
}

/// Maps `len` bytes of the host file `fd` from `offset` at `start` of the
/// memory at `base`: MAP_SHARED (writes reach the file, and forked
/// children share the pages) or MAP_PRIVATE (copy-on-write of the file's
/// pages). `writable`: whether the host mapping may be written, which a
/// shared mapping of a file opened read-only may not.
pub fn map_file(
    base: *const u8,
    start: usize,
    len: usize,
    fd: OwnedFd,
    offset: u64,
    shared: bool,
    writable: bool,
) -> Result<(), String> {
    let map = FileMap {
        fd: Arc::new(fd),
        delta: offset as i64 - start as i64,
        shared,
        writable: writable || !shared,
    };
    with_backing(base, |b| b.map_file(start, len, map))
}

/// msync(MS_SYNC) of `[start, start+len)`: shared file pages go to disk.
pub fn sync(base: *const u8, start: usize, len: usize) -> Result<(), String> {
    if len == 0 {
        return Ok(());
    }
    // SAFETY: the range is inside the memory's mapped size (checked by the
    // caller); msync only writes dirty shared pages back to their files.
    let r = unsafe {
        libc::msync(
            (base as usize + start) as *mut libc::c_void,
            len,
            libc::MS_SYNC,
        )
    };
    if r != 0 {
        return Err(std::io::Error::last_os_error().to_string());
    }
    Ok(())
}

/// mincore(2): one byte per page of `[start, start+len)`, bit 0 set when
/// the host has the page in memory (page cache or anonymous memory).
pub fn resident(base: *const u8, start: usize, len: usize) -> Result<Vec<u8>, String> {
    let pages = len.div_ceil(PAGE);
    let mut out = vec![0u8; pages];
    if pages == 0 {
        return Ok(out);
    }
    // SAFETY: the range is inside the memory's mapped size (checked by the
    // caller), part of its reservation; mincore only reads page tables.
    let r = unsafe {
        libc::mincore(
            (base as usize + start) as *mut libc::c_void,
            pages * PAGE,
            out.as_mut_ptr(),
        )
    };
    if r != 0 {
        return Err(std::io::Error::last_os_error().to_string());
    }
    for b in &mut out {
        *b &= 1;
    }
    Ok(out)
}

/// File mappings in the range end (munmap): private anonymous pages again.
pub fn unshare(base: *const u8, start: usize, len: usize) -> Result<(), String> {
    with_backing(base, |b| b.unshare(start, len))
}

/// Fresh zero pages over the range (MADV_DONTNEED).
pub fn discard(base: *const u8, start: usize, len: usize) -> Result<(), String> {
    with_backing(base, |b| b.discard(start, len))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protections_split_merge_and_answer_by_access() {
        let p = Protections::default();
        assert!(p.allows(0, 1 << 20, true));
        p.set(0x1000, 0x4000, 0); // PROT_NONE
        p.set(0x2000, 0x3000, PROT_READ);
        assert!(p.allows(0, 0x1000, true));
        assert!(!p.allows(0x0fff, 2, false));
        assert!(p.allows(0x2000, 0x1000, false));
        assert!(!p.allows(0x2000, 0x1000, true));
        assert!(!p.allows(0x3000, 1, false));
        assert_eq!(
            p.snapshot(),
            vec![
                (0x1000, 0x2000, 0),
                (0x2000, 0x3000, PROT_READ),
                (0x3000, 0x4000, 0)
            ]
        );
        p.set(0x1000, 0x4000, PROT_READ | PROT_WRITE);
        assert!(p.snapshot().is_empty());
        assert!(p.already_read_write(0, 0x10000));
    }
}
