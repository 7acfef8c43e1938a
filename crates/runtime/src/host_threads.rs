//! Host threads for cage threads and forked children, kept a while after
//! the cage thread they ran has ended, so that the next one starts without
//! a clone, a fresh 16 MiB stack mapping and wasmtime's per-thread set-up
//! (its signal stack), and without the unmapping and thread-local tear-down
//! at exit: together about a seventh of a pthread_create+join.

use parking_lot::{Condvar, Mutex};
use std::sync::Arc;
use std::time::{Duration, Instant};

type Job = Box<dyn FnOnce() + Send>;

/// Idle threads kept at most, and how long each waits for work.
const MAX_IDLE: usize = 16;
const IDLE_FOR: Duration = Duration::from_secs(2);

/// Where an idle thread waits for its next job.
#[derive(Default)]
struct Slot {
    job: Mutex<Option<Job>>,
    ready: Condvar,
}

/// The idle threads' slots. A slot taken from here is owed a job: its
/// thread, if its wait ran out meanwhile, waits on for it.
static IDLE: Mutex<Vec<Arc<Slot>>> = Mutex::new(Vec::new());

/// Runs `job` on a host thread with `stack` bytes of stack, named `name`:
/// an idle one if there is one (of that stack size: the runtime uses one).
pub fn spawn(
    name: String,
    stack: usize,
    job: impl FnOnce() + Send + 'static,
) -> std::io::Result<()> {
    let job: Job = Box::new(job);
    let idle = IDLE.lock().pop();
    if let Some(slot) = idle {
        *slot.job.lock() = Some(Box::new(move || {
            set_name(&name);
            job()
        }));
        slot.ready.notify_one();
        return Ok(());
    }
    std::thread::Builder::new()
        .name(name)
        .stack_size(stack)
        .spawn(move || work(job))
        .map(drop)
}

/// A pooled thread: runs jobs until none comes for [`IDLE_FOR`].
fn work(first: Job) {
    let slot = Arc::new(Slot::default());
    let mut job = first;
    loop {
        job();
        // Nothing of the cage it ran stays with the thread.
        lind_kernel::block::leave();
        crate::interrupt::set_asyncify_busy(false);
        {
            let mut idle = IDLE.lock();
            if idle.len() >= MAX_IDLE {
                return;
            }
            idle.push(slot.clone());
        }
        match wait_for_job(&slot) {
            Some(next) => job = next,
            None => return,
        }
    }
}

/// The next job for `slot`, or `None` if none came in time and nobody
/// took the slot meanwhile (then it is out of the idle list).
fn wait_for_job(slot: &Arc<Slot>) -> Option<Job> {
    let deadline = Instant::now() + IDLE_FOR;
    let mut next = slot.job.lock();
    loop {
        if let Some(job) = next.take() {
            return Some(job);
        }
        if slot.ready.wait_until(&mut next, deadline).timed_out() && next.is_none() {
            drop(next);
            let mut idle = IDLE.lock();
            if let Some(i) = idle.iter().position(|s| Arc::ptr_eq(s, slot)) {
                idle.swap_remove(i);
                return None;
            }
            drop(idle);
            // Taken: the job is on its way.
            next = slot.job.lock();
            while next.is_none() {
                slot.ready.wait(&mut next);
            }
        }
    }
}

/// Names the calling thread (what `top -H` and gdb show), as
/// `Builder::name` does for a new one; names are cut to 15 bytes.
fn set_name(name: &str) {
    let mut bytes: Vec<u8> = name.bytes().filter(|&b| b != 0).take(15).collect();
    bytes.push(0);
    // SAFETY: `bytes` is NUL-terminated and outlives the call, which names
    // the calling thread only.
    unsafe {
        libc::pthread_setname_np(libc::pthread_self(), bytes.as_ptr().cast());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    #[test]
    fn an_ended_job_leaves_its_thread_for_the_next() {
        let (tx, rx) = mpsc::channel();
        for i in 0..3 {
            let tx = tx.clone();
            spawn(format!("pool-test-{i}"), 1 << 20, move || {
                tx.send(std::thread::current().id()).unwrap();
            })
            .unwrap();
            let id = rx.recv().unwrap();
            // Let the thread reach the idle list before the next job.
            let until = Instant::now() + Duration::from_secs(5);
            while IDLE.lock().is_empty() && Instant::now() < until {
                std::thread::sleep(Duration::from_millis(1));
            }
            if i > 0 {
                assert_eq!(Some(id), FIRST.lock().clone());
            } else {
                *FIRST.lock() = Some(id);
            }
        }
    }

    static FIRST: Mutex<Option<std::thread::ThreadId>> = Mutex::new(None);
}
