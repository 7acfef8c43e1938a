//! The cage's standard streams, passed through to the host's.

use crate::host::host_errno;
use crate::{file::FileLike, memory::GuestMemory, KResult};
use lind_abi::{
    flags::*,
    layout::{winsize, Stat},
    Errno,
};
use std::io::IsTerminal;
use std::os::fd::{AsFd, BorrowedFd};

/// Which host stream a [`HostStream`] stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    Stdin,
    Stdout,
    Stderr,
}

/// One of the host's standard streams, read and written unbuffered so the
/// guest's own stdio buffering is the only one.
pub struct HostStream {
    pub which: Stream,
}

impl HostStream {
    fn with_fd<T>(&self, f: impl FnOnce(BorrowedFd) -> T) -> T {
        match self.which {
            Stream::Stdin => f(std::io::stdin().as_fd()),
            Stream::Stdout => f(std::io::stdout().as_fd()),
            Stream::Stderr => f(std::io::stderr().as_fd()),
        }
    }

    fn host_is_terminal(&self) -> bool {
        match self.which {
            Stream::Stdin => std::io::stdin().is_terminal(),
            Stream::Stdout => std::io::stdout().is_terminal(),
            Stream::Stderr => std::io::stderr().is_terminal(),
        }
    }
}

/// A sane default `struct termios` (as `stty sane` sets): what TCGETS
/// reports for a host terminal.
fn default_termios() -> [u8; lind_abi::layout::termios::KERNEL_SIZE] {
    let mut t = [0u8; lind_abi::layout::termios::KERNEL_SIZE];
    let iflag: u32 = 0o400 | 0o2000; // ICRNL | IXON
    let oflag: u32 = 0o1 | 0o4; // OPOST | ONLCR
    let cflag: u32 = 0o17 | 0o60 | 0o200 | 0o2000; // B38400 | CS8 | CREAD | HUPCL
    let lflag: u32 = 0o1 | 0o2 | 0o10 | 0o20 | 0o40 | 0o1000 | 0o4000 | 0o100000; // ISIG ICANON ECHO ECHOE ECHOK ECHOCTL ECHOKE IEXTEN
    for (i, v) in [iflag, oflag, cflag, lflag].iter().enumerate() {
        t[i * 4..i * 4 + 4].copy_from_slice(&v.to_le_bytes());
    }
    // c_cc: VINTR ^C, VQUIT ^\, VERASE DEL, VKILL ^U, VEOF ^D, VTIME 0, VMIN 1.
    let cc = [3u8, 28, 127, 21, 4, 0, 1];
    t[17..17 + cc.len()].copy_from_slice(&cc);
    t
}

impl FileLike for HostStream {
    fn is_terminal(&self) -> bool {
        self.host_is_terminal()
    }

    fn read(&self, buf: &mut [u8], _status: u32) -> KResult<usize> {
        self.with_fd(|fd| rustix::io::read(fd, buf))
            .map_err(host_errno)
    }

    fn write(&self, data: &[u8], _status: u32) -> KResult<usize> {
        let r = self.with_fd(|fd| rustix::io::write(fd, data));
        match r {
            Err(rustix::io::Errno::PIPE) => Err(Errno::EPIPE),
            r => r.map_err(host_errno),
        }
    }

    fn stat(&self) -> KResult<Stat> {
        let st = self
            .with_fd(|fd| rustix::fs::fstat(fd))
            .map_err(host_errno)?;
        let mode = st.st_mode;
        Ok(Stat {
            dev: 5,
            ino: 3 + self.which as u64,
            nlink: 1,
            mode,
            uid: st.st_uid,
            gid: st.st_gid,
            rdev: if mode & S_IFMT == S_IFCHR {
                st.st_rdev
            } else {
                0
            },
            size: if mode & S_IFMT == S_IFREG {
                st.st_size
            } else {
                0
            },
            blksize: 4096,
            ..Stat::default()
        })
    }

    fn ioctl(&self, req: u32, arg: u64, mem: &mut dyn GuestMemory) -> KResult<i64> {
        if !self.host_is_terminal() {
            return Err(Errno::ENOTTY);
        }
        match req {
            TCGETS => {
                mem.write(arg, &default_termios())?;
                Ok(0)
            }
            // Accepted but not applied to the host terminal yet.
            TCSETS | TCSETSW | TCSETSF => Ok(0),
            TIOCGWINSZ => {
                let ws = self
                    .with_fd(|fd| rustix::termios::tcgetwinsize(fd))
                    .map_err(host_errno)?;
                let mut b = [0u8; winsize::SIZE];
                for (i, v) in [ws.ws_row, ws.ws_col, ws.ws_xpixel, ws.ws_ypixel]
                    .iter()
                    .enumerate()
                {
                    b[i * 2..i * 2 + 2].copy_from_slice(&v.to_le_bytes());
                }
                mem.write(arg, &b)?;
                Ok(0)
            }
            _ => Err(Errno::ENOTTY),
        }
    }

    fn bytes_available(&self) -> KResult<u64> {
        Err(Errno::ENOTTY)
    }

    /// The host stream's readiness now; if what a waiter may want is not
    /// there yet, a watcher thread waits for it on the host (see [`Watch`]).
    fn poll(&self, waker: Option<&std::sync::Arc<dyn Waker>>) -> Option<u32> {
        let want = match self.which {
            Stream::Stdin => PollFlags::IN,
            _ => PollFlags::OUT,
        };
        // Files and /dev/null, /dev/zero, /dev/full have no poll method on
        // Linux (always ready, EPERM for epoll): say so for them too.
        let st = self.with_fd(|fd| rustix::fs::fstat(fd)).ok()?;
        let kind = st.st_mode & S_IFMT;
        let (major, minor) = (rustix::fs::major(st.st_rdev), rustix::fs::minor(st.st_rdev));
        if kind == S_IFREG
            || kind == S_IFDIR
            || (kind == S_IFCHR && major == 1 && matches!(minor, 3 | 5 | 7))
        {
            return None;
        }
        let now = self.with_fd(|fd| host_poll(fd, want, Some(&ZERO)));
        if let (Some(w), true) = (waker, now.is_empty()) {
            watch(self.which).arm(w, want);
        }
        Some(to_mask(now))
    }
}

use crate::block::{WaitQueue, Waker};
use rustix::event::{PollFd, PollFlags, Timespec as HostTimespec};

const ZERO: HostTimespec = HostTimespec {
    tv_sec: 0,
    tv_nsec: 0,
};

fn host_poll(fd: BorrowedFd, want: PollFlags, timeout: Option<&HostTimespec>) -> PollFlags {
    let mut fds = [PollFd::from_borrowed_fd(fd, want)];
    match rustix::event::poll(&mut fds, timeout) {
        Ok(_) => fds[0].revents(),
        Err(_) => PollFlags::empty(),
    }
}

fn to_mask(f: PollFlags) -> u32 {
    let mut m = 0;
    if f.contains(PollFlags::IN) {
        m |= POLLIN | POLLRDNORM;
    }
    if f.contains(PollFlags::OUT) {
        m |= POLLOUT | POLLWRNORM;
    }
    if f.contains(PollFlags::HUP) {
        m |= POLLHUP;
    }
    if f.contains(PollFlags::ERR) {
        m |= POLLERR;
    }
    m
}

/// Waits on the host for one standard stream to become ready while some
/// cage polls it: one thread per stream, started on first use, asleep
/// unless armed; it wakes the stream's queue once and disarms, so a stream
/// that stays ready costs nothing until someone polls it again.
struct Watch {
    queue: WaitQueue,
    armed: parking_lot::Mutex<Option<PollFlags>>,
    cv: parking_lot::Condvar,
}

fn watch(which: Stream) -> &'static Watch {
    static WATCHES: [std::sync::OnceLock<&'static Watch>; 3] = [
        std::sync::OnceLock::new(),
        std::sync::OnceLock::new(),
        std::sync::OnceLock::new(),
    ];
    WATCHES[which as usize].get_or_init(|| {
        let w: &'static Watch = Box::leak(Box::new(Watch {
            queue: WaitQueue::new(),
            armed: parking_lot::Mutex::new(None),
            cv: parking_lot::Condvar::new(),
        }));
        let stream = HostStream { which };
        let _ = std::thread::Builder::new()
            .name("lind-stdio-watch".into())
            .spawn(move || loop {
                let want = {
                    let mut a = w.armed.lock();
                    while a.is_none() {
                        w.cv.wait(&mut a);
                    }
                    a.unwrap_or(PollFlags::IN)
                };
                let second = HostTimespec {
                    tv_sec: 1,
                    tv_nsec: 0,
                };
                let got = stream.with_fd(|fd| host_poll(fd, want, Some(&second)));
                if !got.is_empty() {
                    *w.armed.lock() = None;
                    w.queue.notify(to_mask(got));
                }
            });
        w
    })
}

impl Watch {
    fn arm(&self, waker: &std::sync::Arc<dyn Waker>, want: PollFlags) {
        self.queue.register(waker);
        *self.armed.lock() = Some(want);
        self.cv.notify_all();
    }
}

/// Open-file descriptions for the host's stdin, stdout and stderr.
pub fn host_stdio() -> [std::sync::Arc<crate::file::OpenFile>; 3] {
    use crate::file::OpenFile;
    use std::sync::Arc;
    [
        OpenFile::new(
            Arc::new(HostStream {
                which: Stream::Stdin,
            }),
            O_RDONLY,
            None,
        ),
        OpenFile::new(
            Arc::new(HostStream {
                which: Stream::Stdout,
            }),
            O_WRONLY,
            None,
        ),
        OpenFile::new(
            Arc::new(HostStream {
                which: Stream::Stderr,
            }),
            O_WRONLY,
            None,
        ),
    ]
}
