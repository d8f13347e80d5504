//! Packaging promises that can be checked with the one installed toolchain
//! (DEVELOPERS.md, "Packaging").

use std::process::Command;

/// "1.89" or "1.89.0" as (major, minor, patch).
fn version(v: &str) -> (u64, u64, u64) {
    let mut parts = v.split('.').map(|p| p.parse::<u64>().unwrap());
    (
        parts.next().unwrap(),
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
    )
}

#[test]
fn no_locked_dependency_needs_a_newer_rust_than_ours() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--locked"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "cargo metadata: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let packages = meta["packages"].as_array().unwrap();
    let ours = packages
        .iter()
        .find(|p| p["name"] == "okr")
        .and_then(|p| p["rust_version"].as_str())
        .expect("Cargo.toml declares rust-version");
    assert_eq!(ours, env!("CARGO_PKG_RUST_VERSION"));
    let newer: Vec<String> = packages
        .iter()
        .filter_map(|p| {
            let v = p["rust_version"].as_str()?;
            (version(v) > version(ours))
                .then(|| format!("{} {} needs {v}", p["name"], p["version"]))
        })
        .collect();
    assert!(
        newer.is_empty(),
        "rust-version is {ours}, but: {newer:?} (raise rust-version or pin an older version)"
    );
    // Every package is judged: the lock holds a few hundred.
    assert!(packages.len() > 50, "{}", packages.len());
}

#[test]
fn versions_compare_by_number() {
    assert!(version("1.100") > version("1.89"));
    assert!(version("1.89.1") > version("1.89"));
    assert_eq!(version("1.89"), version("1.89.0"));
}
