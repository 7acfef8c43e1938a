//! `lind`: run C programs compiled to wasm32 as isolated POSIX processes.

mod asyncify;
mod cc;
mod dwarf;
mod own_memory;
mod run;
mod setjmp_functions;
mod wasm_bytes;

use clap::{Parser, Subcommand};
use std::ffi::OsString;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "lind",
    version,
    about = "Run POSIX C programs compiled to wasm32 in isolated cages"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a module built by `lind cc`.
    Run(run::RunArgs),
    /// Compile and link C for lind (clang-compatible; `-v` shows the commands).
    #[command(disable_help_flag = true)]
    Cc {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<OsString>,
    },
    /// The archiver for lind objects (LLVM's ar), for `AR=` in Makefiles.
    #[command(disable_help_flag = true)]
    Ar {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<OsString>,
    },
    /// Index an archive of lind objects (LLVM's ranlib), for `RANLIB=`.
    #[command(disable_help_flag = true)]
    Ranlib {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<OsString>,
    },
    /// Print the variables to export to cross-build a configure/Makefile
    /// project for lind (`eval "$(lind env)"`).
    Env,
    /// Print the syscall support table.
    Syscalls {
        /// As a Markdown table (for the README).
        #[arg(long)]
        markdown: bool,
    },
}

fn main() -> ExitCode {
    // The runtime ends threads, cages, execs and longjmps with errors; with
    // RUST_BACKTRACE set, each would capture a host backtrace. Panics keep
    // theirs; RUST_LIB_BACKTRACE=1 asks for error backtraces explicitly.
    if std::env::var_os(run::LIB_BACKTRACE).is_none() {
        std::env::set_var(run::LIB_BACKTRACE, "0");
        run::LIB_BACKTRACE_SET_BY_LIND.store(true, std::sync::atomic::Ordering::Relaxed);
    }
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_env("LIND_LOG"))
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(args) => run::main(args),
        Command::Cc { args } => cc::main(args),
        Command::Ar { args } => cc::run_archiver(false, args),
        Command::Ranlib { args } => cc::run_archiver(true, args),
        Command::Env => print_env(),
        Command::Syscalls { markdown } => {
            print_syscalls(markdown);
            Ok(0)
        }
    };
    match result {
        Ok(code) => ExitCode::from(code.clamp(0, 255) as u8),
        Err(e) => {
            eprintln!("lind: error: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn print_env() -> anyhow::Result<i32> {
    let me = std::env::current_exe()?;
    let lind = me.display();
    println!("export CC=\"{lind} cc\"");
    println!("export AR=\"{lind} ar\"");
    println!("export RANLIB=\"{lind} ranlib\"");
    println!("export CPP=\"{}\"", cc::preprocessor()?);
    println!("export CC_FOR_BUILD=cc");
    println!("# then: ./configure --host=wasm32-unknown-linux-musl && make");
    Ok(0)
}

fn print_syscalls(markdown: bool) {
    use lind_kernel::syscall::{Support, TABLE};
    let mut rows: Vec<_> = TABLE.iter().collect();
    rows.sort_by_key(|d| d.nr);
    if markdown {
        println!("| nr | syscall | support |\n|---:|---|---|");
    }
    for d in &rows {
        let support = match d.support {
            Support::Full => "full".to_string(),
            Support::Partial(note) => format!("partial: {note}"),
        };
        if markdown {
            println!("| {} | `{}` | {} |", d.nr, d.name, support);
        } else {
            println!("{:>5}  {:<18} {}", d.nr, d.name, support);
        }
    }
    let partial = rows.iter().filter(|d| d.support != Support::Full).count();
    println!(
        "{}{} syscalls supported ({} full, {} partial); every other number returns ENOSYS.",
        if markdown { "\n" } else { "" },
        rows.len(),
        rows.len() - partial,
        partial
    );
}
