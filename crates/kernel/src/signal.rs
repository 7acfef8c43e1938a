//! A cage's signals: dispositions, per-thread masks, what is pending for
//! the cage and for each thread (with the siginfo each signal carries),
//! and stopping and continuing.
//!
//! Handlers run in the runtime when the cage leaves the kernel; this module
//! decides which signal is due and what taking it changes. Default actions
//! that end the cage act at once ([`Cage::check_pending`]); a stop acts on
//! the cage's own thread ([`crate::Kernel::stop_point`]), as Linux stops a
//! task when it next handles its signals.

use crate::{Cage, KResult};
use lind_abi::{flags::*, layout::siginfo as si, Errno};
use std::sync::atomic::Ordering;

/// What a signal does when it arrives, as set by `rt_sigaction`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SigAction {
    pub handler: u32,
    pub flags: u32,
    pub restorer: u32,
    pub mask: u64,
}

/// The part of a `siginfo_t` the kernel fills. `pid`/`uid` are the timer
/// id and overrun count for SI_TIMER; `value` is the sigval, or the child's
/// status for SIGCHLD.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SigInfo {
    pub signo: u32,
    pub code: i32,
    pub pid: i32,
    pub uid: u32,
    pub value: i32,
}

impl SigInfo {
    /// A signal the kernel itself raises (SIGPIPE, SIGALRM, ...).
    pub fn kernel(signo: u32) -> Self {
        SigInfo {
            signo,
            code: SI_KERNEL,
            ..Default::default()
        }
    }

    /// A signal sent by a process (`code` SI_USER, SI_TKILL or SI_QUEUE).
    pub fn sent(signo: u32, code: i32, pid: i32, uid: u32) -> Self {
        SigInfo {
            signo,
            code,
            pid,
            uid,
            value: 0,
        }
    }

    pub fn encode(&self) -> [u8; si::SIZE] {
        let mut b = [0u8; si::SIZE];
        b[si::SIGNO..si::SIGNO + 4].copy_from_slice(&self.signo.to_le_bytes());
        b[si::CODE..si::CODE + 4].copy_from_slice(&self.code.to_le_bytes());
        b[si::PID..si::PID + 4].copy_from_slice(&self.pid.to_le_bytes());
        b[si::UID..si::UID + 4].copy_from_slice(&self.uid.to_le_bytes());
        b[si::STATUS..si::STATUS + 4].copy_from_slice(&self.value.to_le_bytes());
        b
    }

    pub fn decode(b: &[u8; si::SIZE]) -> Self {
        let word = |o: usize| i32::from_le_bytes([b[o], b[o + 1], b[o + 2], b[o + 3]]);
        SigInfo {
            signo: word(si::SIGNO) as u32,
            code: word(si::CODE),
            pid: word(si::PID),
            uid: word(si::UID) as u32,
            value: word(si::STATUS),
        }
    }
}

/// Dispositions, masks, and pending signals with their siginfo.
#[derive(Clone, Debug)]
pub struct SignalState {
    pub actions: [SigAction; NSIG as usize],
    /// The main thread's mask (see [`SignalState::mask_of`]).
    pub mask: u64,
    /// The main thread's tid (the pid).
    pub main: i32,
    /// The masks of the other threads, by tid.
    pub thread_masks: std::collections::BTreeMap<i32, u64>,
    /// One bit per signal pending for the cage (any thread may take it).
    pub pending: u64,
    /// Signals pending for one thread (tkill, tgkill, pthread_kill, a
    /// fault), by tid; only that thread takes them.
    pub thread_pending: std::collections::BTreeMap<i32, u64>,
    /// Oldest first, the siginfo of every pending signal, with the thread
    /// it was sent to: one entry per pending standard signal (per target),
    /// every queued instance of a real-time one.
    pub queue: Vec<(Option<i32>, SigInfo)>,
    /// The masks `rt_sigsuspend` replaced, by tid, restored after the
    /// handler that ends the suspension.
    pub suspend_masks: std::collections::BTreeMap<i32, u64>,
    /// Signals an `rt_sigtimedwait` waits for: posting one wakes the cage
    /// even though it is blocked.
    pub awaited: u64,
    /// Each thread's alternate signal stack (base, size), by tid; a new
    /// thread has none (Linux: sigaltstack is per thread).
    pub altstacks: std::collections::BTreeMap<i32, (u32, u32)>,
    /// Threads running a handler on their alternate stack.
    pub on_altstack: std::collections::BTreeSet<i32>,
}

impl Default for SignalState {
    fn default() -> Self {
        SignalState {
            actions: [SigAction::default(); NSIG as usize],
            mask: 0,
            main: 0,
            thread_masks: Default::default(),
            pending: 0,
            thread_pending: Default::default(),
            queue: Vec::new(),
            suspend_masks: Default::default(),
            awaited: 0,
            altstacks: Default::default(),
            on_altstack: Default::default(),
        }
    }
}

impl SignalState {
    /// Thread `tid`'s signal mask.
    pub fn mask_of(&self, tid: i32) -> u64 {
        if tid == self.main {
            self.mask
        } else {
            self.thread_masks.get(&tid).copied().unwrap_or(self.mask)
        }
    }

    pub fn set_mask_of(&mut self, tid: i32, mask: u64) {
        let mask = mask & !UNBLOCKABLE;
        if tid == self.main {
            self.mask = mask;
        } else {
            self.thread_masks.insert(tid, mask);
        }
    }

    /// Thread `tid`'s alternate signal stack, and whether a handler runs
    /// on it now.
    pub fn altstack_of(&self, tid: i32) -> (Option<(u32, u32)>, bool) {
        (
            self.altstacks.get(&tid).copied(),
            self.on_altstack.contains(&tid),
        )
    }

    /// Sets (or with `None` disables) thread `tid`'s alternate stack.
    pub fn set_altstack(&mut self, tid: i32, stack: Option<(u32, u32)>) {
        match stack {
            Some(st) => self.altstacks.insert(tid, st),
            None => self.altstacks.remove(&tid),
        };
    }

    /// A handler with `flags` is about to run on thread `tid`: the stack
    /// to move to (SA_ONSTACK, an alternate stack set, not already on
    /// it), marking the thread as on it until [`Self::leave_altstack`].
    pub fn enter_altstack(&mut self, tid: i32, flags: u32) -> Option<(u32, u32)> {
        if flags & SA_ONSTACK == 0 || self.on_altstack.contains(&tid) {
            return None;
        }
        let st = *self.altstacks.get(&tid)?;
        self.on_altstack.insert(tid);
        Some(st)
    }

    /// The handler that moved thread `tid` to its alternate stack ended.
    pub fn leave_altstack(&mut self, tid: i32) {
        self.on_altstack.remove(&tid);
    }

    /// Signals at least one thread does not block.
    fn unblocked_anywhere(&self) -> u64 {
        self.thread_masks
            .values()
            .fold(!self.mask, |acc, m| acc | !m)
    }

    /// What thread `tid` may take: the cage's pending signals and its own.
    pub fn pending_for_thread(&self, tid: i32) -> u64 {
        self.pending | self.thread_pending.get(&tid).copied().unwrap_or(0)
    }

    /// Takes the oldest siginfo of `sig` for thread `tid`, its own first;
    /// the bit clears when none is left.
    fn dequeue(&mut self, tid: i32, sig: u32) -> SigInfo {
        let own = self
            .thread_pending
            .get(&tid)
            .is_some_and(|p| p & bit(sig) != 0);
        let target = own.then_some(tid);
        let info = match self
            .queue
            .iter()
            .position(|(t, i)| *t == target && i.signo == sig)
        {
            Some(at) => self.queue.remove(at).1,
            None => SigInfo::kernel(sig),
        };
        let more = self
            .queue
            .iter()
            .any(|(t, i)| *t == target && i.signo == sig);
        if !more {
            match target {
                Some(t) => {
                    if let Some(p) = self.thread_pending.get_mut(&t) {
                        *p &= !bit(sig);
                    }
                }
                None => self.pending &= !bit(sig),
            }
        }
        info
    }

    /// Forgets every pending instance of the signals in `set`, for the
    /// cage and for every thread.
    pub fn discard(&mut self, set: u64) {
        self.pending &= !set;
        for p in self.thread_pending.values_mut() {
            *p &= !set;
        }
        self.queue.retain(|(_, i)| set & bit(i.signo) == 0);
    }

    /// Whether `sig` arriving now for `target` (a thread, or the cage)
    /// would be thrown away: ignored, explicitly or by default, and not
    /// blocked (a blocked signal stays pending, as its disposition may
    /// change before it is unblocked).
    fn discards(&self, sig: u32, target: Option<i32>) -> bool {
        let blocked = match target {
            Some(t) => self.mask_of(t) & bit(sig) != 0,
            None => self.unblocked_anywhere() & bit(sig) == 0,
        };
        if blocked || sig == SIGKILL {
            return false;
        }
        ignored(&self.actions[sig as usize], sig)
    }

    /// The lowest signal pending for thread `tid`, not blocked by it, that
    /// `want` accepts.
    fn next_deliverable(&self, tid: i32, want: impl Fn(u32, &SigAction) -> bool) -> Option<u32> {
        let ready = self.pending_for_thread(tid) & (!self.mask_of(tid) | UNBLOCKABLE);
        (1..NSIG).find(|&sig| ready & bit(sig) != 0 && want(sig, &self.actions[sig as usize]))
    }

    /// Queues `info` for `target`; EAGAIN past the real-time queue limit.
    fn enqueue(&mut self, target: Option<i32>, info: SigInfo) -> KResult<()> {
        let sig = info.signo;
        let pending = match target {
            Some(t) => self.thread_pending.get(&t).copied().unwrap_or(0),
            None => self.pending,
        };
        if sig >= SIGRTMIN_KERNEL {
            if self.queue.len() >= SIGQUEUE_MAX {
                return Err(Errno::EAGAIN);
            }
            self.queue.push((target, info));
        } else if pending & bit(sig) == 0 {
            self.queue.push((target, info));
        }
        match target {
            Some(t) => *self.thread_pending.entry(t).or_default() |= bit(sig),
            None => self.pending |= bit(sig),
        }
        Ok(())
    }
}

pub fn bit(sig: u32) -> u64 {
    1 << (sig - 1)
}

/// Whether a signal with this action is thrown away when delivered.
fn ignored(action: &SigAction, sig: u32) -> bool {
    action.handler == SIG_IGN
        || action.handler == SIG_DFL
            && matches!(
                default_action(sig),
                DefaultAction::Ignore | DefaultAction::Continue
            )
}

/// What a signal does when its disposition is SIG_DFL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DefaultAction {
    Terminate,
    /// Terminate and (on Linux) dump core.
    Core,
    Ignore,
    Stop,
    Continue,
}

pub fn default_action(sig: u32) -> DefaultAction {
    match sig {
        SIGQUIT | SIGILL | SIGTRAP | SIGABRT | SIGBUS | SIGFPE | SIGSEGV | SIGXCPU | SIGXFSZ
        | SIGSYS => DefaultAction::Core,
        SIGCHLD | SIGURG | SIGWINCH => DefaultAction::Ignore,
        SIGCONT => DefaultAction::Continue,
        SIGSTOP | SIGTSTP | SIGTTIN | SIGTTOU => DefaultAction::Stop,
        _ => DefaultAction::Terminate,
    }
}

/// Signals that can never be caught, blocked or ignored.
pub const UNBLOCKABLE: u64 = (1 << (SIGKILL - 1)) | (1 << (SIGSTOP - 1));

/// The four stop signals.
const STOP_SIGNALS: u64 =
    (1 << (SIGSTOP - 1)) | (1 << (SIGTSTP - 1)) | (1 << (SIGTTIN - 1)) | (1 << (SIGTTOU - 1));

impl Cage {
    /// Queues a signal raised by the kernel itself.
    pub fn post_signal(&self, sig: u32) {
        let _ = self.post(SigInfo::kernel(sig));
    }

    /// Generates a signal for this cage (any thread may take it). EAGAIN
    /// when too many real-time signals are already queued. SIGCONT
    /// continues a stopped cage whatever its disposition; a stop signal
    /// cancels a pending SIGCONT and vice versa.
    pub fn post(&self, info: SigInfo) -> KResult<()> {
        self.post_for(None, info)
    }

    /// Generates a signal for thread `tid` only (tkill, a fault). What it
    /// does when not caught (terminate, stop, ignore) applies to the cage.
    pub fn post_to_thread(&self, tid: i32, info: SigInfo) -> KResult<()> {
        self.post_for(Some(tid), info)
    }

    fn post_for(&self, target: Option<i32>, info: SigInfo) -> KResult<()> {
        let sig = info.signo;
        if self.exit_requested().is_some() {
            return Ok(()); // a zombie, or about to be one
        }
        if sig == SIGCONT {
            self.resume();
        }
        let mut s = self.signals.lock();
        if sig == SIGCONT {
            s.discard(STOP_SIGNALS);
        } else if STOP_SIGNALS & bit(sig) != 0 {
            s.discard(bit(SIGCONT));
        }
        let awaited = s.awaited & bit(sig) != 0;
        if s.discards(sig, target) && !awaited {
            return Ok(());
        }
        s.enqueue(target, info)?;
        self.maybe_pending.store(true, Ordering::Release);
        let unblocked = match target {
            Some(t) => s.mask_of(t) & bit(sig) == 0,
            None => s.unblocked_anywhere() & bit(sig) != 0,
        };
        let wake = awaited || unblocked || UNBLOCKABLE & bit(sig) != 0;
        drop(s);
        *self.signal_seq.lock() += 1;
        self.signal_events.notify(POLLIN);
        self.check_pending();
        if wake {
            // A blocking call returns (EINTR, or the signal sigtimedwait
            // waits for); a handler runs when the call returns to the runtime.
            self.wake();
        }
        Ok(())
    }

    /// Whether an unblocked signal with a handler is pending for the main
    /// thread.
    pub fn handler_pending(&self) -> bool {
        self.handler_pending_for(self.pid)
    }

    /// Whether a signal with a handler is pending that thread `tid` may
    /// take now.
    pub fn handler_pending_for(&self, tid: i32) -> bool {
        let Some(s) = self.signals_if_pending() else {
            return false;
        };
        s.next_deliverable(tid, |_, a| a.handler > SIG_IGN)
            .is_some()
    }

    /// The signal state, locked, unless nothing is pending at all (the
    /// common case, answered without the lock).
    fn signals_if_pending(&self) -> Option<parking_lot::MutexGuard<'_, SignalState>> {
        if !self.maybe_pending.load(Ordering::Acquire) {
            return None;
        }
        let s = self.signals.lock();
        if s.pending == 0 && s.thread_pending.values().all(|&p| p == 0) {
            self.maybe_pending.store(false, Ordering::Release);
            return None;
        }
        Some(s)
    }

    /// Whether a stop signal with the default action is due (stop signals
    /// act on the whole cage).
    pub fn stop_pending(&self) -> bool {
        let Some(s) = self.signals_if_pending() else {
            return false;
        };
        let all = s.thread_pending.values().fold(s.pending, |a, p| a | p);
        let ready = all & STOP_SIGNALS & (s.unblocked_anywhere() | UNBLOCKABLE);
        ready != 0
            && (1..NSIG)
                .any(|sig| ready & bit(sig) != 0 && s.actions[sig as usize].handler == SIG_DFL)
    }

    /// Whether the cage is stopped (its threads wait at their next chance).
    pub fn is_stopped(&self) -> bool {
        self.stopped.lock().is_some()
    }

    /// A new thread starts with its creator's signal mask.
    pub fn inherit_mask(&self, creator: i32, tid: i32) {
        let mut s = self.signals.lock();
        let m = s.mask_of(creator);
        s.set_mask_of(tid, m);
    }

    /// A thread ended: signals sent to it alone are dropped.
    pub fn forget_thread_signals(&self, tid: i32) {
        let mut s = self.signals.lock();
        s.thread_pending.remove(&tid);
        s.thread_masks.remove(&tid);
        s.suspend_masks.remove(&tid);
        s.altstacks.remove(&tid);
        s.on_altstack.remove(&tid);
        s.queue.retain(|(t, _)| *t != Some(tid));
    }

    /// Takes the next signal whose handler must run now, applying what
    /// entering the handler does: the mask gains the action's mask and the
    /// signal itself (unless SA_NODEFER), and SA_RESETHAND restores
    /// SIG_DFL. Returns its siginfo, its action and the mask to restore
    /// when the handler returns.
    pub fn begin_handler(&self, tid: i32) -> Option<(SigInfo, SigAction, u64)> {
        let mut s = self.signals.lock();
        let sig = s.next_deliverable(tid, |_, a| a.handler > SIG_IGN)?;
        let action = s.actions[sig as usize];
        let info = s.dequeue(tid, sig);
        // After sigsuspend, the mask to return to is the one it replaced.
        let mask = s.mask_of(tid);
        let restore = s.suspend_masks.remove(&tid).unwrap_or(mask);
        let during = mask
            | action.mask
            | if action.flags & SA_NODEFER == 0 {
                bit(sig)
            } else {
                0
            };
        s.set_mask_of(tid, during);
        if action.flags & SA_RESETHAND != 0 {
            s.actions[sig as usize] = SigAction::default();
        }
        Some((info, action, restore))
    }

    /// The handler returned: the thread's mask is replaced by the saved one.
    pub fn end_handler(&self, tid: i32, restore: u64) {
        self.signals.lock().set_mask_of(tid, restore);
        self.check_pending();
    }

    /// Takes a signal in `set` pending for thread `tid`, blocked or not
    /// (sigtimedwait).
    pub fn take_signal(&self, tid: i32, set: u64) -> Option<SigInfo> {
        let mut s = self.signals.lock();
        let ready = s.pending_for_thread(tid) & set;
        let sig = (1..NSIG).find(|&sig| ready & bit(sig) != 0)?;
        Some(s.dequeue(tid, sig))
    }

    /// Acts on pending, unblocked signals with default or ignore actions:
    /// those that end the cage end it, ignored ones are thrown away. Called
    /// whenever the pending set, the mask or a disposition changes.
    pub fn check_pending(&self) {
        let mut s = self.signals.lock();
        let to_threads = s
            .thread_pending
            .iter()
            .fold(0, |a, (&t, p)| a | (p & !s.mask_of(t)));
        let all = s.thread_pending.values().fold(s.pending, |a, p| a | p);
        let deliverable =
            ((s.pending & s.unblocked_anywhere()) | to_threads | (all & UNBLOCKABLE)) & !s.awaited;
        if deliverable == 0 {
            return;
        }
        for sig in 1..NSIG {
            if deliverable & bit(sig) == 0 {
                continue;
            }
            let action = s.actions[sig as usize];
            if sig != SIGKILL && ignored(&action, sig) {
                s.discard(bit(sig));
                continue;
            }
            if action.handler != SIG_DFL && sig != SIGKILL {
                continue;
            }
            let core = match default_action(sig) {
                DefaultAction::Terminate => false,
                DefaultAction::Core => true,
                _ => continue,
            };
            drop(s);
            self.request_exit(crate::cage::ExitStatus::Signaled { signal: sig, core });
            return;
        }
    }

    /// Takes a due stop signal and marks the cage stopped by it.
    pub fn take_stop(&self) -> Option<u32> {
        let mut s = self.signals_if_pending()?;
        let all = s.thread_pending.values().fold(s.pending, |a, p| a | p);
        let ready = all & STOP_SIGNALS & (s.unblocked_anywhere() | UNBLOCKABLE);
        let sig = (1..NSIG)
            .find(|&sig| ready & bit(sig) != 0 && s.actions[sig as usize].handler == SIG_DFL)?;
        s.discard(bit(sig));
        drop(s);
        *self.stopped.lock() = Some(sig);
        Some(sig)
    }

    /// Blocks the cage's thread while it is stopped (until SIGCONT, or
    /// until it must exit).
    pub fn wait_while_stopped(&self) {
        let mut stopped = self.stopped.lock();
        self.waiting_on.lock().push(self.resumed.clone());
        while stopped.is_some() && self.exit_requested().is_none() {
            self.resumed
                .wait_for(&mut stopped, std::time::Duration::from_millis(100));
        }
        {
            let mut w = self.waiting_on.lock();
            if let Some(i) = w
                .iter()
                .position(|c| std::sync::Arc::ptr_eq(c, &self.resumed))
            {
                w.swap_remove(i);
            }
        }
        *stopped = None;
    }

    /// SIGCONT: ends a stop.
    fn resume(&self) {
        if self.stopped.lock().take().is_some() {
            self.resumed.notify_all();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cage::Cred;

    fn cage() -> Cage {
        Cage::new(7, 1, Cred::new(0, 0), vec![], vec![])
    }

    #[test]
    fn standard_signals_coalesce_and_realtime_ones_queue() {
        let c = cage();
        c.signals.lock().mask = bit(SIGUSR1) | bit(40);
        for v in 0..3 {
            c.post(SigInfo::sent(SIGUSR1, SI_USER, 5, 0)).unwrap();
            let mut info = SigInfo::sent(40, SI_QUEUE, 5, 0);
            info.value = v;
            c.post(info).unwrap();
        }
        assert_eq!(c.signals.lock().queue.len(), 4);
        assert_eq!(c.take_signal(7, bit(40)).map(|i| i.value), Some(0));
        assert_eq!(c.take_signal(7, bit(40)).map(|i| i.value), Some(1));
        assert_eq!(c.take_signal(7, bit(40)).map(|i| i.value), Some(2));
        assert_eq!(c.take_signal(7, bit(40)), None);
        assert_eq!(c.take_signal(7, bit(SIGUSR1)).map(|i| i.pid), Some(5));
        assert_eq!(c.take_signal(7, bit(SIGUSR1)), None);
    }

    #[test]
    fn the_lock_free_pending_flag_never_hides_a_signal() {
        let c = cage();
        assert!(!c.maybe_pending.load(Ordering::Acquire));
        c.signals.lock().actions[SIGUSR1 as usize].handler = 0x100;
        // Blocked: pending but not deliverable; the flag stays up.
        c.signals.lock().mask = bit(SIGUSR1);
        c.post(SigInfo::sent(SIGUSR1, SI_USER, 5, 0)).unwrap();
        assert!(!c.handler_pending_for(7));
        assert!(c.maybe_pending.load(Ordering::Acquire));
        // Unblocked: the check sees it.
        c.signals.lock().mask = 0;
        assert!(c.handler_pending_for(7));
        let (info, _, _) = c.begin_handler(7).unwrap();
        assert_eq!(info.signo, SIGUSR1);
        // Nothing left: the next check clears the flag.
        assert!(!c.handler_pending_for(7));
        assert!(!c.maybe_pending.load(Ordering::Acquire));
        // A stop signal raises it again.
        c.post(SigInfo::sent(SIGTSTP, SI_USER, 5, 0)).unwrap();
        assert!(c.stop_pending());
        assert_eq!(c.take_stop(), Some(SIGTSTP));
    }

    #[test]
    fn realtime_queue_is_bounded() {
        let c = cage();
        c.signals.lock().mask = bit(45);
        for _ in 0..SIGQUEUE_MAX {
            c.post(SigInfo::kernel(45)).unwrap();
        }
        assert_eq!(c.post(SigInfo::kernel(45)), Err(Errno::EAGAIN));
    }

    #[test]
    fn ignored_signals_are_dropped_unless_blocked() {
        let c = cage();
        c.post(SigInfo::kernel(SIGCHLD)).unwrap();
        assert_eq!(c.signals.lock().pending, 0);
        c.signals.lock().mask = bit(SIGCHLD);
        c.post(SigInfo::kernel(SIGCHLD)).unwrap();
        assert_eq!(c.signals.lock().pending, bit(SIGCHLD));
        // Unblocked with SIG_DFL: thrown away.
        c.signals.lock().mask = 0;
        c.check_pending();
        assert_eq!(c.signals.lock().pending, 0);
    }

    #[test]
    fn stop_and_continue_cancel_each_other() {
        let c = cage();
        c.post(SigInfo::kernel(SIGTSTP)).unwrap();
        assert!(c.stop_pending());
        c.post(SigInfo::kernel(SIGCONT)).unwrap();
        assert!(!c.stop_pending());
        c.post(SigInfo::kernel(SIGSTOP)).unwrap();
        assert_eq!(c.take_stop(), Some(SIGSTOP));
        assert_eq!(*c.stopped.lock(), Some(SIGSTOP));
        c.post(SigInfo::kernel(SIGCONT)).unwrap();
        assert_eq!(*c.stopped.lock(), None);
        c.wait_while_stopped(); // returns at once
    }

    #[test]
    fn every_thread_waits_while_the_cage_is_stopped() {
        let t = crate::testing::TestEnv::new();
        t.cage.post(SigInfo::kernel(SIGSTOP)).unwrap();
        let stop_point = |t: &crate::testing::TestEnv| {
            let (k, c) = (t.kernel.clone(), t.cage.clone());
            std::thread::spawn(move || k.stop_point(&c))
        };
        let first = stop_point(&t);
        while !t.cage.is_stopped() {
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        // Another thread reaching a stop point stops too.
        let second = stop_point(&t);
        std::thread::sleep(std::time::Duration::from_millis(50));
        assert!(!first.is_finished() && !second.is_finished());
        t.cage.post(SigInfo::kernel(SIGCONT)).unwrap();
        assert!(first.join().unwrap());
        assert!(second.join().unwrap());
        assert!(!t.kernel.stop_point(&t.cage));
    }

    #[test]
    fn caught_stop_signal_is_not_a_stop() {
        let c = cage();
        c.signals.lock().actions[SIGTSTP as usize].handler = 40;
        c.post(SigInfo::kernel(SIGTSTP)).unwrap();
        assert!(!c.stop_pending());
        assert!(c.handler_pending());
        let (info, _, _) = c.begin_handler(7).unwrap();
        assert_eq!(info.signo, SIGTSTP);
    }

    #[test]
    fn altstacks_are_per_thread() {
        let mut s = SignalState {
            main: 7,
            ..Default::default()
        };
        s.set_altstack(7, Some((0x1000, 0x4000)));
        assert_eq!(s.altstack_of(7), (Some((0x1000, 0x4000)), false));
        // Another thread has none until it sets its own.
        assert_eq!(s.altstack_of(8), (None, false));
        assert_eq!(s.enter_altstack(8, SA_ONSTACK), None);
        s.set_altstack(8, Some((0x9000, 0x2000)));
        // Only SA_ONSTACK handlers move, and not when already on it.
        assert_eq!(s.enter_altstack(7, 0), None);
        assert_eq!(s.enter_altstack(7, SA_ONSTACK), Some((0x1000, 0x4000)));
        assert_eq!(s.altstack_of(7), (Some((0x1000, 0x4000)), true));
        assert_eq!(s.enter_altstack(7, SA_ONSTACK), None);
        assert_eq!(s.enter_altstack(8, SA_ONSTACK), Some((0x9000, 0x2000)));
        s.leave_altstack(7);
        assert_eq!(s.altstack_of(7), (Some((0x1000, 0x4000)), false));
        assert_eq!(s.altstack_of(8), (Some((0x9000, 0x2000)), true));
        s.set_altstack(7, None);
        assert_eq!(s.altstack_of(7), (None, false));
    }

    #[test]
    fn thread_end_drops_its_altstack_and_fork_copies_the_callers() {
        let c = cage();
        let tid = 9;
        c.signals.lock().set_altstack(7, Some((0x1000, 0x4000)));
        c.signals.lock().set_altstack(tid, Some((0x8000, 0x4000)));
        assert_eq!(
            c.fork_copy(11, 7).signals.lock().altstack_of(11).0,
            Some((0x1000, 0x4000))
        );
        let child = c.fork_copy(11, tid);
        assert_eq!(
            child.signals.lock().altstack_of(11),
            (Some((0x8000, 0x4000)), false)
        );
        c.forget_thread_signals(tid);
        assert_eq!(c.signals.lock().altstack_of(tid), (None, false));
        assert_eq!(c.signals.lock().altstack_of(7).0, Some((0x1000, 0x4000)));
    }

    #[test]
    fn siginfo_round_trips() {
        let mut i = SigInfo::sent(SIGCHLD, CLD_EXITED, 42, 1000);
        i.value = 3;
        assert_eq!(SigInfo::decode(&i.encode()), i);
    }
}
