//! Root fields answered in the order they were selected (issue 15; the
//! GraphQL spec's ordered result map). The query and mutation roots are
//! `MergedObject`s, one object per area, and async-graphql assembles their
//! answer area by area: `{ payChanges { totalCount } me { id } }` came
//! back with `me` first. Nested objects already keep their order; this
//! puts the root's keys back in selection order after execution.

use async_graphql::indexmap::IndexMap;
use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, Selection, SelectionSet,
};
use async_graphql::{Name, Request, Response, Value};

/// How deep fragments are followed when listing the root's keys (the
/// validator refuses fragment cycles; this only bounds the walk).
const MAX_FRAGMENT_DEPTH: usize = 16;

/// The response keys of the operation's root selection, in order (aliases
/// where given; fragments spread in place), or `None` when the document
/// does not parse or the operation is not found (execution reports that).
pub fn root_keys(request: &mut Request) -> Option<Vec<Name>> {
    let operation_name = request.operation_name.clone();
    let doc = request.parsed_query().ok()?;
    let operation = match (&doc.operations, operation_name) {
        (DocumentOperations::Single(operation), _) => operation,
        (DocumentOperations::Multiple(operations), Some(name)) => operations.get(name.as_str())?,
        (DocumentOperations::Multiple(operations), None) if operations.len() == 1 => {
            operations.values().next()?
        }
        _ => return None,
    };
    let mut keys = Vec::new();
    collect(doc, &operation.node.selection_set.node, &mut keys, 0);
    Some(keys)
}

fn collect(doc: &ExecutableDocument, set: &SelectionSet, keys: &mut Vec<Name>, depth: usize) {
    if depth > MAX_FRAGMENT_DEPTH {
        return;
    }
    for item in &set.items {
        match &item.node {
            Selection::Field(field) => {
                let key = &field.node.response_key().node;
                if !keys.contains(key) {
                    keys.push(key.clone());
                }
            }
            Selection::InlineFragment(fragment) => {
                collect(doc, &fragment.node.selection_set.node, keys, depth + 1)
            }
            Selection::FragmentSpread(spread) => {
                if let Some(fragment) = doc.fragments.get(&spread.node.fragment_name.node) {
                    collect(doc, &fragment.node.selection_set.node, keys, depth + 1);
                }
            }
        }
    }
}

/// Puts the root's keys of `response` in the order of `keys` (any other
/// key, which should not happen, keeps its place after them).
pub fn reorder(response: &mut Response, keys: &[Name]) {
    let Value::Object(map) = &mut response.data else {
        return;
    };
    if map.len() < 2 {
        return;
    }
    let mut ordered: IndexMap<Name, Value> = IndexMap::with_capacity(map.len());
    for key in keys {
        if let Some(value) = map.shift_remove(key) {
            ordered.insert(key.clone(), value);
        }
    }
    ordered.extend(map.drain(..));
    *map = ordered;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(query: &str, operation: Option<&str>) -> Vec<String> {
        let mut request = Request::new(query);
        if let Some(name) = operation {
            request = request.operation_name(name);
        }
        root_keys(&mut request)
            .unwrap_or_default()
            .iter()
            .map(|n| n.to_string())
            .collect()
    }

    #[test]
    fn root_keys_follow_the_selection_with_aliases_and_fragments() {
        assert_eq!(
            keys("{ payChanges { totalCount } mine: me { id } }", None),
            ["payChanges", "mine"]
        );
        assert_eq!(
            keys(
                "query A { me { id } } query B { b: ladder { code } ...F } fragment F on Query { me { id } }",
                Some("B")
            ),
            ["b", "me"]
        );
        assert!(keys("query A { me { id } } query B { me { id } }", None).is_empty());
    }

    #[test]
    fn the_answer_takes_the_selection_order() {
        let mut response = Response::new(
            Value::from_json(serde_json::json!({ "me": 1, "payChanges": 2 })).unwrap(),
        );
        reorder(&mut response, &[Name::new("payChanges"), Name::new("me")]);
        let Value::Object(map) = &response.data else {
            panic!("an object");
        };
        let order: Vec<&str> = map.keys().map(|k| k.as_str()).collect();
        assert_eq!(order, ["payChanges", "me"]);
    }
}
