//! Test-only seams that stop a write at a chosen step.
//!
//! Crash safety is a promise about what happens when a process dies at any
//! moment, so the tests must be able to choose the moment. In debug builds
//! (which is what `cargo test` runs), `OKR_FAILPOINT=NAME[=ACTION][,...]`
//! makes the write stop at step `NAME`:
//!
//! - `pause` (the default): print `okr: failpoint NAME` on stderr and sleep,
//!   so the test can SIGKILL the process at exactly that step;
//! - `error`: fail the step with an injected I/O error;
//! - `enospc`: fail the step with "no space left on device".
//!
//! Release builds compile every seam to nothing: the variable is ignored.
//!
//! The steps of [`super::fsio::replace`] are `temp-created`, `mid-write`,
//! `fsync` (the fsync of the temp file itself), `after-fsync`,
//! `before-rename`, `after-rename` and `dir-fsync` (the directory's fsync).

use std::io;

/// Stops here if `OKR_FAILPOINT` names `name` (debug builds only).
pub fn hit(name: &str) -> io::Result<()> {
    #[cfg(debug_assertions)]
    if let Some(spec) = std::env::var_os("OKR_FAILPOINT") {
        let spec = spec.to_string_lossy().into_owned();
        for part in spec.split(',') {
            let (point, action) = part.split_once('=').unwrap_or((part, "pause"));
            if point != name {
                continue;
            }
            match action {
                "error" => return Err(io::Error::other(format!("injected failure at {name}"))),
                "enospc" => return Err(io::Error::from_raw_os_error(28)),
                _ => pause(name),
            }
        }
    }
    let _ = name;
    Ok(())
}

#[cfg(debug_assertions)]
fn pause(name: &str) -> ! {
    use std::io::Write;
    let mut err = io::stderr();
    let _ = writeln!(err, "okr: failpoint {name}");
    let _ = err.flush();
    loop {
        std::thread::sleep(std::time::Duration::from_secs(1));
    }
}
