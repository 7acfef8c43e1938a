//! Property test: no syscall number or argument combination panics the
//! kernel, and every failure is a real errno.

use lind_abi::{layout::Stat, nr};
use lind_kernel::{
    cage::{Cred, ExitStatus},
    file::{FileLike, OpenFile},
    host::FakeHost,
    memory::VecMemory,
    syscall::{dispatch, Ctx, Outcome},
    vfs::Vfs,
    KResult, Kernel, KernelConfig,
};
use proptest::prelude::*;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// A stdio stand-in that swallows writes and reads EOF.
struct Sink;
impl FileLike for Sink {
    fn read(&self, _buf: &mut [u8], _status: u32) -> KResult<usize> {
        Ok(0)
    }
    fn write(&self, data: &[u8], _status: u32) -> KResult<usize> {
        Ok(data.len())
    }
    fn stat(&self) -> KResult<Stat> {
        Ok(Stat {
            mode: lind_abi::flags::S_IFCHR | 0o666,
            ..Stat::default()
        })
    }
}

fn interesting_arg() -> impl Strategy<Value = u64> {
    prop_oneof![
        Just(0u64),
        Just(1),
        Just(u64::MAX),
        Just(0xffff_ffff),
        Just((-100i64) as u64),
        Just(4096),
        Just(65536 - 8),
        4096u64..65536,
        0u64..64,
        any::<u64>(),
    ]
}

fn syscall_number() -> impl Strategy<Value = u64> {
    prop_oneof![0u64..460, 1020u64..1030, any::<u64>()]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn dispatch_never_panics(calls in prop::collection::vec((syscall_number(), prop::array::uniform6(interesting_arg())), 1..8)) {
        let kernel = Kernel::new(Vfs::new(), Arc::new(FakeHost::new()), KernelConfig::default());
        let stdio = [0, 1, 2].map(|i| OpenFile::new(Arc::new(Sink), if i == 0 { 0 } else { 1 }, None));
        let cage = kernel.spawn_init(vec![b"prog".to_vec()], vec![], Cred::new(1000, 1000), stdio);
        *cage.mm.lock() = lind_kernel::mm::MemMap::new(16384, 65536);
        let mut mem = VecMemory::new(65536);
        // Some calls block for good (pause, a read of a pipe that still has
        // a writer, wait4 for a child that never runs): a watchdog kills
        // the cage, which must turn any such wait into an orderly exit.
        lind_kernel::block::enter(cage.clone());
        let finished = Arc::new(AtomicBool::new(false));
        let killed = Arc::new(AtomicBool::new(false));
        {
            let (cage, finished, killed) = (cage.clone(), finished.clone(), killed.clone());
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(30));
                if !finished.load(Ordering::SeqCst) {
                    killed.store(true, Ordering::SeqCst);
                    cage.request_exit(ExitStatus::Signaled { signal: 9, core: false });
                }
            });
        }
        for (n, args) in calls {
            let mut ctx = Ctx::new(&kernel, &cage, &mut mem);
            match dispatch(&mut ctx, n, args) {
                Outcome::Return(v) if v < 0 => prop_assert!((1..=133).contains(&-v), "nr {n} returned {v}"),
                Outcome::Return(_) => {}
                Outcome::Fork(child) => {
                    prop_assert!(matches!(n, 56..=58), "nr {n} forked");
                    prop_assert!(child.pid > 1);
                }
                Outcome::Spawn(child, _) => {
                    prop_assert!(n == u64::from(nr::LIND_SPAWN), "nr {n} spawned");
                    prop_assert!(child.pid > 1);
                }
                Outcome::Exec(_) => prop_assert!(matches!(n, 59 | 322), "nr {n} exec'd"),
                Outcome::Thread(t) => {
                    prop_assert!(n == 56, "nr {n} made a thread");
                    cage.forget_thread(t.tid);
                }
                Outcome::ThreadExit => prop_assert!(false, "nr {n} ended a thread of a one-thread cage"),
                Outcome::Exit(_) if killed.load(Ordering::SeqCst) => break,
                Outcome::Exit(_) => {
                    prop_assert!(matches!(n as u32, nr::EXIT | nr::EXIT_GROUP | nr::KILL | nr::TKILL | nr::TGKILL | nr::RT_SIGQUEUEINFO | nr::RT_TGSIGQUEUEINFO | nr::RT_SIGPROCMASK | nr::RT_SIGACTION) && n < 1 << 32);
                    break;
                }
            }
        }
        finished.store(true, Ordering::SeqCst);
    }
}
