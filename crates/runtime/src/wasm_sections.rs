//! The section framing of the wasm binary format, read by hand: finding a
//! section by id or name must not walk the code section's function bodies,
//! as a full parser does. Used for trap lines here and by `lind cc`'s
//! post-link rewrites.

/// One section: its id, where its body starts in the module, its body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Section<'a> {
    pub id: u8,
    pub offset: usize,
    pub body: &'a [u8],
}

/// The code section's id.
pub const CODE: u8 = 10;

/// Reads an unsigned LEB128 at `*at`, moving `*at` past it.
pub fn read_uleb(bytes: &[u8], at: &mut usize) -> Option<u64> {
    let mut value = 0u64;
    let mut shift = 0;
    loop {
        let byte = *bytes.get(*at)?;
        *at += 1;
        if shift < 64 {
            value |= u64::from(byte & 0x7f) << shift;
        }
        shift += 7;
        if byte & 0x80 == 0 {
            return Some(value);
        }
    }
}

/// The module's sections in order (after the 8-byte header). A malformed
/// or truncated section header is the last item, as an error.
pub fn sections(module: &[u8]) -> impl Iterator<Item = Result<Section<'_>, &'static str>> {
    let mut at = 8;
    let mut broken = false;
    std::iter::from_fn(move || {
        if broken {
            return None;
        }
        let id = *module.get(at)?;
        at += 1;
        let section = read_uleb(module, &mut at)
            .ok_or("malformed section size")
            .and_then(|len| {
                let end = usize::try_from(len)
                    .ok()
                    .and_then(|len| at.checked_add(len))
                    .filter(|&end| end <= module.len())
                    .ok_or("truncated section")?;
                let section = Section {
                    id,
                    offset: at,
                    body: &module[at..end],
                };
                at = end;
                Ok(section)
            });
        broken = section.is_err();
        Some(section)
    })
}

/// The body of the custom section called `name`, after its name.
pub fn custom_section<'a>(module: &'a [u8], name: &str) -> Option<&'a [u8]> {
    custom_section_range(module, name).map(|r| &module[r])
}

/// Where in `module` that body lies (for rewriting it in place).
pub fn custom_section_range(module: &[u8], name: &str) -> Option<std::ops::Range<usize>> {
    sections(module).map_while(Result::ok).find_map(|s| {
        if s.id != 0 {
            return None;
        }
        let mut at = 0;
        let len = usize::try_from(read_uleb(s.body, &mut at)?).ok()?;
        let end = at.checked_add(len)?;
        (s.body.get(at..end)? == name.as_bytes()).then(|| s.offset + end..s.offset + s.body.len())
    })
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
        let r = custom_section_range(&m, ".debug_line").unwrap();
        assert_eq!((r.end, &m[r]), (m.len(), &[42u8][..]));
        let code = sections(&m)
            .map_while(Result::ok)
            .find(|s| s.id == CODE)
            .unwrap();
        // One body of 3 bytes (no locals, nop, end).
        assert_eq!(code.body, &[1, 3, 0, 0x01, 0x0b]);
        assert_eq!(&m[code.offset..code.offset + 5], code.body);
    }

    #[test]
    fn a_truncated_section_ends_the_walk_with_an_error() {
        let mut m = wat::parse_str("(module)").unwrap();
        m.extend_from_slice(&[0, 10, 1]);
        let all: Vec<_> = sections(&m).collect();
        assert_eq!(all, vec![Err("truncated section")]);
        m.truncate(8);
        m.extend_from_slice(&[0, 0x80]);
        assert_eq!(
            sections(&m).collect::<Vec<_>>(),
            vec![Err("malformed section size")]
        );
    }

    #[test]
    fn uleb_reads_multibyte_values_and_rejects_a_cut_one() {
        assert_eq!(read_uleb(&[0xe5, 0x8e, 0x26], &mut 0), Some(624485));
        assert_eq!(read_uleb(&[0x80], &mut 0), None);
    }
}
