//! The checked-in schema is what the code generates.

#[test]
fn the_checked_in_schema_matches_the_generated_one() {
    let generated = rungs::graphql::sdl();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/schema.graphql");
    let checked_in = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        generated == checked_in,
        "schema.graphql is stale: run `cargo run -q -- schema > schema.graphql`"
    );
}
