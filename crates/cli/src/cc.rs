//! `lind cc`: a clang-compatible compiler driver that turns C sources into
//! Lind cage modules (wasm32, one `lind.syscall` import).
//!
//! It runs `clang-19` for each C source against the Lind sysroot (musl built
//! by `libc/build.sh`), then `wasm-ld-19` with the sysroot's `crt1.o`,
//! `libc.a` and clang's builtins, then marks the module with the `lind.abi`
//! custom section. Enough of clang's command line is understood to serve as
//! `CC` for ordinary Makefiles; `-v` prints every command it runs.

use anyhow::{bail, Context, Result};
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::wasm_bytes::{write_name, write_section};

/// Flags every wasm32 object of Lind is built with (the same as `libc/build.sh`
/// uses for the sysroot: objects must agree on features).
pub const TARGET_FLAGS: &[&str] = &[
    "--target=wasm32-unknown-unknown",
    // Every cage may run threads: one sysroot and one kind of object serve
    // programs with and without -pthread (see `link_command`).
    "-matomics",
    "-mbulk-memory",
    "-mmutable-globals",
    "-msign-ext",
    // No -mnontrapping-fptoint: Cranelift's saturating conversions made
    // Lua's interpreter loop 9% slower than clang's range-checked ones (the
    // WASI peer's clang-19 default); other benchmarks do not move.
    "-fno-stack-protector",
    // setjmp/longjmp through `invoke_*` imports instead of Asyncify (see
    // libc's src/setjmp/wasm32/setjmp.c).
    "-mllvm",
    "-enable-emscripten-sjlj",
];

/// Size of the cage's C stack (wasm-ld's shadow stack).
pub const STACK_SIZE: u32 = 1 << 20;

const CLANG: &str = "clang-19";
const WASM_LD: &str = "wasm-ld-19";
const WASM_OPT: &str = "wasm-opt";
const BUILTINS: &str = "libclang_rt.builtins-wasm32.a";
/// The LLVM pass plugin in the sysroot's lib/ that puts signal check points
/// in the loops of functions that call setjmp (libc/llvm/signal_poll.cpp).
const PASS_PLUGIN: &str = "lind-signal-poll.so";

/// Why a flag is refused, shown to the user.
const NO_SHARED: &str = "-shared is not supported: a Lind cage is one statically linked wasm module (there is no dynamic loader)";
const NO_ASSEMBLY: &str = "-S is not supported: lind cc only builds Lind objects (-c) and cage modules, not wasm assembly text";

/// `lind cc ARGS...`; returns the process exit code.
pub fn main(args: Vec<OsString>) -> Result<i32> {
    let inv = match parse(&args)? {
        Parsed::Run(inv) => inv,
        Parsed::Version => {
            println!(
                "lind cc {} (wasm32 Lind cages, musl libc)",
                env!("CARGO_PKG_VERSION")
            );
            return run_status(Command::new(tool(CLANG, "LIND_CLANG")).arg("--version"));
        }
        Parsed::DumpMachine => {
            println!("wasm32-unknown-unknown");
            return Ok(0);
        }
        Parsed::Help => {
            print!("{HELP}");
            return Ok(0);
        }
    };
    let sysroot = find_sysroot()?;
    let resource = resource_dir()?;
    let pass_plugin = sysroot.join("lib").join(PASS_PLUGIN);
    if !pass_plugin.is_file() {
        bail!(
            "{} is missing: the sysroot predates lind cc's signal check points; run libc/build.sh (or ./setup.sh)",
            pass_plugin.display()
        );
    }
    let tools = Tools {
        clang: tool(CLANG, "LIND_CLANG"),
        wasm_ld: tool(WASM_LD, "LIND_WASM_LD"),
        sysroot,
        resource,
        pass_plugin: Some(pass_plugin),
    };
    build(&inv, &tools)
}

/// The preprocessor command that matches `lind cc`'s compiles (for `CPP`
/// in `lind env`; the same as `lind cc -E`).
pub fn preprocessor() -> Result<String> {
    let sysroot = find_sysroot()?;
    let resource = resource_dir()?;
    let mut words: Vec<String> = vec![tool(CLANG, "LIND_CLANG").to_string_lossy().into_owned()];
    words.extend(TARGET_FLAGS.iter().map(|f| f.to_string()));
    words.push("-nostdinc".into());
    words.push(format!("-isystem {}", sysroot.join("include").display()));
    words.push(format!("-isystem {}", resource.join("include").display()));
    words.push("-D__lind__=1".into());
    words.push("-E".into());
    Ok(words.join(" "))
}

/// The archiver and index tools `lind ar` and `lind ranlib` run (LLVM's
/// understand wasm objects' symbol tables; GNU ar does not).
pub fn archiver(ranlib: bool) -> OsString {
    if ranlib {
        tool("llvm-ranlib-19", "LIND_RANLIB")
    } else {
        tool("llvm-ar-19", "LIND_AR")
    }
}

/// Runs `lind ar`/`lind ranlib` with the given arguments.
pub fn run_archiver(ranlib: bool, args: Vec<OsString>) -> Result<i32> {
    run_status(Command::new(archiver(ranlib)).args(args))
}

/// Where the sysroot is: `$LIND_SYSROOT`, else `<exe dir>/../share/lind/sysroot`
/// (an installed layout), else the checkout's `build/sysroot` (where
/// `libc/build.sh` puts it), found from the binary's place in `target/` or,
/// failing that, from the source tree the binary was built from.
pub fn find_sysroot() -> Result<PathBuf> {
    let ok = |p: &Path| p.join("lib/crt1.o").is_file() && p.join("include/stdio.h").is_file();
    if let Some(dir) = std::env::var_os("LIND_SYSROOT") {
        let dir = PathBuf::from(dir);
        if ok(&dir) {
            return Ok(dir);
        }
        bail!(
            "LIND_SYSROOT={} is not a Lind sysroot (no lib/crt1.o or include/stdio.h); run ./setup.sh",
            dir.display()
        );
    }
    let mut candidates = Vec::new();
    if let Ok(exe) = std::env::current_exe() {
        let exe = exe.canonicalize().unwrap_or(exe);
        if let Some(dir) = exe.parent() {
            candidates.push(dir.join("../share/lind/sysroot"));
            // target/{release,debug}/lind inside a checkout.
            candidates.push(dir.join("../../build/sysroot"));
        }
    }
    candidates.push(PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../build/sysroot"
    )));
    for c in &candidates {
        if ok(c) {
            return Ok(c.canonicalize().unwrap_or_else(|_| c.clone()));
        }
    }
    bail!(
        "no Lind sysroot found (LIND_SYSROOT is unset; looked in {}); run ./setup.sh (or libc/build.sh) to build it",
        candidates.iter().map(|c| c.display().to_string()).collect::<Vec<_>>().join(", ")
    )
}

/// What the command line asks for.
#[derive(Debug, PartialEq)]
enum Parsed {
    Run(Invocation),
    Version,
    DumpMachine,
    Help,
}

const HELP: &str = "\
usage: lind cc [options] file...
Compile C for Lind (wasm32 cages, musl libc) with clang-19 and wasm-ld-19.

  -c                 compile only, to a wasm object (.o)
  -E                 preprocess only (to stdout, or -o FILE); the input - is stdin
  -r                 relocatable link: objects into one object (no crt, libc or Asyncify)
  -o FILE            output (default a.out, or NAME.o with -c)
  -I/-D/-U/-include  preprocessor options;  -O0..-O3 -Os -Oz  -g  -W...  -f...  -std=
  -MD -MMD -MF -MT -MP  dependency files
  -L DIR, -lNAME, -Wl,..., -Xlinker X   linker options (-lm, -lpthread... are empty: all is in libc)
  -pthread, -static  accepted: every module is built for threads, statically
  -v                 print every command run
  -S, -shared        not supported (a cage is one static wasm module)
Inputs: .c .i .s .S are compiled; .o .a and anything else go to the linker.
The sysroot is $LIND_SYSROOT or the one ./setup.sh builds (build/sysroot).
";

/// A parsed `lind cc` command line.
#[derive(Debug, Default, PartialEq)]
struct Invocation {
    /// `-c`: compile only, no link.
    compile_only: bool,
    /// `-E`: preprocess only (clang with Lind's target, sysroot and macros).
    preprocess_only: bool,
    /// `-r`: a relocatable link (objects into one object, as Kbuild's `$(CC) -nostdlib
    /// -r` does): no start files, libraries or instrumentation.
    relocatable: bool,
    /// `-o FILE`.
    output: Option<PathBuf>,
    /// Sources and linker inputs, in command-line order.
    inputs: Vec<Input>,
    /// Flags for every clang compile (-I, -D, -O, -W, -f, -std, -M*, ...).
    compile_flags: Vec<OsString>,
    /// Flags for wasm-ld (from -Wl, -Xlinker, -L, -s, ...).
    link_flags: Vec<OsString>,
    /// `-v`: print every command.
    verbose: bool,
    /// `-g...` (keep DWARF in the module).
    debug: bool,
    /// The `wasm-opt` level matching the last `-O` flag (`None` for `-O0`
    /// or none at all).
    opt_level: Option<&'static str>,
    /// `-nostdlib` / `-nostartfiles` / `-nodefaultlibs`.
    no_startfiles: bool,
    no_defaultlibs: bool,
}

#[derive(Debug, PartialEq)]
enum Input {
    /// A file to compile, with the `-x` language in force, if any.
    Source {
        path: PathBuf,
        lang: Option<OsString>,
    },
    /// An object, archive or `-lNAME`, passed to the linker as is.
    Linker(OsString),
}

/// Flags that take their value as the next argument (when not joined).
const COMPILE_WITH_ARG: &[&str] = &[
    "-I",
    "-D",
    "-U",
    "-include",
    "-imacros",
    "-isystem",
    "-iquote",
    "-idirafter",
    "-iprefix",
    "-iwithprefix",
    "-MF",
    "-MT",
    "-MQ",
    "-Xclang",
    "-Xpreprocessor",
];

fn parse(args: &[OsString]) -> Result<Parsed> {
    let mut inv = Invocation::default();
    let mut lang: Option<OsString> = None;
    let mut it = args.iter();
    let next_value = |flag: &str, it: &mut std::slice::Iter<OsString>| -> Result<OsString> {
        it.next()
            .cloned()
            .with_context(|| format!("argument to '{flag}' is missing (expected 1 value)"))
    };
    while let Some(arg) = it.next() {
        let Some(s) = arg.to_str() else {
            // Non-UTF-8: can only be a file name.
            classify(&mut inv, arg, &lang)?;
            continue;
        };
        if !s.starts_with('-') || s == "-" {
            classify(&mut inv, arg, &lang)?;
            continue;
        }
        match s {
            "-c" => inv.compile_only = true,
            "-o" => inv.output = Some(next_value(s, &mut it)?.into()),
            "-v" | "-###" => inv.verbose = true,
            "--version" => return Ok(Parsed::Version),
            "-dumpmachine" => return Ok(Parsed::DumpMachine),
            "--help" | "-help" => return Ok(Parsed::Help),
            "-E" => inv.preprocess_only = true,
            "-r" => inv.relocatable = true,
            "-S" => bail!(NO_ASSEMBLY),
            "-shared" => bail!(NO_SHARED),
            "-M" | "-MM" => bail!("{s} (dependency output only) implies -E, which is not supported; use -MD or -MMD with -c"),
            // Every module is built for threads (atomics, shared memory), so
            // -pthread changes nothing; clang's -pthread only adds what
            // TARGET_FLAGS already has.
            "-pthread" | "-pthreads" => {}
            // Always static; accepted for compatibility.
            "-static" | "-rdynamic" | "-no-pie" | "-pie" | "-fPIE" | "-fpie" => {}
            "-nostdlib" => {
                inv.no_startfiles = true;
                inv.no_defaultlibs = true;
            }
            "-nostartfiles" => inv.no_startfiles = true,
            "-nodefaultlibs" => inv.no_defaultlibs = true,
            "-s" => inv.link_flags.push("--strip-all".into()),
            "-x" => {
                let l = next_value(s, &mut it)?;
                lang = if l == "none" { None } else { Some(l) };
            }
            "-Xlinker" => inv.link_flags.push(next_value(s, &mut it)?),
            "-L" => {
                let dir = next_value(s, &mut it)?;
                inv.link_flags.push(join("-L", &dir));
            }
            "-l" => {
                let lib = next_value(s, &mut it)?;
                inv.inputs.push(Input::Linker(join("-l", &lib)));
            }
            _ if COMPILE_WITH_ARG.contains(&s) => {
                let v = next_value(s, &mut it)?;
                inv.compile_flags.push(arg.clone());
                inv.compile_flags.push(v);
            }
            _ if s.starts_with("-x") => {
                let l = &s[2..];
                lang = if l == "none" { None } else { Some(l.into()) };
            }
            _ if s.starts_with("-Wl,") => {
                inv.link_flags.extend(s[4..].split(',').filter(|p| !p.is_empty()).map(OsString::from));
            }
            _ if s.starts_with("-L") => inv.link_flags.push(arg.clone()),
            _ if s.starts_with("-l") => inv.inputs.push(Input::Linker(arg.clone())),
            _ if s.starts_with("-g") => {
                inv.debug = s != "-g0";
                inv.compile_flags.push(arg.clone());
            }
            _ if s.starts_with("-O") => {
                inv.opt_level = binaryen_level(s);
                inv.compile_flags.push(arg.clone());
            }
            _ if s.starts_with("-W")
                || s.starts_with("-f")
                || s.starts_with("-std=")
                || s.starts_with("-I")
                || s.starts_with("-D")
                || s.starts_with("-U")
                || s.starts_with("-M")
                || s.starts_with("-m")
                || s.starts_with("-isystem")
                || s.starts_with("-iquote")
                || s.starts_with("-idirafter")
                || s.starts_with("--std=")
                || s == "-ansi"
                || s == "-pedantic"
                || s == "-pedantic-errors"
                || s == "-w"
                || s == "-C"
                || s == "-P"
                || s == "-H"
                || s == "-Qunused-arguments"
                || s == "-integrated-as"
                || s == "-pipe" =>
            {
                inv.compile_flags.push(arg.clone())
            }
            _ => bail!("unsupported option '{s}' (lind cc understands the usual compile and link flags; see -v)"),
        }
    }
    if inv.inputs.is_empty() {
        bail!("no input files");
    }
    inv.link_flags = drop_elf_only(std::mem::take(&mut inv.link_flags));
    let sources = inv
        .inputs
        .iter()
        .filter(|i| matches!(i, Input::Source { .. }))
        .count();
    if inv.compile_only {
        if sources == 0 {
            bail!("-c given but no C sources to compile");
        }
        if sources > 1 && inv.output.is_some() {
            bail!("cannot specify -o when generating multiple output files");
        }
    }
    Ok(Parsed::Run(inv))
}

/// Drops ELF linker options that mean nothing for one static wasm module and that
/// wasm-ld refuses: what libtool and distribution builds pass as a matter of course
/// (`-rpath DIR`, `--as-needed`, `--version-script FILE`, `-z relro`, `--start-group`...).
fn drop_elf_only(flags: Vec<OsString>) -> Vec<OsString> {
    const WITH_ARG: &[&str] = &[
        "-rpath",
        "--rpath",
        "-rpath-link",
        "--rpath-link",
        "--version-script",
    ];
    const ALONE: &[&str] = &[
        "--as-needed",
        "--no-as-needed",
        "--enable-new-dtags",
        "--disable-new-dtags",
        "--export-dynamic",
        "-E",
        // wasm-ld, like lld, resolves symbols across all archives whatever their order.
        "--start-group",
        "--end-group",
        "-(",
        "-)",
        "--warn-common",
    ];
    const Z_KEYWORDS: &[&str] = &[
        "relro",
        "norelro",
        "now",
        "lazy",
        "noexecstack",
        "execstack",
        "defs",
    ];
    const PREFIXES: &[&str] = &[
        "-rpath=",
        "--rpath=",
        "-rpath-link=",
        "--rpath-link=",
        "--version-script=",
        "--hash-style=",
    ];
    let mut out = Vec::with_capacity(flags.len());
    let mut it = flags.into_iter().peekable();
    while let Some(f) = it.next() {
        let s = f.to_string_lossy();
        let takes_arg = WITH_ARG.contains(&s.as_ref())
            || (s == "-z"
                && it
                    .peek()
                    .is_some_and(|k| Z_KEYWORDS.contains(&k.to_string_lossy().as_ref())));
        if takes_arg {
            it.next();
        } else if !(ALONE.contains(&s.as_ref()) || PREFIXES.iter().any(|p| s.starts_with(p))) {
            out.push(f);
        }
    }
    out
}

fn join(flag: &str, value: &OsStr) -> OsString {
    let mut s = OsString::from(flag);
    s.push(value);
    s
}

/// Sort an input file into the sources (compiled) or the linker inputs.
fn classify(inv: &mut Invocation, arg: &OsString, lang: &Option<OsString>) -> Result<()> {
    let path = PathBuf::from(arg);
    if let Some(l) = lang {
        let l = l.to_string_lossy();
        if matches!(
            l.as_ref(),
            "c" | "cpp-output" | "assembler" | "assembler-with-cpp"
        ) {
            inv.inputs.push(Input::Source {
                path,
                lang: Some(l.as_ref().into()),
            });
            return Ok(());
        }
        bail!("-x {l}: only C is supported (lind cc has no C++ runtime yet)");
    }
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    match ext {
        "c" | "i" | "s" | "S" => inv.inputs.push(Input::Source { path, lang: None }),
        "cc" | "cpp" | "cxx" | "c++" | "C" | "ii" => {
            bail!(
                "{}: C++ is not supported yet by lind cc (no C++ runtime in the sysroot)",
                path.display()
            )
        }
        "so" => bail!("{}: {NO_SHARED}", path.display()),
        _ => inv.inputs.push(Input::Linker(arg.clone())),
    }
    Ok(())
}

/// The programs and paths a build uses.
struct Tools {
    clang: OsString,
    wasm_ld: OsString,
    sysroot: PathBuf,
    resource: PathBuf,
    /// Loaded into every compile (`None` only in unit tests).
    pass_plugin: Option<PathBuf>,
}

fn tool(default: &str, var: &str) -> OsString {
    std::env::var_os(var).unwrap_or_else(|| default.into())
}

/// clang's resource directory (for the headers musl does not have, such as
/// `stdatomic.h` and `wasm_simd128.h`).
fn resource_dir() -> Result<PathBuf> {
    let clang = tool(CLANG, "LIND_CLANG");
    let out = Command::new(&clang)
        .arg("-print-resource-dir")
        .output()
        .with_context(|| {
            format!(
                "cannot run {} (run ./setup.sh to install it)",
                clang.to_string_lossy()
            )
        })?;
    if !out.status.success() {
        bail!("{} -print-resource-dir failed", clang.to_string_lossy());
    }
    Ok(PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
}

/// The clang command that compiles `src` to the wasm object `obj`.
/// The clang command for `-E`: every input (a source, or `-` for stdin) preprocessed
/// as `lind cc` would compile it, to `-o FILE` or stdout.
fn preprocess_command(inv: &Invocation, tools: &Tools) -> Vec<OsString> {
    let mut cmd = compile_command(inv, tools, Path::new(""), None, Path::new(""));
    cmd.truncate(cmd.len() - 4); // drop "-c <src> -o <obj>"
    cmd.retain(|a| !a.to_string_lossy().starts_with("-fpass-plugin="));
    cmd.push("-E".into());
    for input in &inv.inputs {
        match input {
            Input::Source { path, lang } => {
                if let Some(l) = lang {
                    cmd.push("-x".into());
                    cmd.push(l.into());
                }
                cmd.push(path.into());
            }
            Input::Linker(a) => cmd.push(a.clone()),
        }
    }
    if let Some(o) = &inv.output {
        cmd.push("-o".into());
        cmd.push(o.into());
    }
    cmd
}

fn compile_command(
    inv: &Invocation,
    tools: &Tools,
    src: &Path,
    lang: Option<&OsStr>,
    obj: &Path,
) -> Vec<OsString> {
    let mut cmd: Vec<OsString> = vec![tools.clang.clone()];
    cmd.extend(TARGET_FLAGS.iter().map(OsString::from));
    if let Some(plugin) = &tools.pass_plugin {
        cmd.push(join("-fpass-plugin=", plugin.as_os_str()));
    }
    cmd.push(join("--sysroot=", tools.sysroot.as_os_str()));
    cmd.push("-nostdinc".into());
    // musl's headers first (it has its own stddef.h, float.h, ...), then
    // clang's for what musl lacks.
    cmd.push("-isystem".into());
    cmd.push(tools.sysroot.join("include").into());
    cmd.push("-isystem".into());
    cmd.push(tools.resource.join("include").into());
    cmd.push("-D__lind__=1".into());
    cmd.extend(inv.compile_flags.iter().cloned());
    if let Some(l) = lang {
        cmd.push("-x".into());
        cmd.push(l.into());
    }
    cmd.push("-c".into());
    cmd.push(src.into());
    cmd.push("-o".into());
    cmd.push(obj.into());
    cmd
}

/// The wasm-ld command that links `objects` (and the linker inputs, in
/// order) into the module `out`.
fn link_command(
    inv: &Invocation,
    tools: &Tools,
    objects: &[OsString],
    out: &Path,
) -> Vec<OsString> {
    let lib = tools.sysroot.join("lib");
    let mut cmd: Vec<OsString> = vec![tools.wasm_ld.clone()];
    cmd.push("-o".into());
    cmd.push(out.into());
    if !inv.no_startfiles {
        cmd.push(lib.join("crt1.o").into());
    }
    cmd.extend(objects.iter().cloned());
    cmd.extend(inv.link_flags.iter().cloned());
    cmd.push(join("-L", lib.as_os_str()));
    if !inv.no_defaultlibs {
        cmd.push("-lc".into());
        cmd.push(lib.join(BUILTINS).into());
    }
    cmd.extend(
        [
            "--entry=_start".to_string(),
            "-z".into(),
            format!("stack-size={STACK_SIZE}"),
            // The stack below the data: an overflow runs off address 0 and
            // traps instead of silently overwriting globals.
            "--stack-first".into(),
            "--export=__heap_base".into(),
            "--export=__data_end".into(),
            "--export=__stack_pointer".into(),
            // A forked child's memory is the parent's before its instance
            // starts; the runtime then sets the main thread's TLS base,
            // which the skipped memory initialisation would have set.
            "--export=__tls_base".into(),
            // libc's flag for the signal check points (see PASS_PLUGIN).
            "--export-if-defined=__lind_signal_flag".into(),
            "--export-table".into(),
            // The runtime may add entries (signal trampolines, ...).
            "--growable-table".into(),
            // Function pointers 0..15 stay invalid: SIG_IGN is 1, SIG_ERR -1.
            "--table-base=16".into(),
            // The runtime grows the memory up to the full 4 GiB of wasm32.
            "--max-memory=4294967296".into(),
            // Always a shared memory, imported: each thread of a cage is an
            // instance of the module over the same memory, which the
            // runtime makes (copy-on-write, cow.rs). wasm-ld 19 places
            // `__thread` data wrongly in an unshared memory built with
            // atomics, and objects built without -pthread must link into
            // threaded programs, so there is one mode for all.
            "--shared-memory".into(),
            "--import-memory=lind,memory".into(),
        ]
        .map(OsString::from),
    );
    if !inv.debug {
        // Keeps the "name" section (function names in backtraces).
        cmd.push("--strip-debug".into());
    }
    cmd
}

fn build(inv: &Invocation, tools: &Tools) -> Result<i32> {
    if inv.preprocess_only {
        return run(&preprocess_command(inv, tools), inv.verbose);
    }
    let tmp = if inv.compile_only {
        None
    } else {
        Some(TempDir::new()?)
    };
    let mut link_inputs: Vec<OsString> = Vec::new();
    for (i, input) in inv.inputs.iter().enumerate() {
        match input {
            Input::Linker(a) => link_inputs.push(a.clone()),
            Input::Source { path, lang } => {
                let obj = match (&tmp, &inv.output) {
                    (None, Some(o)) => o.clone(),
                    (None, None) => object_name(path),
                    (Some(t), _) => t.path.join(format!("{i}-{}", object_name(path).display())),
                };
                let cmd = compile_command(inv, tools, path, lang.as_deref(), &obj);
                let code = run(&cmd, inv.verbose)?;
                if code != 0 {
                    return Ok(code);
                }
                link_inputs.push(obj.into());
            }
        }
    }
    if inv.compile_only {
        return Ok(0);
    }
    let out = inv.output.clone().unwrap_or_else(|| PathBuf::from("a.out"));
    if inv.relocatable {
        let mut cmd = vec![tools.wasm_ld.clone(), "-r".into(), "-o".into(), out.into()];
        cmd.extend(link_inputs);
        cmd.extend(inv.link_flags.iter().cloned());
        return run(&cmd, inv.verbose);
    }
    let code = run(&link_command(inv, tools, &link_inputs, &out), inv.verbose)?;
    if code != 0 {
        return Ok(code);
    }
    // Post-link passes go here, in this order: `wasm-opt` (Asyncify, -O),
    // a memory of its own for a module without threads (own_memory.rs),
    // the setjmp functions' exports (setjmp_functions.rs, after every pass
    // that can change function indices), then the ABI mark below, which
    // must stay last.
    let code = post_link(inv, &out)?;
    if code != 0 {
        return Ok(code);
    }
    let module = std::fs::read(&out).with_context(|| format!("reading {}", out.display()))?;
    // LIND_SHARED_MEMORY=1 keeps the shared import (to measure the difference).
    let keep_shared = std::env::var_os("LIND_SHARED_MEMORY").is_some_and(|v| v == "1");
    let mut module = match keep_shared {
        true => module,
        false => crate::own_memory::define_memory(&module)?.unwrap_or(module),
    };
    if inv.debug {
        // After Binaryen: its line table as wasmtime's debugger support
        // can read it (see dwarf.rs).
        crate::dwarf::compact_line_table(&mut module);
    }
    let module = crate::setjmp_functions::export(&module)?.unwrap_or(module);
    let module = append_abi_section(module);
    std::fs::write(&out, module).with_context(|| format!("writing {}", out.display()))?;
    Ok(0)
}

/// The post-link `wasm-opt` run: Asyncify over the functions that can be on
/// the stack during a fork (see `asyncify.rs`), and Binaryen's optimisations
/// at the `-O` level asked for, as clang itself runs `wasm-opt` after
/// linking for wasm targets (the WASI peer in benches/ gets it that way).
fn post_link(inv: &Invocation, out: &Path) -> Result<i32> {
    // For measuring what instrumentation costs (benches/): LIND_ASYNCIFY=0
    // builds a module that cannot fork.
    let plan = if std::env::var_os("LIND_ASYNCIFY").is_some_and(|v| v == "0") {
        crate::asyncify::Plan::Skip
    } else {
        let module = std::fs::read(out).with_context(|| format!("reading {}", out.display()))?;
        crate::asyncify::plan(&module)?
    };
    // `LIND_LOG=lind=debug lind cc ...` shows what gets instrumented.
    match &plan {
        crate::asyncify::Plan::Only(names) => {
            tracing::debug!(functions = names.len(), "asyncify: instrumenting {names:?}")
        }
        other => tracing::debug!("asyncify: {other:?}"),
    }
    let instrumented = !matches!(plan, crate::asyncify::Plan::Skip);
    let level = post_link_level(inv, instrumented);
    if !instrumented && level.is_none() {
        return Ok(0);
    }
    let mut cmd: Vec<OsString> = vec![tool(WASM_OPT, "LIND_WASM_OPT")];
    cmd.push(out.into());
    let _list_file;
    if instrumented {
        cmd.push("--asyncify".into());
        cmd.push(
            format!(
                "--pass-arg=asyncify-imports@{}.{},{}",
                lind_abi::IMPORT_MODULE,
                lind_abi::IMPORT_NAME,
                crate::asyncify::INVOKE_IMPORTS
            )
            .into(),
        );
        if let crate::asyncify::Plan::Only(names) = plan {
            let dir = TempDir::new()?;
            let path = dir.path.join("asyncify-onlylist.txt");
            std::fs::write(&path, names.join(",")).context("writing the Asyncify list")?;
            cmd.push(join("--pass-arg=asyncify-onlylist@@", path.as_os_str()));
            _list_file = dir;
        }
    }
    if let Some(level) = level {
        cmd.push(level.into());
    }
    // -g keeps the name section (backtraces) and, with `lind cc -g`, DWARF.
    cmd.extend(["-g", "-o"].map(OsString::from));
    cmd.push(out.into());
    run(&cmd, inv.verbose)
}

/// The Binaryen level for a clang `-O` flag (clang maps -O4 and -Ofast to
/// -O3 too); `None` for `-O0`.
fn binaryen_level(flag: &str) -> Option<&'static str> {
    Some(match flag {
        "-O0" => return None,
        "-O" | "-O1" | "-Og" => "-O1",
        "-O3" | "-O4" | "-Ofast" => "-O3",
        "-Os" => "-Os",
        "-Oz" => "-Oz",
        _ => "-O2",
    })
}

/// Which `wasm-opt` level runs after linking. A module Asyncify leaves
/// alone gets the `-O` level asked for (none with `-g`: Binaryen keeps the
/// line table but not variable locations, and it is left as clang built
/// it). After Asyncify, -O1, even without `-O` (its output is verbose):
/// compute.c's instrumented build runs 3% faster than after -O2. Not for
/// `-g` without `-O` (for gdb).
fn post_link_level(inv: &Invocation, instrumented: bool) -> Option<&'static str> {
    match (inv.opt_level, instrumented, inv.debug) {
        (Some(level), false, false) => Some(level),
        (Some(_), true, _) | (None, true, false) => Some("-O1"),
        _ => None,
    }
}

/// `foo/bar.c` -> `bar.o` (clang's default for `-c`).
fn object_name(src: &Path) -> PathBuf {
    let stem = src.file_stem().unwrap_or(src.as_os_str());
    let mut name = OsString::from(stem);
    name.push(".o");
    PathBuf::from(name)
}

/// Append the `lind.abi` custom section (the ABI version as a little-endian
/// u32) to a linked module. Appending a section at the end is a valid edit.
fn append_abi_section(mut module: Vec<u8>) -> Vec<u8> {
    let mut body = Vec::new();
    write_name(&mut body, lind_abi::ABI_SECTION.as_bytes());
    body.extend_from_slice(&lind_abi::ABI_VERSION.to_le_bytes());
    write_section(&mut module, 0, &body); // a custom section
    module
}

fn run(cmd: &[OsString], verbose: bool) -> Result<i32> {
    let mut c = Command::new(&cmd[0]);
    c.args(&cmd[1..]);
    if verbose {
        eprintln!("{}", shell_words(cmd));
    }
    run_status(&mut c)
}

fn run_status(c: &mut Command) -> Result<i32> {
    let prog = c.get_program().to_string_lossy().into_owned();
    let status = c
        .status()
        .with_context(|| format!("cannot run {prog} (run ./setup.sh to install it)"))?;
    Ok(status.code().unwrap_or(1))
}

/// A command as a copy-pasteable shell line.
fn shell_words(cmd: &[OsString]) -> String {
    cmd.iter()
        .map(|a| {
            let s = a.to_string_lossy();
            if !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_=./,:+@%".contains(c))
            {
                s.into_owned()
            } else {
                format!("'{}'", s.replace('\'', r"'\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A temporary directory for the objects of a compile-and-link run.
struct TempDir {
    path: PathBuf,
}

impl TempDir {
    fn new() -> Result<TempDir> {
        use std::sync::atomic::{AtomicU32, Ordering};
        static N: AtomicU32 = AtomicU32::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let path = std::env::temp_dir().join(format!(
            "lind-cc-{}-{}-{}",
            std::process::id(),
            nanos,
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir(&path).with_context(|| format!("creating {}", path.display()))?;
        Ok(TempDir { path })
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<OsString> {
        s.split_whitespace().map(OsString::from).collect()
    }

    fn inv(s: &str) -> Invocation {
        match parse(&args(s)).unwrap() {
            Parsed::Run(i) => i,
            other => panic!("{other:?}"),
        }
    }

    fn err(s: &str) -> String {
        parse(&args(s)).unwrap_err().to_string()
    }

    fn tools() -> Tools {
        Tools {
            clang: "clang-19".into(),
            wasm_ld: "wasm-ld-19".into(),
            sysroot: "/sr".into(),
            resource: "/res".into(),
            pass_plugin: Some("/sr/lib/lind-signal-poll.so".into()),
        }
    }

    fn strs(v: &[OsString]) -> Vec<String> {
        v.iter().map(|s| s.to_string_lossy().into_owned()).collect()
    }

    fn src(p: &str) -> Input {
        Input::Source {
            path: p.into(),
            lang: None,
        }
    }

    #[test]
    fn compile_and_link_in_one_step() {
        let i = inv("hello.c util.c -o hello -O2");
        assert!(!i.compile_only);
        assert_eq!(i.output, Some("hello".into()));
        assert_eq!(i.inputs, vec![src("hello.c"), src("util.c")]);
        assert_eq!(strs(&i.compile_flags), ["-O2"]);
    }

    #[test]
    fn compile_only() {
        let i = inv("-c -Wall -std=c99 x.c -o x.o");
        assert!(i.compile_only);
        assert_eq!(i.output, Some("x.o".into()));
        assert_eq!(strs(&i.compile_flags), ["-Wall", "-std=c99"]);
        assert_eq!(
            err("-c a.c b.c -o x.o"),
            "cannot specify -o when generating multiple output files"
        );
        assert!(inv("-c a.c b.c").compile_only);
    }

    #[test]
    fn preprocessor_flags_joined_and_separate() {
        let i = inv("-I inc -Iinc2 -D X=1 -DY -U Z -UW -include pre.h -isystem sys a.c");
        assert_eq!(
            strs(&i.compile_flags),
            [
                "-I", "inc", "-Iinc2", "-D", "X=1", "-DY", "-U", "Z", "-UW", "-include", "pre.h",
                "-isystem", "sys"
            ]
        );
    }

    #[test]
    fn linker_inputs_keep_their_order() {
        let i = inv("a.c -L libs -Lother b.o -l m libfoo.a -lz -Wl,--gc-sections,-z,foo -Xlinker --no-entry");
        assert_eq!(
            i.inputs,
            vec![
                src("a.c"),
                Input::Linker("b.o".into()),
                Input::Linker("-lm".into()),
                Input::Linker("libfoo.a".into()),
                Input::Linker("-lz".into()),
            ]
        );
        assert_eq!(
            strs(&i.link_flags),
            [
                "-Llibs",
                "-Lother",
                "--gc-sections",
                "-z",
                "foo",
                "--no-entry"
            ]
        );
    }

    #[test]
    fn optimization_debug_and_warning_flags_pass_through() {
        for o in [
            "-O0",
            "-O1",
            "-O2",
            "-O3",
            "-Os",
            "-Oz",
            "-g",
            "-g3",
            "-Wextra",
            "-Werror",
            "-fno-builtin",
            "-std=gnu11",
        ] {
            let i = inv(&format!("{o} -c a.c"));
            assert_eq!(strs(&i.compile_flags), [o]);
        }
        assert!(inv("-g a.c").debug);
        assert!(!inv("-g0 a.c").debug);
        assert!(!inv("-O2 a.c").debug);
        assert_eq!(inv("-O2 a.c").opt_level, Some("-O2"));
        assert_eq!(inv("-O2 -O0 a.c").opt_level, None);
        assert_eq!(inv("-Ofast a.c").opt_level, Some("-O3"));
        assert_eq!(inv("-Os a.c").opt_level, Some("-Os"));
        assert_eq!(inv("a.c").opt_level, None);
        let level = |args: &str, instrumented| post_link_level(&inv(args), instrumented);
        assert_eq!(level("-O2 a.c", false), Some("-O2"));
        assert_eq!(level("-O3 a.c", true), Some("-O1"));
        assert_eq!(level("a.c", true), Some("-O1"));
        assert_eq!(level("a.c", false), None);
        assert_eq!(level("-O2 -g a.c", true), Some("-O1"));
        assert_eq!(level("-O2 -g a.c", false), None);
        assert_eq!(level("-g a.c", true), None);
        assert_eq!(level("-O0 -g a.c", true), None);
    }

    #[test]
    fn dependency_flags() {
        let i = inv("-MD -MF dep.d -MT obj.o -MP -c a.c");
        assert_eq!(
            strs(&i.compile_flags),
            ["-MD", "-MF", "dep.d", "-MT", "obj.o", "-MP"]
        );
        assert!(err("-MM a.c").contains("-MMD"));
        // ELF-only linker options from libtool and distribution builds are dropped.
        let i = inv("a.o -Wl,-rpath -Wl,//lib -Wl,--as-needed,-z,relro,-z,stack-size=65536 -Xlinker -rpath=/x -Wl,--version-script,v.map -Wl,-E -Wl,--start-group a.a -Wl,--end-group -o a");
        assert_eq!(strs(&i.link_flags), ["-z", "stack-size=65536"]);
    }

    #[test]
    fn rejected_modes_say_why() {
        assert!(err("-S a.c").contains("-S is not supported"));
        assert!(err("-shared a.c -o a.so").contains("dynamic loader"));
        assert!(err("a.cpp").contains("C++"));
        assert!(err("-x c++ a").contains("only C"));
        assert!(err("--bogus a.c").contains("unsupported option '--bogus'"));
        assert_eq!(err("-O2"), "no input files");
        assert!(err("-o").contains("argument to '-o' is missing"));
    }

    #[test]
    fn pthread_and_static_are_accepted_and_dropped() {
        let i = inv("-pthread -static a.c");
        assert!(i.compile_flags.is_empty());
        assert!(i.link_flags.is_empty());
    }

    #[test]
    fn verbose_and_language() {
        let i = inv("-v -x c prog.txt -x none b.o");
        assert!(i.verbose);
        assert_eq!(
            i.inputs,
            vec![
                Input::Source {
                    path: "prog.txt".into(),
                    lang: Some("c".into())
                },
                Input::Linker("b.o".into())
            ]
        );
    }

    #[test]
    fn version_queries() {
        assert_eq!(parse(&args("--version")).unwrap(), Parsed::Version);
        assert_eq!(parse(&args("-dumpmachine")).unwrap(), Parsed::DumpMachine);
        assert_eq!(parse(&args("--help")).unwrap(), Parsed::Help);
    }

    #[test]
    fn nostdlib_flags() {
        let i = inv("-nostdlib a.c");
        assert!(i.no_startfiles && i.no_defaultlibs);
        let i = inv("-nostartfiles a.c");
        assert!(i.no_startfiles && !i.no_defaultlibs);
    }

    #[test]
    fn compile_command_uses_sysroot_and_target() {
        let i = inv("-O2 -Iinc -c a.c");
        let cmd = strs(&compile_command(
            &i,
            &tools(),
            Path::new("a.c"),
            None,
            Path::new("a.o"),
        ));
        assert_eq!(cmd[0], "clang-19");
        assert!(cmd.contains(&"--target=wasm32-unknown-unknown".to_string()));
        assert!(cmd.contains(&"-mbulk-memory".to_string()));
        assert!(cmd.contains(&"-matomics".to_string()));
        assert!(cmd.contains(&"--sysroot=/sr".to_string()));
        assert!(cmd.contains(&"-fpass-plugin=/sr/lib/lind-signal-poll.so".to_string()));
        assert!(cmd.contains(&"-nostdinc".to_string()));
        let sys = cmd.iter().position(|a| a == "/sr/include").unwrap();
        let res = cmd.iter().position(|a| a == "/res/include").unwrap();
        assert!(sys < res, "musl's headers must come before clang's");
        assert_eq!(&cmd[cmd.len() - 5..], ["-Iinc", "-c", "a.c", "-o", "a.o"]);
    }

    #[test]
    fn preprocess_only() {
        // As scripts do it (busybox's gcc-version.sh: `$CC -E -xc -`).
        let cmd = strs(&preprocess_command(&inv("-E -DX=1 -xc -"), &tools()));
        assert!(cmd.contains(&"--target=wasm32-unknown-unknown".to_string()));
        assert!(cmd.contains(&"-D__lind__=1".to_string()));
        assert_eq!(&cmd[cmd.len() - 5..], ["-DX=1", "-E", "-x", "c", "-"]);
        let cmd = strs(&preprocess_command(&inv("-E a.c -o a.i"), &tools()));
        assert_eq!(&cmd[cmd.len() - 4..], ["-E", "a.c", "-o", "a.i"]);
    }

    #[test]
    fn link_command_layout() {
        let i = inv("a.c -Lmylibs -lfoo");
        let objs: Vec<OsString> = vec!["/tmp/a.o".into(), "-lfoo".into()];
        let cmd = strs(&link_command(&i, &tools(), &objs, Path::new("prog")));
        assert_eq!(
            &cmd[..5],
            ["wasm-ld-19", "-o", "prog", "/sr/lib/crt1.o", "/tmp/a.o"]
        );
        let user_l = cmd.iter().position(|a| a == "-Lmylibs").unwrap();
        let sys_l = cmd.iter().position(|a| a == "-L/sr/lib").unwrap();
        assert!(user_l < sys_l);
        for f in [
            "-lc",
            "/sr/lib/libclang_rt.builtins-wasm32.a",
            "--entry=_start",
            "stack-size=1048576",
            "--export=__heap_base",
            "--export=__data_end",
            "--export=__stack_pointer",
            "--export=__tls_base",
            "--export-table",
            "--growable-table",
            "--stack-first",
            "--table-base=16",
            "--max-memory=4294967296",
            "--shared-memory",
            "--import-memory=lind,memory",
            "--strip-debug",
        ] {
            assert!(cmd.contains(&f.to_string()), "missing {f}");
        }
        let i = inv("-g -nostdlib a.c");
        let cmd = strs(&link_command(&i, &tools(), &objs, Path::new("prog")));
        assert!(!cmd.contains(&"--strip-debug".to_string()));
        assert!(!cmd.contains(&"/sr/lib/crt1.o".to_string()));
        assert!(!cmd.contains(&"-lc".to_string()));
    }

    #[test]
    fn abi_section_encoding() {
        let m = append_abi_section(b"\0asm\x01\0\0\0".to_vec());
        let mut want = b"\x00\x0d\x08lind.abi".to_vec();
        want.extend_from_slice(&lind_abi::ABI_VERSION.to_le_bytes());
        assert_eq!(&m[8..], want.as_slice());
    }

    #[test]
    fn object_names() {
        assert_eq!(object_name(Path::new("src/foo.c")), PathBuf::from("foo.o"));
        assert_eq!(object_name(Path::new("x")), PathBuf::from("x.o"));
    }

    #[test]
    fn shell_quoting() {
        let v: Vec<OsString> = vec!["clang-19".into(), "-DX=a b".into(), "it's".into()];
        assert_eq!(shell_words(&v), r"clang-19 '-DX=a b' 'it'\''s'");
    }
}
