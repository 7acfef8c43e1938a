//! A module that cannot start threads gets a memory of its own.
//!
//! wasm-ld links every module with an imported shared memory (see
//! `cc::link_command`). Compiled code reaches an imported memory's base
//! through one more load than a memory the module defines itself, and that
//! load comes back after every call: Lua ran 5% slower for it. A module
//! that does not export `__lind_thread_start` (libc's thread entry, linked
//! only with `pthread_create` and friends) never shares its memory with
//! another instance, so the import is turned into a plain memory the module
//! defines and exports. Its code does not change: atomic instructions are
//! valid on an unshared memory too.
//!
//! Its start function (wasm-ld's `__wasm_init_memory`: data segments, TLS)
//! is exported as `__lind_init_memory` instead, which the runtime calls
//! only for a program that starts afresh: a forked child's memory is its
//! parent's, and remapping pages the start function had already touched
//! cost each fork a TLB shootdown (fork+exit+wait 249 -> 525 us).

use crate::wasm_bytes::{read_uleb, sections, write_name, write_section, write_uleb};
use anyhow::{Context, Result};
use wasmparser::{Parser, Payload, TypeRef};

/// libc's exported entry point of a new thread (src/thread/wasm32/clone.c).
const THREAD_ENTRY: &str = "__lind_thread_start";
/// The export the start function becomes (the runtime knows this name).
const INIT_MEMORY: &str = "__lind_init_memory";

/// The module with its memory import made a definition, or `None` when it
/// may start threads (or has a shape this does not expect).
pub fn define_memory(module: &[u8]) -> Result<Option<Vec<u8>>> {
    let mut funcs: Vec<(String, String, u32)> = Vec::new();
    let mut memory = None;
    let mut start = None;
    for payload in Parser::new(0).parse_all(module) {
        match payload.context("malformed module")? {
            Payload::ImportSection(r) => {
                for imp in r.into_imports() {
                    let imp = imp?;
                    match imp.ty {
                        TypeRef::Func(t) => {
                            funcs.push((imp.module.to_string(), imp.name.to_string(), t))
                        }
                        TypeRef::Memory(m) if memory.is_none() && !m.memory64 => memory = Some(m),
                        _ => return Ok(None),
                    }
                }
            }
            Payload::ExportSection(r) => {
                for e in r {
                    let e = e?;
                    if e.name == THREAD_ENTRY || e.name == "memory" {
                        return Ok(None);
                    }
                }
            }
            Payload::MemorySection(_) => return Ok(None),
            Payload::StartSection { func, .. } => start = Some(func),
            _ => {}
        }
    }
    let Some(memory) = memory else {
        return Ok(None);
    };

    let mut imports = Vec::new();
    write_uleb(&mut imports, funcs.len() as u64);
    for (module, name, ty) in &funcs {
        write_name(&mut imports, module.as_bytes());
        write_name(&mut imports, name.as_bytes());
        imports.push(0x00);
        write_uleb(&mut imports, u64::from(*ty));
    }
    let mut memories = vec![1];
    match memory.maximum {
        Some(max) => {
            memories.push(0x01);
            write_uleb(&mut memories, memory.initial);
            write_uleb(&mut memories, max);
        }
        None => {
            memories.push(0x00);
            write_uleb(&mut memories, memory.initial);
        }
    }

    let mut out = module[..8].to_vec();
    let mut memory_written = false;
    for (id, body) in sections(module)? {
        // The memory section goes before the first section that must follow it.
        if !memory_written && id != 0 && !matches!(id, 1..=4) {
            write_section(&mut out, 5, &memories);
            memory_written = true;
        }
        match id {
            2 => write_section(&mut out, 2, &imports),
            7 => {
                let mut at = 0;
                let count = read_uleb(body, &mut at).context("malformed export section")?;
                let rest = &body[at..];
                let mut exports = Vec::new();
                write_uleb(&mut exports, count + 1 + u64::from(start.is_some()));
                exports.extend_from_slice(rest);
                write_name(&mut exports, b"memory");
                exports.push(0x02);
                write_uleb(&mut exports, 0);
                if let Some(func) = start {
                    write_name(&mut exports, INIT_MEMORY.as_bytes());
                    exports.push(0x00);
                    write_uleb(&mut exports, u64::from(func));
                }
                write_section(&mut out, 7, &exports);
            }
            8 => {}
            _ => write_section(&mut out, id, body),
        }
    }
    Ok(memory_written.then_some(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn module(extra: &str) -> Vec<u8> {
        wat::parse_str(format!(
            r#"(module
              (import "lind" "syscall" (func (param i64) (result i64)))
              (import "lind" "memory" (memory 17 65536 shared))
              (func (export "_start") (drop (i32.atomic.load (i32.const 0))))
              (func $init (i32.atomic.store (i32.const 0) (i32.const 1)))
              (start $init)
              {extra})"#
        ))
        .unwrap()
    }

    #[test]
    fn a_module_without_threads_defines_and_exports_its_memory() {
        let out = define_memory(&module("")).unwrap().expect("rewritten");
        let mut defined = None;
        let mut exported = false;
        let mut init_exported = false;
        let mut has_start = false;
        let mut imports = Vec::new();
        for payload in Parser::new(0).parse_all(&out) {
            match payload.unwrap() {
                Payload::ImportSection(r) => {
                    for i in r.into_imports() {
                        imports.push(i.unwrap().name.to_string());
                    }
                }
                Payload::MemorySection(r) => defined = r.into_iter().next().map(|m| m.unwrap()),
                Payload::ExportSection(r) => {
                    for e in r {
                        let e = e.unwrap();
                        exported |= e.name == "memory";
                        init_exported |= e.name == INIT_MEMORY && e.index == 2;
                    }
                }
                Payload::StartSection { .. } => has_start = true,
                _ => {}
            }
        }
        assert_eq!(imports, ["syscall"]);
        let m = defined.expect("a memory section");
        assert!(!m.shared);
        assert_eq!((m.initial, m.maximum), (17, Some(65536)));
        assert!(exported);
        assert!(init_exported && !has_start);
    }

    #[test]
    fn a_module_that_can_start_threads_keeps_the_shared_import() {
        let m = module(r#"(func (export "__lind_thread_start") (param i32))"#);
        assert!(define_memory(&m).unwrap().is_none());
    }
}
