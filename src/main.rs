//! The `okr` binary: everything lives in the library.

fn main() {
    std::process::exit(okr::main());
}
