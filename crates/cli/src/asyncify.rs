//! Choosing what Asyncify instruments.
//!
//! fork unwinds and rewinds the wasm stack with Binaryen's Asyncify. Every
//! instrumented function grows and slows down, so `lind cc` instruments only
//! the functions that can be on the stack when an unwinding syscall runs:
//! the libc's `__lind_syscall_unwinding` and everything that can reach it,
//! through direct calls or through indirect calls whose type matches a
//! table entry that can reach it. A module that cannot reach it is left
//! alone.
//!
//! setjmp and longjmp are not roots: LLVM's setjmp lowering (see libc's
//! src/setjmp/wasm32/setjmp.c) needs no unwinding. Its `invoke_*` imports
//! call a table entry from the host, so a call to one counts as an indirect
//! call of the callee's signature, and the import is one Asyncify must let
//! unwind and rewind through (`INVOKE_IMPORTS`). Indirect calls are matched
//! by signature only, which makes
//! a few libc callback sites look like they reach everything of the same
//! type; [`CALLBACKS_DO_NOT_UNWIND`] names those whose callbacks are assumed
//! never to fork or call setjmp.

use anyhow::{Context, Result};
use std::collections::{HashMap, HashSet};
use wasmparser::{ElementItems, ElementKind, Name, Operator, Parser, Payload, TypeRef};

/// The libc function every unwinding syscall goes through.
pub const ROOT: &str = "__lind_syscall_unwinding";

/// libc functions whose indirect calls (sort and search comparators) are not
/// followed. A shell's builtins share the comparators' type `(i32, i32) ->
/// i32`, and qsort's adapter shares the type of every FILE callback, so
/// following them instrumented most of stdio in dash (1.47x its size).
pub const CALLBACKS_DO_NOT_UNWIND: &[&str] = &["__lind_qsort_compare"];

/// What to tell `wasm-opt --asyncify`.
#[derive(Debug, PartialEq, Eq)]
pub enum Plan {
    /// Nothing can unwind: no instrumentation.
    Skip,
    /// Instrument only these functions (Binaryen's `asyncify-onlylist`).
    Only(Vec<String>),
    /// Names were missing or unusable: instrument conservatively.
    Everything,
}

/// Binaryen's name pattern for the setjmp lowering's imports.
pub const INVOKE_IMPORTS: &str = "env.invoke_*";

struct Func {
    calls: Vec<u32>,
    /// Signatures of its indirect calls, `invoke_*` calls included.
    indirect_sigs: Vec<String>,
}

/// What identifies a signature across type indices.
fn sig_of(ty: &wasmparser::FuncType) -> String {
    format!("{:?}", (ty.params(), ty.results()))
}

pub fn plan(module: &[u8]) -> Result<Plan> {
    let mut imported_funcs = 0u32;
    let mut func_types: Vec<u32> = Vec::new();
    let mut bodies: Vec<Func> = Vec::new();
    let mut table_funcs: Vec<u32> = Vec::new();
    let mut names: HashMap<u32, String> = HashMap::new();
    let mut types: Vec<wasmparser::FuncType> = Vec::new();
    // Per imported function: the signature it calls if it is an invoke.
    let mut invoke_callee_sigs: Vec<Option<String>> = Vec::new();
    for payload in Parser::new(0).parse_all(module) {
        match payload.context("malformed module")? {
            Payload::TypeSection(r) => {
                for ty in r.into_iter_err_on_gc_types() {
                    types.push(ty?);
                }
            }
            Payload::ImportSection(r) => {
                for imp in r.into_imports() {
                    let imp = imp?;
                    if let TypeRef::Func(t) = imp.ty {
                        func_types.push(t);
                        imported_funcs += 1;
                        let is_invoke = format!("{}.{}", imp.module, imp.name)
                            .starts_with(INVOKE_IMPORTS.trim_end_matches('*'));
                        invoke_callee_sigs.push(
                            types
                                .get(t as usize)
                                .filter(|_| is_invoke)
                                .and_then(|ty| ty.params().split_first())
                                .map(|(_, args)| {
                                    let results = types[t as usize].results();
                                    sig_of(&wasmparser::FuncType::new(
                                        args.iter().copied(),
                                        results.iter().copied(),
                                    ))
                                }),
                        );
                    }
                }
            }
            Payload::FunctionSection(r) => {
                for t in r {
                    func_types.push(t?);
                }
            }
            Payload::ElementSection(r) => {
                for e in r {
                    let e = e?;
                    if !matches!(e.kind, ElementKind::Active { .. }) {
                        continue;
                    }
                    match e.items {
                        ElementItems::Functions(fs) => {
                            for f in fs {
                                table_funcs.push(f?);
                            }
                        }
                        ElementItems::Expressions(..) => return Ok(Plan::Everything),
                    }
                }
            }
            Payload::CodeSectionEntry(body) => {
                let mut f = Func {
                    calls: Vec::new(),
                    indirect_sigs: Vec::new(),
                };
                let mut ops = body.get_operators_reader()?;
                while !ops.eof() {
                    match ops.read()? {
                        Operator::Call { function_index }
                        | Operator::ReturnCall { function_index } => {
                            match invoke_callee_sigs.get(function_index as usize) {
                                Some(Some(callee)) => f.indirect_sigs.push(callee.clone()),
                                _ => f.calls.push(function_index),
                            }
                        }
                        Operator::CallIndirect { type_index, .. }
                        | Operator::ReturnCallIndirect { type_index, .. } => f.indirect_sigs.push(
                            types
                                .get(type_index as usize)
                                .map(sig_of)
                                .unwrap_or_default(),
                        ),
                        _ => {}
                    }
                }
                bodies.push(f);
            }
            Payload::CustomSection(s) => {
                if let wasmparser::KnownCustom::Name(reader) = s.as_known() {
                    for sub in reader {
                        if let Ok(Name::Function(map)) = sub {
                            for n in map {
                                let n = n?;
                                names.insert(n.index, n.name.to_string());
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    let Some(root) = names
        .iter()
        .find(|(_, n)| n.as_str() == ROOT)
        .map(|(&i, _)| i)
    else {
        return Ok(Plan::Skip);
    };
    // Signatures, not type indices, decide what an indirect call can reach.
    let sig = |t: u32| types.get(t as usize).map(sig_of).unwrap_or_default();
    let callbacks_do_not_unwind: HashSet<u32> = names
        .iter()
        .filter(|(_, n)| CALLBACKS_DO_NOT_UNWIND.contains(&n.as_str()))
        .map(|(&i, _)| i)
        .collect();
    let mut reaches: HashSet<u32> = HashSet::from([root]);
    loop {
        let reachable_sigs: HashSet<String> = table_funcs
            .iter()
            .filter(|f| reaches.contains(f))
            .map(|&f| sig(func_types.get(f as usize).copied().unwrap_or(u32::MAX)))
            .collect();
        let before = reaches.len();
        for (i, f) in bodies.iter().enumerate() {
            let index = imported_funcs + i as u32;
            if reaches.contains(&index) {
                continue;
            }
            let direct = f.calls.iter().any(|c| reaches.contains(c));
            let indirect = !callbacks_do_not_unwind.contains(&index)
                && f.indirect_sigs.iter().any(|s| reachable_sigs.contains(s));
            if direct || indirect {
                reaches.insert(index);
            }
        }
        if reaches.len() == before {
            break;
        }
    }
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for n in names.values() {
        *counts.entry(n.as_str()).or_default() += 1;
    }
    let mut list = Vec::new();
    for f in reaches {
        let Some(name) = names.get(&f) else {
            return Ok(Plan::Everything);
        };
        // Binaryen escapes unusual characters and renames duplicates; rather
        // than guess its spelling, instrument everything in those cases.
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '$')
        {
            return Ok(Plan::Everything);
        }
        if counts.get(name.as_str()).copied().unwrap_or(0) > 1 {
            list.push(format!("{name}*"));
        } else {
            list.push(name.clone());
        }
    }
    list.sort();
    Ok(Plan::Only(list))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A module shaped like `lind cc` output: the unwinding root, a
    /// function that forks, one that only calls setjmp's helpers, and
    /// callers reaching them directly, through a table, or through an
    /// `invoke_*` import of the setjmp lowering.
    fn module(extra: &str) -> Vec<u8> {
        wat::parse_str(format!(
            r#"(module
              (type $v_i (func (param i32)))
              (import "lind" "syscall" (func $syscall (param i64 i64 i64 i64 i64 i64 i64) (result i64)))
              (import "env" "invoke_vi" (func $invoke_vi (param i32 i32)))
              (import "env" "invoke_ii" (func $invoke_ii (param i32 i32) (result i32)))
              (table 4 funcref)
              (elem (i32.const 1) $forks $computes)
              (func $__lind_syscall_unwinding (result i64)
                (call $syscall (i64.const 57) (i64.const 0) (i64.const 0) (i64.const 0)
                               (i64.const 0) (i64.const 0) (i64.const 0)))
              (func $forks (type $v_i) (drop (call $__lind_syscall_unwinding)))
              (func $computes (param i32) (result i32) (local.get 0))
              (func $__wasm_setjmp (param i32 i32 i32))
              {extra})"#
        ))
        .unwrap()
    }

    fn only(extra: &str) -> Vec<String> {
        match plan(&module(extra)).unwrap() {
            Plan::Only(names) => names,
            other => panic!("expected a list, got {other:?}"),
        }
    }

    #[test]
    fn setjmp_is_not_a_root() {
        let names = only(
            r#"(func $uses_setjmp (call $__wasm_setjmp (i32.const 0) (i32.const 1) (i32.const 8)))"#,
        );
        assert!(!names.iter().any(|n| n == "uses_setjmp"), "{names:?}");
        assert!(names.iter().any(|n| n == "forks"), "{names:?}");
    }

    #[test]
    fn invoke_counts_as_an_indirect_call_of_the_callee_type() {
        // invoke_vi(index, arg) calls a (i32) -> () function: one can fork.
        let names = only(r#"(func $protected (call $invoke_vi (i32.const 1) (i32.const 0)))"#);
        assert!(names.iter().any(|n| n == "protected"), "{names:?}");
    }

    #[test]
    fn invoke_of_a_type_that_cannot_fork_is_left_alone() {
        // Only an (i32) -> i32 entry would match an invoke_ii; none forks.
        let names =
            only(r#"(func $protected (drop (call $invoke_ii (i32.const 2) (i32.const 0))))"#);
        assert!(!names.iter().any(|n| n == "protected"), "{names:?}");
    }
}
