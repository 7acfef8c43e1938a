//! Exports the functions that call setjmp, for the runtime.
//!
//! A signal handler that siglongjmps back into the function whose own code
//! it interrupted can land there only through one of that function's
//! `invoke_*` calls (LLVM's Emscripten-style setjmp lowering). So while a
//! thread runs such a function, the runtime does not send it into its
//! handlers where it stands; it raises the libc's `__lind_signal_flag`,
//! which the check points `lind cc`'s pass plugin put in these functions'
//! loops read, and they make the call (libc/llvm/signal_poll.cpp).
//!
//! The runtime knows the functions by these exports (wasmtime shows it no
//! custom sections, but an export gives the function's compiled code).
//! They are found after every pass that may move code between functions:
//! only a function the setjmp lowering rewrote calls an `env.invoke_*`
//! import, and Binaryen may have inlined one into its caller.

use crate::wasm_bytes::{read_uleb, sections, write_name, write_section, write_uleb};
use anyhow::{Context, Result};
use wasmparser::{Operator, Parser, Payload, TypeRef};

/// The module with an export for each function that calls an `invoke_*`
/// import, or `None` if there is none (or no export section).
pub fn export(module: &[u8]) -> Result<Option<Vec<u8>>> {
    let functions = calling_invokes(module)?;
    if functions.is_empty() {
        return Ok(None);
    }
    let mut out = module[..8].to_vec();
    let mut exported = false;
    for (id, body) in sections(module)? {
        if id != 7 {
            write_section(&mut out, id, body);
            continue;
        }
        let mut at = 0;
        let count = read_uleb(body, &mut at).context("malformed export section")?;
        let mut exports = Vec::new();
        write_uleb(&mut exports, count + functions.len() as u64);
        exports.extend_from_slice(&body[at..]);
        for (n, func) in functions.iter().enumerate() {
            let name = format!("{}{n}", lind_abi::SETJMP_FUNCTION_EXPORT);
            write_name(&mut exports, name.as_bytes());
            exports.push(0x00); // a function
            write_uleb(&mut exports, u64::from(*func));
        }
        write_section(&mut out, 7, &exports);
        exported = true;
    }
    Ok(exported.then_some(out))
}

/// The indices of the defined functions that call an `env.invoke_*` import.
fn calling_invokes(module: &[u8]) -> Result<Vec<u32>> {
    let mut invokes = Vec::new();
    let mut imported = 0u32;
    let mut next = 0u32;
    let mut found = Vec::new();
    for payload in Parser::new(0).parse_all(module) {
        match payload.context("malformed module")? {
            Payload::ImportSection(r) => {
                for imp in r.into_imports() {
                    let imp = imp?;
                    if let TypeRef::Func(_) = imp.ty {
                        if imp.module == "env" && imp.name.starts_with("invoke_") {
                            invokes.push(imported);
                        }
                        imported += 1;
                    }
                }
                if invokes.is_empty() {
                    return Ok(found);
                }
                next = imported;
            }
            Payload::CodeSectionEntry(body) => {
                let index = next;
                next += 1;
                let mut ops = body.get_operators_reader()?;
                while !ops.eof() {
                    if let Operator::Call { function_index } = ops.read()? {
                        if invokes.contains(&function_index) {
                            found.push(index);
                            break;
                        }
                    }
                }
            }
            _ => {}
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_functions_calling_an_invoke_are_exported() {
        let m = wat::parse_str(
            r#"(module
              (import "lind" "syscall" (func (param i64) (result i64)))
              (import "env" "invoke_v" (func $invoke_v (param i32)))
              (func $plain (export "_start"))
              (func $owner (call $invoke_v (i32.const 1)))
              (func $also (call $plain) (call $invoke_v (i32.const 2))))"#,
        )
        .unwrap();
        let out = export(&m).unwrap().expect("rewritten");
        let mut exports = Vec::new();
        for payload in Parser::new(0).parse_all(&out) {
            if let Payload::ExportSection(r) = payload.unwrap() {
                for e in r {
                    let e = e.unwrap();
                    exports.push((e.name.to_string(), e.index));
                }
            }
        }
        let p = lind_abi::SETJMP_FUNCTION_EXPORT;
        assert_eq!(
            exports,
            [
                ("_start".to_string(), 2),
                (format!("{p}0"), 3),
                (format!("{p}1"), 4)
            ]
        );
        wasmparser::Validator::new().validate_all(&out).unwrap();
    }

    #[test]
    fn a_module_without_invokes_is_left_alone() {
        let m = wat::parse_str(r#"(module (func (export "_start")))"#).unwrap();
        assert!(export(&m).unwrap().is_none());
    }
}
