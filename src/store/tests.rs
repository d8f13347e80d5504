//! Store-level promises that no single function shows: all-or-nothing
//! saves across files, and edits of texts read from anywhere.

use std::fs;
use std::path::{Path, PathBuf};

use super::*;

const PLAIN: &str =
    "version: 1\nobjectives:\n  - id: x\n    title: X  # keep me\n    period: 2026-Q3\n";
const ALIASED: &str = "version: 1\nobjectives:\n  - id: a\n    title: A\n    period: 2026-Q3\n    owner: &o marketing\n  - id: b\n    title: B\n    period: 2026-Q3\n    owner: *o\n";

fn set_title(ws: &mut Workspace, id: &str, title: &str) {
    let addr = ws.address(id).unwrap();
    ws.objective_mut(addr).title = title.to_string();
}

fn set_owner(ws: &mut Workspace, id: &str, owner: &str) {
    let addr = ws.address(id).unwrap();
    ws.objective_mut(addr).owner = Some(owner.to_string());
}

#[test]
fn save_writes_nothing_when_any_file_fails_to_verify() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("okrs");
    fs::create_dir(&root).unwrap();
    // a.yaml sorts first: a save that wrote each file as soon as it verified
    // would write it before b.yaml fails.
    fs::write(root.join("a.yaml"), PLAIN).unwrap();
    fs::write(root.join("b.yaml"), ALIASED).unwrap();
    let mut ws = Workspace::open_locked(&root).unwrap();
    set_title(&mut ws, "x", "Changed");
    set_owner(&mut ws, "a", "sales");
    let err = ws.save().unwrap_err();
    assert!(matches!(err, StoreError::EditFailed { .. }), "{err}");
    assert_eq!(fs::read_to_string(root.join("a.yaml")).unwrap(), PLAIN);
    assert_eq!(fs::read_to_string(root.join("b.yaml")).unwrap(), ALIASED);
}

#[test]
fn pending_writes_edit_texts_that_never_touched_the_disk() {
    let path = PathBuf::from("nowhere/okrs.yaml");
    let mut ws = Workspace::from_texts(Path::new("nowhere"), vec![(path, PLAIN.into())]).unwrap();
    assert!(ws.pending_writes().unwrap().is_empty());
    set_title(&mut ws, "x", "Yonder");
    let writes = ws.pending_writes().unwrap();
    assert_eq!(writes.len(), 1);
    assert_eq!(writes[0].1, PLAIN.replace("title: X ", "title: Yonder "));
}

#[test]
fn documents_with_stream_markers_edit_losslessly() {
    let body = "# lead\nversion: 1\nobjectives:\n  - id: x\n    title: X\n    period: 2026-Q3\n";
    let cases = [
        ("%YAML 1.2\n---\n", ""),
        ("---\n", ""),
        ("", "...\n"),
        ("%YAML 1.2\n%TAG !e! tag:example.com,2000:\n---\n", "...\n"),
        ("# before\n%YAML 1.2\n---\n", ""),
    ];
    for (head, tail) in cases {
        let text = format!("{head}{body}{tail}");
        let p = PathBuf::from("x.yaml");
        let mut ws = Workspace::from_texts(Path::new("."), vec![(p, text.clone())])
            .unwrap_or_else(|e| panic!("{head:?}{tail:?}: {e}"));
        set_title(&mut ws, "x", "Z");
        let writes = ws
            .pending_writes()
            .unwrap_or_else(|e| panic!("{head:?}{tail:?}: {e}"));
        assert_eq!(
            writes[0].1,
            text.replace("title: X", "title: Z"),
            "{head:?}"
        );
    }
}

#[test]
fn an_edit_changing_an_aliased_value_is_refused_in_memory() {
    let p = PathBuf::from("x.yaml");
    let mut ws = Workspace::from_texts(Path::new("."), vec![(p, ALIASED.into())]).unwrap();
    set_owner(&mut ws, "a", "sales");
    assert!(matches!(
        ws.pending_writes(),
        Err(StoreError::EditFailed { .. })
    ));
}

/// Found by `cargo fuzz run loader`: a U+0085 (a two-byte whitespace)
/// before a key made the error's wording slice inside it and panic.
#[test]
fn an_error_next_to_a_two_byte_whitespace_is_reported_not_a_panic() {
    let text = "[.\u{85}[\r\n.\u{85}[j::\u{85}[\r\n.\u{85}!!";
    assert!(parse::parse(Path::new("x.yaml"), text).is_err());
}

#[test]
fn workspace_files_come_in_path_order_whatever_their_names() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("okrs");
    for p in [
        "a.yaml",
        "a/b.yaml",
        "a-b/c.yaml",
        "a-b.yaml",
        "a b.yaml",
        "a!/x.yaml",
        "ab.yaml",
        "a/a/z.yaml",
        "Z.yaml",
        "é.yaml",
    ] {
        let p = root.join(p);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(&p, "version: 1\n").unwrap();
    }
    let got = workspace_paths(&root).unwrap();
    let mut want = got.clone();
    want.sort();
    assert_eq!(got, want);
    assert_eq!(got.len(), 10);
}

#[test]
fn a_read_only_open_keeps_no_text_and_refuses_to_write() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("okrs.yaml");
    fs::write(&path, PLAIN).unwrap();
    let mut ws = Workspace::open(&path).unwrap();
    assert_eq!(ws.files[0].text(), "");
    set_title(&mut ws, "x", "Y");
    let err = ws.pending_writes().unwrap_err();
    assert!(err.to_string().contains("read-only"), "{err}");
    assert_eq!(fs::read_to_string(&path).unwrap(), PLAIN);
}

#[test]
fn a_duplicate_id_of_every_kind_is_located_in_both_files() {
    let first = "version: 1\nobjectives:\n  - id: o\n    title: O\n    period: 2026-Q3\n    key_results:\n      - id: k\n        title: K\n        milestone: true\n        initiatives:\n          - id: i\n            title: I\nkpis:\n  - id: p\n    title: P\n";
    // Each kind's ID again, as a key result's on line 7 of the second file.
    for (id, first_at) in [("o", "3:9"), ("k", "7:13"), ("i", "11:17"), ("p", "14:9")] {
        let second = format!(
            "version: 1\nobjectives:\n  - id: x\n    title: X\n    period: 2026-Q3\n    key_results:\n      - id: {id}\n        title: Again\n        milestone: true\n"
        );
        let texts = vec![
            (PathBuf::from("a.yaml"), first.to_string()),
            (PathBuf::from("b.yaml"), second),
        ];
        let err = Workspace::from_texts(Path::new("."), texts).unwrap_err();
        let StoreError::Invalid { location, message } = err else {
            panic!("{id}: {err}");
        };
        assert_eq!((location.line, location.column), (7, 13), "{id}: {message}");
        assert!(
            message.contains(&format!("first used at a.yaml:{first_at}")),
            "{id}: {message}"
        );
    }
}

#[test]
fn path_order_is_byte_order_with_the_separator_lowest() {
    let naive = |a: &Path, b: &Path| {
        let key = |p: &Path| -> Vec<u8> {
            let b = p.as_os_str().as_encoded_bytes();
            b.iter().map(|&c| if c == b'/' { 0 } else { c }).collect()
        };
        key(a).cmp(&key(b))
    };
    // Differences before, at and after eight-byte boundaries, prefixes,
    // and the separator against the bytes below it.
    let mut paths = Vec::new();
    for stem in ["", "okrs", "a/very/long/common/prefix/of/paths", "x/y"] {
        for tail in [
            "a.yaml",
            "a/b.yaml",
            "a-b.yaml",
            "a.b",
            "a",
            "ab/c.yaml",
            "a!/c",
            "b.yaml",
        ] {
            paths.push(PathBuf::from(format!("{stem}/{tail}")));
            paths.push(PathBuf::from(format!("{stem}{tail}")));
        }
    }
    for a in &paths {
        for b in &paths {
            assert_eq!(
                path_order(a, b),
                naive(a, b),
                "{} vs {}",
                a.display(),
                b.display()
            );
        }
    }
}
