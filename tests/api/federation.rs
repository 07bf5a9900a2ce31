//! Rungs as an Apollo Federation 2 subgraph (issue 18): `_service { sdl }`
//! declares the entity keys, and `_entities` resolves them under the same
//! rules as the typed fields, within the cost model's bound.

use serde_json::json;

use crate::helpers::{error_code, TestApp};

const ENTITIES: &str = "query($r: [_Any!]!) { _entities(representations: $r) { __typename \
    ... on Employee { id name } ... on Role { code title } } }";

#[tokio::test]
async fn the_subgraph_sdl_declares_employee_and_role_keys_for_federation_2() {
    let app = TestApp::spawn().await;
    let sdl = app
        .data("{ _service { sdl } }", json!({}), Some(&app.employee))
        .await["_service"]["sdl"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        sdl.contains("https://specs.apollo.dev/federation/v2"),
        "{sdl}"
    );
    assert!(sdl.contains(
        "type Employee implements Node @key(fields: \"id\") @key(fields: \"employeeNumber\")"
    ));
    assert!(sdl.contains("type Role implements Node @key(fields: \"code\")"));
    assert!(
        sdl.contains("type Query {"),
        "the gateway merges root types by name"
    );
}

#[tokio::test]
async fn entities_resolve_by_every_key_under_the_typed_fields_rules() {
    // Arrange
    let app = TestApp::spawn().await;
    let number = app
        .data(
            "query($id: ID!) { employee(id: $id) { employeeNumber } }",
            json!({ "id": app.employee.gid() }),
            Some(&app.hr),
        )
        .await["employee"]["employeeNumber"]
        .as_str()
        .unwrap()
        .to_owned();
    let representations = json!([
        { "__typename": "Employee", "id": app.employee.gid() },
        { "__typename": "Employee", "employeeNumber": number },
        { "__typename": "Role", "code": "TEAM_LEAD" },
        { "__typename": "Employee", "id": app.outsider.gid() },
        { "__typename": "Employee", "employeeNumber": "NO-SUCH-NUMBER" },
    ]);

    // Act: as the employee's manager, who may not see the outsider.
    let body = app
        .data(
            ENTITIES,
            json!({ "r": representations }),
            Some(&app.manager),
        )
        .await;

    // Assert
    let found = body["_entities"].as_array().unwrap();
    assert_eq!(found.len(), 5);
    assert_eq!(found[0]["id"], app.employee.gid());
    assert_eq!(found[1]["id"], app.employee.gid());
    assert_eq!(found[2]["code"], "TEAM_LEAD");
    assert!(found[3].is_null(), "hidden like a missing one: {body}");
    assert!(found[4].is_null(), "{body}");

    // Anonymous: refused.
    let anonymous = app
        .gql(ENTITIES, json!({ "r": representations }), None)
        .await;
    assert_eq!(error_code(&anonymous), "UNAUTHENTICATED", "{anonymous}");
}

#[tokio::test]
async fn entities_are_bounded_by_the_cost_model() {
    let app = TestApp::spawn().await;
    let many: Vec<_> = (0..101)
        .map(|_| json!({ "__typename": "Role", "code": "CSR" }))
        .collect();
    let body = app.gql(ENTITIES, json!({ "r": many }), Some(&app.hr)).await;
    assert!(body["data"].is_null(), "{body}");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("at most 100 representations"),
        "{body}"
    );
    let hundred: Vec<_> = (0..100)
        .map(|_| json!({ "__typename": "Role", "code": "CSR" }))
        .collect();
    let ok = app
        .data(ENTITIES, json!({ "r": hundred }), Some(&app.hr))
        .await;
    assert_eq!(ok["_entities"].as_array().unwrap().len(), 100);
}
