//! On-disk cache of compiled modules, so a second start of the same program
//! skips compilation. Keyed by a SHA-256 of the module bytes and the
//! engine's compatibility hash (which covers its settings, `--debug`
//! included: debug builds never share entries with plain ones); written
//! atomically (temp file + rename).

use sha2::{Digest, Sha256};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use wasmtime::{error::Context as _, Result};
use wasmtime::{Engine, Module};

pub fn default_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("LIND_CACHE_DIR") {
        return Some(PathBuf::from(d));
    }
    if let Some(d) = std::env::var_os("XDG_CACHE_HOME") {
        return Some(PathBuf::from(d).join("lind"));
    }
    std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache").join("lind"))
}

fn key(engine: &Engine, bytes: &[u8]) -> String {
    let mut engine_hash = std::collections::hash_map::DefaultHasher::new();
    engine
        .precompile_compatibility_hash()
        .hash(&mut engine_hash);
    let mut h = Sha256::new();
    h.update(engine_hash.finish().to_le_bytes());
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    h.update(bytes);
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

pub fn load_or_compile(engine: &Engine, dir: Option<&Path>, bytes: &[u8]) -> Result<Module> {
    let Some(dir) = dir else {
        return Module::new(engine, bytes);
    };
    let path = dir.join(format!("{}.cwasm", key(engine, bytes)));
    if path.exists() {
        // SAFETY: the file was written by `precompile_module` of an engine
        // with the same compatibility hash (it is part of the file name),
        // into the user's own cache directory; wasmtime still checks its
        // header and refuses artifacts from another configuration.
        match unsafe { Module::deserialize_file(engine, &path) } {
            Ok(m) => return Ok(m),
            Err(e) => tracing::warn!("ignoring unusable cache entry {}: {e:#}", path.display()),
        }
    }
    let compiled = engine.precompile_module(bytes)?;
    if std::fs::create_dir_all(dir).is_ok() {
        let tmp = dir.join(format!(
            ".{}.{}",
            std::process::id(),
            path.file_name().and_then(|n| n.to_str()).unwrap_or("m")
        ));
        if std::fs::write(&tmp, &compiled).is_ok() {
            let _ = std::fs::rename(&tmp, &path);
        }
    }
    // SAFETY: `compiled` was produced just above by this very engine.
    unsafe { Module::deserialize(engine, &compiled) }.context("compiled module could not be loaded")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_plain_engines_do_not_share_entries() {
        let plain = Engine::new(&wasmtime::Config::new()).unwrap();
        let mut config = wasmtime::Config::new();
        config.debug_info(true);
        let debug = Engine::new(&config).unwrap();
        let bytes = b"\0asm\x01\0\0\0";
        assert_eq!(key(&plain, bytes), key(&plain, bytes));
        assert_ne!(key(&plain, bytes), key(&debug, bytes));
    }
}
