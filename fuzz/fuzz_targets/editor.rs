//! The lossless editor: for any file that loads, a check-in added, a title
//! changed or a key result removed either saves (and then reads back as the
//! intended model, which `pending_writes` verifies) or is refused with an
//! error; it never panics and never returns text that reads differently.
#![no_main]

use std::path::{Path, PathBuf};

use libfuzzer_sys::fuzz_target;
use okr::model::CheckIn;

fuzz_target!(|data: &[u8]| {
    let Some((&op, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let path = PathBuf::from("fuzz.yaml");
    let Ok(mut ws) = okr::store::Workspace::from_texts(Path::new("fuzz.yaml"), vec![(path, text.to_string())]) else {
        return;
    };
    let Some(o) = ws.files[0].doc.objectives.first_mut() else {
        return;
    };
    match op % 3 {
        0 => {
            if let Some(k) = o.key_results.first_mut() {
                // Built through serde so new optional fields need no change here.
                let json = format!(r#"{{"date":"2026-08-01","value":{op},"note":"fuzz # {op}: \"x\""}}"#);
                let c: CheckIn = serde_json::from_str(&json).expect("a check-in");
                k.check_ins.push(c);
            }
        }
        1 => o.title = format!("{} & more: #{op}", o.title),
        _ => {
            o.key_results.pop();
        }
    }
    if let Ok(pending) = ws.pending_writes() {
        for (_, new_text) in pending {
            okr::store::Workspace::from_texts(Path::new("fuzz.yaml"), vec![(PathBuf::from("fuzz.yaml"), new_text)])
                .expect("verified text loads");
        }
    }
});
