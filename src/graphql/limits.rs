//! What one request may cost (OWASP GraphQL Cheat Sheet), checked on the
//! parsed document before anything runs: depth at most 10, at most 150
//! field selections, at most 5 directives on a field. Introspection
//! subtrees (`__schema`, `__type`) are not counted, so GraphiQL keeps
//! working off-production (where introspection is on); in production
//! introspection is off altogether. Fragments are inlined, and a fragment
//! that spreads itself cannot loop here.

use std::collections::HashSet;

use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};

pub const MAX_DEPTH: usize = 10;
pub const MAX_FIELDS: usize = 150;
pub const MAX_DIRECTIVES: usize = 5;

struct Cost {
    fields: usize,
    max_depth: usize,
}

fn walk<'a>(
    doc: &'a ExecutableDocument,
    set: &'a SelectionSet,
    depth: usize,
    cost: &mut Cost,
    fragments: &mut HashSet<&'a str>,
) -> Result<(), String> {
    for selection in &set.items {
        match &selection.node {
            Selection::Field(field) => {
                let name = field.node.name.node.as_str();
                if name == "__schema" || name == "__type" {
                    continue;
                }
                if field.node.directives.len() > MAX_DIRECTIVES {
                    return Err(format!(
                        "field `{name}` has more than {MAX_DIRECTIVES} directives"
                    ));
                }
                cost.fields += 1;
                cost.max_depth = cost.max_depth.max(depth + 1);
                if cost.fields > MAX_FIELDS {
                    return Err(format!("the query selects more than {MAX_FIELDS} fields"));
                }
                if cost.max_depth > MAX_DEPTH {
                    return Err(format!(
                        "the query is nested deeper than {MAX_DEPTH} levels"
                    ));
                }
                walk(
                    doc,
                    &field.node.selection_set.node,
                    depth + 1,
                    cost,
                    fragments,
                )?;
            }
            Selection::InlineFragment(inline) => {
                walk(doc, &inline.node.selection_set.node, depth, cost, fragments)?;
            }
            Selection::FragmentSpread(spread) => {
                let name = spread.node.fragment_name.node.as_str();
                if let Some(fragment) = doc.fragments.get(&spread.node.fragment_name.node) {
                    if fragments.insert(name) {
                        walk(
                            doc,
                            &fragment.node.selection_set.node,
                            depth,
                            cost,
                            fragments,
                        )?;
                        fragments.remove(name);
                    }
                }
            }
        }
    }
    Ok(())
}

/// Checks every operation of the document.
pub fn check(doc: &ExecutableDocument) -> Result<(), String> {
    for (_, operation) in doc.operations.iter() {
        let mut cost = Cost {
            fields: 0,
            max_depth: 0,
        };
        let mut fragments = HashSet::new();
        walk(
            doc,
            &operation.node.selection_set.node,
            0,
            &mut cost,
            &mut fragments,
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_graphql::parser::parse_query;

    fn cost(query: &str) -> Result<(), String> {
        check(&parse_query(query).unwrap())
    }

    #[test]
    fn ordinary_queries_pass() {
        assert!(cost(
            "{ me { name progression { options { targetRole { code } gaps { kind message } } } } }"
        )
        .is_ok());
    }

    #[test]
    fn eleven_levels_are_too_deep() {
        let deep = "{ me { manager { manager { manager { manager { manager { manager { manager { manager { manager { name } } } } } } } } } } }";
        assert!(cost(deep).unwrap_err().contains("deeper"));
        let ten = "{ me { manager { manager { manager { manager { manager { manager { manager { manager { name } } } } } } } } } }";
        assert!(cost(ten).is_ok());
    }

    #[test]
    fn a_hundred_aliases_are_too_many() {
        let aliases: String = (0..100).map(|i| format!("a{i}: me {{ id }} ")).collect();
        assert!(cost(&format!("{{ {aliases} }}"))
            .unwrap_err()
            .contains("fields"));
    }

    #[test]
    fn introspection_is_not_counted_and_fragment_cycles_do_not_loop() {
        let introspection = "{ __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } } } }";
        assert!(cost(introspection).is_ok());
        assert!(cost("query { me { ...A } } fragment A on Employee { manager { ...A } }").is_ok());
    }

    #[test]
    fn six_directives_on_a_field_are_too_many() {
        let q = "query($t: Boolean!) { me @include(if: $t) @include(if: $t) @include(if: $t) @include(if: $t) @include(if: $t) @include(if: $t) { id } }";
        assert!(cost(q).unwrap_err().contains("directives"));
    }
}
