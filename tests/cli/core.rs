//! Core loop: init, add, check-in, list, show, edit, rm, and the store.

use crate::harness::Env;

#[test]
fn placeholder_walkthrough() {
    let env = Env::new();
    let (_, k) = env.with_brand();
    assert_eq!(k, "website-visitors");
}
