//! The few pieces of the wasm binary format that `lind cc`'s post-link
//! rewrites write by hand (LEB128 numbers, names, sections); reading
//! them is `lind_runtime::wasm_sections`.

use anyhow::Result;

pub use lind_runtime::wasm_sections::read_uleb;

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
    lind_runtime::wasm_sections::sections(module)
        .map(|s| s.map(|s| (s.id, s.body)).map_err(anyhow::Error::msg))
        .collect()
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
