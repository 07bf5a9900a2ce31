//! Development tooling, compiled only with the `tools` cargo feature (on by
//! default): the demo organisation behind `serve --demo`, the synthetic
//! organisations of `rungs seed`, the demo courses both add, and `rungs
//! bench` (the only user of an HTTP client). A production build can leave
//! it all out with `cargo build --release --no-default-features`.

pub mod bench;
pub mod demo;
pub mod demo_courses;
pub mod seed;
