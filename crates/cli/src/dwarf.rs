//! Making Binaryen's DWARF line table readable by wasmtime's debugger support.
//!
//! `wasm-opt -g` (Binaryen 108) keeps the line table through Asyncify but
//! re-emits every row with its own `DW_LNE_set_address`. Each such opcode
//! opens a new sequence as far as gimli's line-program converter is
//! concerned, and wasmtime (which translates the wasm line table into one
//! for the machine code when `lind run --debug` asks it to) then pins every
//! row of a function to the function's first instruction: gdb could break
//! on a function but never on a line, nor step. Plain `addr2line` readers
//! (trap backtraces) are not affected.
//!
//! [`compact_line_table`] rewrites, in place and at the same length, every
//! `DW_LNE_set_address` that moves the address forward inside a sequence
//! into a `DW_LNS_advance_pc` by the same amount (its operand padded to fill
//! the same bytes), so no offset elsewhere in the DWARF changes. A
//! `set_address` that opens a sequence or moves backwards is kept.

use crate::wasm_bytes::read_uleb;

const DW_LNS_ADVANCE_PC: u8 = 0x02;
const DW_LNS_CONST_ADD_PC: u8 = 0x08;
const DW_LNS_FIXED_ADVANCE_PC: u8 = 0x09;
const DW_LNE_END_SEQUENCE: u8 = 0x01;
const DW_LNE_SET_ADDRESS: u8 = 0x02;

fn read_le(b: &[u8], at: usize, n: usize) -> Option<u64> {
    let bytes = b.get(at..at + n)?;
    Some(
        bytes
            .iter()
            .rev()
            .fold(0u64, |acc, &x| (acc << 8) | u64::from(x)),
    )
}

/// Rewrites the module's `.debug_line` custom section in place; returns
/// how many opcodes were rewritten. Modules without one are left alone;
/// a line program it does not understand is left as it is.
pub fn compact_line_table(module: &mut [u8]) -> usize {
    let Some(range) = lind_runtime::wasm_sections::custom_section_range(module, ".debug_line")
    else {
        return 0;
    };
    let section = &mut module[range];
    let mut rewritten = 0;
    let mut at = 0;
    while at < section.len() {
        match compact_unit(section, at) {
            Some((next, n)) => {
                rewritten += n;
                at = next;
            }
            None => break,
        }
    }
    rewritten
}

/// One line-program unit starting at `at`: returns where the next starts
/// and how many opcodes were rewritten.
fn compact_unit(s: &mut [u8], at: usize) -> Option<(usize, usize)> {
    let mut p = at;
    let (unit_length, offset_size) = match read_le(s, p, 4)? {
        0xffff_ffff => {
            p += 4;
            (read_le(s, p, 8)?, 8)
        }
        len => (len, 4),
    };
    p += offset_size;
    let unit_end = p.checked_add(usize::try_from(unit_length).ok()?)?;
    if unit_end > s.len() {
        return None;
    }
    let version = read_le(s, p, 2)?;
    p += 2;
    if !(2..=5).contains(&version) {
        return Some((unit_end, 0));
    }
    if version >= 5 {
        p += 2; // address_size, segment_selector_size
    }
    let header_length = read_le(s, p, offset_size)? as usize;
    p += offset_size;
    let program = p + header_length;
    let min_inst_length = u64::from(*s.get(p)?);
    p += 1;
    if version >= 4 {
        if *s.get(p)? != 1 {
            return Some((unit_end, 0)); // VLIW: not wasm
        }
        p += 1;
    }
    p += 1; // default_is_stmt
    p += 1; // line_base
    let line_range = u64::from(*s.get(p)?);
    p += 1;
    let opcode_base = *s.get(p)?;
    p += 1;
    let std_lengths: Vec<u8> = s
        .get(p..p + usize::from(opcode_base).saturating_sub(1))?
        .to_vec();
    if min_inst_length == 0 || line_range == 0 || program > unit_end {
        return Some((unit_end, 0));
    }

    let mut rewritten = 0;
    let mut p = program;
    // The address, while inside a sequence (after its first set_address).
    let mut address: Option<u64> = None;
    while p < unit_end {
        let op = s[p];
        let op_start = p;
        p += 1;
        if op >= opcode_base {
            let adjusted = u64::from(op - opcode_base);
            if let Some(a) = address.as_mut() {
                *a += (adjusted / line_range) * min_inst_length;
            }
        } else if op == 0 {
            let len = read_uleb(s, &mut p)? as usize;
            let body = p;
            p = body.checked_add(len)?;
            if len == 0 || p > unit_end {
                return Some((unit_end, rewritten));
            }
            match s[body] {
                DW_LNE_END_SEQUENCE => address = None,
                DW_LNE_SET_ADDRESS => {
                    let target = read_le(s, body + 1, len - 1)?;
                    let total = p - op_start;
                    match address {
                        Some(current)
                            if target >= current
                                && (target - current) % min_inst_length == 0
                                && fits_padded((target - current) / min_inst_length, total - 1) =>
                        {
                            let delta = (target - current) / min_inst_length;
                            s[op_start] = DW_LNS_ADVANCE_PC;
                            write_padded_uleb(&mut s[op_start + 1..p], delta);
                            rewritten += 1;
                        }
                        _ => {}
                    }
                    address = Some(target);
                }
                _ => {}
            }
        } else {
            match op {
                DW_LNS_ADVANCE_PC => {
                    let n = read_uleb(s, &mut p)?;
                    if let Some(a) = address.as_mut() {
                        *a += n * min_inst_length;
                    }
                }
                DW_LNS_CONST_ADD_PC => {
                    let adjusted = u64::from(255 - opcode_base);
                    if let Some(a) = address.as_mut() {
                        *a += (adjusted / line_range) * min_inst_length;
                    }
                }
                DW_LNS_FIXED_ADVANCE_PC => {
                    let n = read_le(s, p, 2)?;
                    p += 2;
                    if let Some(a) = address.as_mut() {
                        *a += n;
                    }
                }
                _ => {
                    // Any other standard opcode: skip its ULEB operands.
                    let count = *std_lengths.get(usize::from(op) - 1)?;
                    for _ in 0..count {
                        read_uleb(s, &mut p)?;
                    }
                }
            }
        }
    }
    Some((unit_end, rewritten))
}

/// Whether `v` fits a ULEB128 padded to `bytes` bytes.
fn fits_padded(v: u64, bytes: usize) -> bool {
    bytes >= 1 && (bytes * 7 >= 64 || v < (1u64 << (bytes * 7)))
}

fn write_padded_uleb(out: &mut [u8], mut v: u64) {
    let last = out.len() - 1;
    for (k, b) in out.iter_mut().enumerate() {
        *b = (v & 0x7f) as u8 | if k == last { 0 } else { 0x80 };
        v >>= 7;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A wasm module with only a `.debug_line` section holding `program`.
    fn module_with(program: &[u8]) -> Vec<u8> {
        let mut unit = Vec::new();
        unit.extend_from_slice(&4u16.to_le_bytes()); // version
        let header: Vec<u8> = {
            let mut h = vec![1, 1, 1, (-5i8) as u8, 14, 13];
            h.extend_from_slice(&[0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1]);
            h.push(0); // no include directories
            h.extend_from_slice(b"a.c\0\0\0\0");
            h.push(0); // end of file names
            h
        };
        unit.extend_from_slice(&(header.len() as u32).to_le_bytes());
        unit.extend_from_slice(&header);
        unit.extend_from_slice(program);
        let mut section = Vec::new();
        section.push(11u8);
        section.extend_from_slice(b".debug_line");
        section.extend_from_slice(&(unit.len() as u32).to_le_bytes());
        section.extend_from_slice(&unit);
        let mut m = b"\0asm\x01\0\0\0".to_vec();
        m.push(0);
        assert!(section.len() < 128);
        m.push(section.len() as u8);
        m.extend_from_slice(&section);
        m
    }

    fn set_address(a: u32) -> Vec<u8> {
        let mut v = vec![0, 5, DW_LNE_SET_ADDRESS];
        v.extend_from_slice(&a.to_le_bytes());
        v
    }

    #[test]
    fn forward_set_address_becomes_advance_pc() {
        let mut program = Vec::new();
        program.extend(set_address(0x100)); // opens the sequence: kept
        program.push(1); // copy
        program.extend(set_address(0x12d)); // +0x2d
        program.push(1);
        program.extend(set_address(0x110)); // backwards: kept
        program.push(1);
        program.extend([0, 1, DW_LNE_END_SEQUENCE]);
        program.extend(set_address(0x200)); // a new sequence: kept
        program.extend([0, 1, DW_LNE_END_SEQUENCE]);
        let mut m = module_with(&program);
        let before = m.clone();
        assert_eq!(compact_line_table(&mut m), 1);
        assert_eq!(m.len(), before.len());
        let pos = before
            .windows(7)
            .position(|w| w == set_address(0x12d).as_slice())
            .unwrap();
        assert_eq!(
            &m[pos..pos + 7],
            &[DW_LNS_ADVANCE_PC, 0x80 | 0x2d, 0x80, 0x80, 0x80, 0x80, 0]
        );
        let mut k = pos + 1;
        assert_eq!(read_uleb(&m, &mut k), Some(0x2d));
        // Everything else is untouched.
        assert_eq!(&m[..pos], &before[..pos]);
        assert_eq!(&m[pos + 7..], &before[pos + 7..]);
    }

    #[test]
    fn modules_without_debug_info_are_left_alone() {
        let mut m = b"\0asm\x01\0\0\0".to_vec();
        assert_eq!(compact_line_table(&mut m), 0);
    }
}
