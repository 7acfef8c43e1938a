//! C file:line for the frames of a trap report, read from the module's
//! DWARF only when a report is written.
//!
//! wasmtime can put file:line into every backtrace it captures
//! (`WasmBacktraceDetails::Enable`), but it then builds an addr2line
//! context from the module's DWARF at every trap, and every longjmp, thread
//! exit and exit is a trap here: a longjmp in a `-g` program cost 190 us
//! (6 us without). So backtraces carry function names and wasm offsets
//! only (except under `lind run --debug`), and the few reports that are
//! printed look the lines up here.

use parking_lot::Mutex;
use std::collections::HashMap;
use std::sync::Arc;

/// The bytes of each compiled module that has DWARF, by the address of
/// its compiled code. Set (or cleared) by every compile: a live module's
/// code address is never another live module's, so the entry of a module
/// that is still running is its own.
static MODULES: Mutex<Option<HashMap<usize, Arc<[u8]>>>> = Mutex::new(None);

/// Records `bytes` as `module`'s source if they carry a line table.
pub fn remember(module: &wasmtime::Module, bytes: &[u8]) {
    let key = module.text().as_ptr() as usize;
    let mut modules = MODULES.lock();
    let modules = modules.get_or_insert_with(HashMap::new);
    if custom_section(bytes, ".debug_line").is_some() {
        modules.insert(key, Arc::from(bytes));
    } else {
        modules.remove(&key);
    }
}

/// The source file and line of the instruction at `module_offset` (an
/// offset in the module's bytes) of `module`.
pub fn location(module: &wasmtime::Module, module_offset: usize) -> Option<(String, Option<u32>)> {
    let bytes = MODULES
        .lock()
        .as_ref()?
        .get(&(module.text().as_ptr() as usize))?
        .clone();
    let code_start = code_section_start(&bytes)?;
    let dwarf = gimli::Dwarf::load(|id| -> Result<_, gimli::Error> {
        let data = custom_section(&bytes, id.name()).unwrap_or(&[]);
        Ok(gimli::EndianSlice::new(data, gimli::LittleEndian))
    })
    .ok()?;
    let context = addr2line::Context::from_dwarf(dwarf).ok()?;
    // Wasm DWARF addresses count from the start of the code section.
    let address = (module_offset as u64).checked_sub(code_start)?;
    let loc = context.find_location(address).ok()??;
    Some((loc.file?.to_string(), loc.line))
}

/// `(id, payload offset, payload)` of each section, read by hand: a
/// compile must not walk the code section's bodies just to find a name.
fn sections(bytes: &[u8]) -> impl Iterator<Item = (u8, usize, &[u8])> {
    let mut at = 8;
    std::iter::from_fn(move || {
        let id = *bytes.get(at)?;
        at += 1;
        let len = read_uleb(bytes, &mut at)?;
        let start = at;
        let end = start.checked_add(len)?;
        let payload = bytes.get(start..end)?;
        at = end;
        Some((id, start, payload))
    })
}

fn read_uleb(bytes: &[u8], at: &mut usize) -> Option<usize> {
    let mut value = 0usize;
    for shift in (0..35).step_by(7) {
        let b = *bytes.get(*at)?;
        *at += 1;
        value |= usize::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

fn custom_section<'a>(bytes: &'a [u8], name: &str) -> Option<&'a [u8]> {
    sections(bytes).find_map(|(id, _, payload)| {
        if id != 0 {
            return None;
        }
        let mut at = 0;
        let len = read_uleb(payload, &mut at)?;
        let section_name = payload.get(at..at.checked_add(len)?)?;
        (section_name == name.as_bytes()).then(|| &payload[at + len..])
    })
}

fn code_section_start(bytes: &[u8]) -> Option<u64> {
    sections(bytes).find_map(|(id, start, _)| (id == 10).then_some(start as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_are_found_without_walking_the_code() {
        let mut m = wat::parse_str(r#"(module (func (export "f") (nop)))"#).unwrap();
        // A custom section after the code, as a linker puts DWARF.
        m.extend_from_slice(&[0, 13, 11]);
        m.extend_from_slice(b".debug_line");
        m.push(42);
        assert_eq!(custom_section(&m, ".debug_line"), Some(&[42u8][..]));
        assert_eq!(custom_section(&m, ".debug_info"), None);
        let code = code_section_start(&m).unwrap() as usize;
        // The code section's payload: one body of 3 bytes (no locals, nop, end).
        assert_eq!(&m[code..code + 5], &[1, 3, 0, 0x01, 0x0b]);
    }
}
