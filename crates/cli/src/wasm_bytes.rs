//! The few pieces of the wasm binary format that `lind cc`'s post-link
//! rewrites read and write by hand: LEB128 numbers, names and sections.

use anyhow::{Context, Result};

/// Reads an unsigned LEB128 at `*i`, moving `*i` past it.
pub fn read_uleb(b: &[u8], i: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    let mut shift = 0;
    loop {
        let byte = *b.get(*i)?;
        *i += 1;
        if shift < 64 {
            v |= u64::from(byte & 0x7f) << shift;
        }
        shift += 7;
        if byte & 0x80 == 0 {
            return Some(v);
        }
    }
}

pub fn write_uleb(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// A length-prefixed name (import and export names, custom section names).
pub fn write_name(out: &mut Vec<u8>, name: &[u8]) {
    write_uleb(out, name.len() as u64);
    out.extend_from_slice(name);
}

pub fn write_section(out: &mut Vec<u8>, id: u8, body: &[u8]) {
    out.push(id);
    write_uleb(out, body.len() as u64);
    out.extend_from_slice(body);
}

/// The module's sections, as (id, body).
pub fn sections(module: &[u8]) -> Result<Vec<(u8, &[u8])>> {
    let mut out = Vec::new();
    let mut i = 8;
    while let Some(&id) = module.get(i) {
        i += 1;
        let len = read_uleb(module, &mut i).context("malformed section size")?;
        let end = i
            .checked_add(usize::try_from(len)?)
            .filter(|&end| end <= module.len())
            .context("truncated section")?;
        out.push((id, &module[i..end]));
        i = end;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uleb_round_trip() {
        let enc = |v| {
            let mut o = Vec::new();
            write_uleb(&mut o, v);
            o
        };
        assert_eq!(enc(0), [0]);
        assert_eq!(enc(127), [127]);
        assert_eq!(enc(128), [0x80, 1]);
        assert_eq!(enc(624485), [0xe5, 0x8e, 0x26]);
        for v in [0, 1, 127, 128, 624485, u64::from(u32::MAX), u64::MAX] {
            let (mut i, bytes) = (0, enc(v));
            assert_eq!(read_uleb(&bytes, &mut i), Some(v));
            assert_eq!(i, bytes.len());
        }
        assert_eq!(read_uleb(&[0x80], &mut 0), None);
    }
}
