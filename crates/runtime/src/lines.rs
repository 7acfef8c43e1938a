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

use crate::wasm_sections::{custom_section, sections, CODE};
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

fn code_section_start(bytes: &[u8]) -> Option<u64> {
    sections(bytes)
        .map_while(Result::ok)
        .find_map(|s| (s.id == CODE).then_some(s.offset as u64))
}
