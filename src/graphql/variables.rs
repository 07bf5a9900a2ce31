//! Variables are coerced before anything executes (GraphQL spec, "Coercing
//! Variable Values"): a non-null variable without a default that the
//! request does not send (or sends as null) is a request error, answered
//! `BAD_USER_INPUT` (400 with `application/graphql-response+json`), not a
//! field error with `data: null`. Checked by the request guard
//! ([`super::cost::check_request`]) next to the cost model.

use async_graphql::parser::types::{DocumentOperations, ExecutableDocument};
use async_graphql::{ServerError, Variables};

use crate::error::AppError;

/// The first required variable of the operation to run that is missing.
pub fn check(
    doc: &ExecutableDocument,
    operation_name: Option<&str>,
    variables: &Variables,
) -> Result<(), ServerError> {
    let operation = match (&doc.operations, operation_name) {
        (DocumentOperations::Single(op), _) => op,
        (DocumentOperations::Multiple(map), Some(name)) => match map.get(name) {
            Some(op) => op,
            None => return Ok(()),
        },
        (DocumentOperations::Multiple(map), None) if map.len() == 1 => {
            map.values().next().expect("one operation")
        }
        _ => return Ok(()),
    };
    for definition in &operation.node.variable_definitions {
        let definition = &definition.node;
        let required = !definition.var_type.node.nullable && definition.default_value.is_none();
        let given = variables
            .get(&definition.name.node)
            .is_some_and(|v| *v != async_graphql::Value::Null);
        if required && !given {
            let error = AppError::bad_input(format!(
                "variable ${} of type {} was not given",
                definition.name.node, definition.var_type.node
            ));
            return Err(super::cost::request_error(
                error.into(),
                Some(definition.name.pos),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_graphql::parser::parse_query;

    fn vars(json: serde_json::Value) -> Variables {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn a_required_variable_must_be_given_and_not_null() {
        let doc = parse_query("query($id: ID!, $d: Date, $n: Int! = 5) { __typename }").unwrap();
        assert!(check(&doc, None, &vars(serde_json::json!({}))).is_err());
        assert!(check(&doc, None, &vars(serde_json::json!({ "id": null }))).is_err());
        assert!(check(&doc, None, &vars(serde_json::json!({ "id": "x" }))).is_ok());
    }
}
