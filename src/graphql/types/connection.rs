//! Relay-style connections: `edges`, `nodes`, `pageInfo`, `totalCount`.
//! Cursors are opaque (base64 of the row id); pages are keyset-paginated by
//! id, so they stay fast and stable however deep a client pages.

use async_graphql::SimpleObject;
use base64::Engine;

use crate::error::{AppError, AppResult};

/// The largest page a client may ask for.
pub const MAX_PAGE: i32 = 100;
pub const DEFAULT_PAGE: i32 = 20;

#[derive(SimpleObject)]
pub struct PageInfo {
    pub has_next_page: bool,
    pub end_cursor: Option<String>,
    pub has_previous_page: bool,
    pub start_cursor: Option<String>,
}

pub fn encode_cursor(id: i64) -> String {
    base64::engine::general_purpose::STANDARD.encode(format!("cursor:{id}"))
}

pub fn decode_cursor(cursor: &str) -> AppResult<i64> {
    base64::engine::general_purpose::STANDARD
        .decode(cursor)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| text.strip_prefix("cursor:").and_then(|n| n.parse().ok()))
        .ok_or_else(|| AppError::bad_input("after: not a cursor from this API"))
}

/// Checks `first` (1..=100, default 20) and decodes `after`.
pub fn page_args(first: Option<i32>, after: Option<&str>) -> AppResult<(u64, Option<i64>)> {
    let first = first.unwrap_or(DEFAULT_PAGE);
    if !(0..=MAX_PAGE).contains(&first) {
        return Err(AppError::bad_input(format!(
            "first must be between 0 and {MAX_PAGE}"
        )));
    }
    let after = after.map(decode_cursor).transpose()?;
    Ok((first as u64, after))
}

macro_rules! connection {
    ($connection:ident, $edge:ident, $node:ty) => {
        #[derive(SimpleObject)]
        pub struct $edge {
            pub cursor: String,
            pub node: $node,
        }

        #[derive(SimpleObject)]
        pub struct $connection {
            pub edges: Vec<$edge>,
            pub nodes: Vec<$node>,
            pub page_info: PageInfo,
            pub total_count: i64,
        }

        impl $connection {
            /// Builds a page from rows already cut to size, with their ids.
            pub fn new(
                rows: Vec<(i64, $node)>,
                has_next: bool,
                had_cursor: bool,
                total: u64,
            ) -> Self {
                let edges: Vec<$edge> = rows
                    .into_iter()
                    .map(|(id, node)| $edge {
                        cursor: encode_cursor(id),
                        node,
                    })
                    .collect();
                let nodes = edges.iter().map(|e| e.node.clone()).collect();
                let page_info = PageInfo {
                    has_next_page: has_next,
                    end_cursor: edges.last().map(|e| e.cursor.clone()),
                    has_previous_page: had_cursor,
                    start_cursor: edges.first().map(|e| e.cursor.clone()),
                };
                $connection {
                    edges,
                    nodes,
                    page_info,
                    total_count: total as i64,
                }
            }
        }
    };
}

connection!(
    EmployeeConnection,
    EmployeeEdge,
    crate::graphql::types::employee::Employee
);
connection!(
    NominationConnection,
    NominationEdge,
    crate::graphql::types::nomination::Nomination
);
connection!(
    AuditEventConnection,
    AuditEventEdge,
    crate::graphql::types::audit::AuditEvent
);
connection!(
    EligibilityReportConnection,
    EligibilityReportEdge,
    crate::graphql::types::report::EligibilityReportRow
);
