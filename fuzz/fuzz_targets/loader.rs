//! Any bytes as a workspace file: loading never panics, and a file that
//! loads writes back unchanged (saving an unchanged file changes no byte).
#![no_main]

use std::path::{Path, PathBuf};

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = PathBuf::from("fuzz.yaml");
    if let Ok(ws) = okr::store::Workspace::from_texts(Path::new("fuzz.yaml"), vec![(path, text.to_string())]) {
        let pending = ws.pending_writes().expect("an unchanged workspace has nothing to write");
        assert!(pending.is_empty());
        let _ = okr::store::yaml11::find(text);
    }
});
