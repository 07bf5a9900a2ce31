//! The cost model against the real server: for random documents over the
//! schema, the cost computed before execution bounds the objects the answer
//! actually holds.

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use rungs::graphql::cost::{CostModel, FieldSketch};
use serde_json::{json, Value};

use crate::helpers::{today, TestApp};

/// Seed's generator, with a bound.
struct Rng(rungs::seed::Rng);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0.range(0, n.max(1) as i64 - 1) as usize
    }
}

/// Arguments for a field, or `None` when the generator cannot make them.
fn arguments(field: &FieldSketch, rng: &mut Rng) -> Option<String> {
    let mut args = Vec::new();
    for (name, ty) in &field.required {
        match ty.as_str() {
            "GroupBy" => {
                let values = ["ROLE", "SITE", "MARKET", "MANAGER"];
                args.push(format!("{name}: {}", values[rng.below(values.len())]));
            }
            _ => return None,
        }
    }
    if field.ty.ends_with("Connection") && rng.below(3) > 0 {
        args.push(format!("first: {}", rng.below(101)));
    }
    Some(if args.is_empty() {
        String::new()
    } else {
        format!("({})", args.join(", "))
    })
}

fn selection(model: &CostModel, ty: &str, depth: usize, rng: &mut Rng) -> String {
    let fields: Vec<FieldSketch> = model
        .fields(ty)
        .into_iter()
        // Mutations and subscriptions are not generated; `__type` needs a
        // name.
        .filter(|f| f.name != "__type")
        .collect();
    let mut parts = vec!["__typename".to_owned()];
    let picks = 1 + rng.below(4);
    for i in 0..picks {
        if fields.is_empty() {
            break;
        }
        let field = &fields[rng.below(fields.len())];
        if field.composite && depth >= 4 {
            continue;
        }
        let Some(args) = arguments(field, rng) else {
            continue;
        };
        let alias = format!("f{depth}_{i}: ");
        if field.composite {
            let inner = selection(model, &field.ty, depth + 1, rng);
            parts.push(format!("{alias}{}{args} {{ {inner} }}", field.name));
        } else {
            parts.push(format!("{alias}{}{args}", field.name));
        }
    }
    parts.join(" ")
}

/// Objects in an answer: every JSON object below `data`.
fn objects(value: &Value) -> u64 {
    match value {
        Value::Object(map) => map.values().map(objects_inner).sum(),
        _ => 0,
    }
}

fn objects_inner(value: &Value) -> u64 {
    match value {
        Value::Object(map) => 1 + map.values().map(objects_inner).sum::<u64>(),
        Value::Array(items) => items.iter().map(objects_inner).sum(),
        _ => 0,
    }
}

#[test]
fn the_computed_cost_bounds_the_objects_every_random_document_resolves() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let app = runtime.block_on(async {
        let app = TestApp::spawn().await;
        rungs::seed::seed(&app.db, 300, 7, today())
            .await
            .expect("seed");
        app
    });
    let model = CostModel::from_sdl(&rungs::graphql::sdl()).expect("model");
    let mut runner = TestRunner::new(Config {
        cases: 200,
        failure_persistence: None,
        ..Config::default()
    });
    let largest = std::cell::Cell::new(0u64);
    let checked = std::cell::Cell::new(0u32);
    runner
        .run(&any::<u64>(), |seed| {
            let mut rng = Rng(rungs::seed::Rng(seed));
            let query = format!(
                "{{ {} }}",
                selection(&model, model.query_type(), 0, &mut rng)
            );
            let doc = async_graphql::parser::parse_query(&query)
                .map_err(|e| TestCaseError::fail(format!("{query}: {e}")))?;
            let computed = model.check(&doc, &Default::default());
            let body = runtime.block_on(app.gql(&query, json!({}), Some(&app.hr)));
            match computed {
                Ok(cost) => {
                    let resolved = objects(&body["data"]);
                    prop_assert!(
                        resolved <= cost.objects,
                        "{query}\nresolved {resolved} > computed {}",
                        cost.objects
                    );
                    largest.set(largest.get().max(resolved));
                    checked.set(checked.get() + 1);
                }
                Err(_) => {
                    let code = body["errors"][0]["extensions"]["code"].clone();
                    prop_assert_eq!(code, json!("BAD_USER_INPUT"), "{}", query);
                }
            }
            Ok(())
        })
        .unwrap();
    let (checked, largest) = (checked.get(), largest.get());
    println!("{checked} documents checked; the largest answer held {largest} objects");
    assert!(
        checked > 20,
        "only {checked} documents were within the budget"
    );
    assert!(
        largest > 50,
        "the documents resolved at most {largest} objects"
    );
}
