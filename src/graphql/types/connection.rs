//! Relay-style connections: `edges`, `nodes`, `pageInfo`, `totalCount`.
//! Cursors are opaque (base64 of the row id); pages are keyset-paginated by
//! id, so they stay fast and stable however deep a client pages.

use async_graphql::SimpleObject;
use base64::Engine;

use crate::error::{AppError, AppResult};

/// The largest page a client may ask for.
pub const MAX_PAGE: i32 = 100;
pub const DEFAULT_PAGE: i32 = 20;

/// Where a page sits in the whole list (Relay cursor connections).
#[derive(SimpleObject)]
pub struct PageInfo {
    /// More items follow this page: ask again with `after: endCursor`.
    pub has_next_page: bool,
    /// The last edge's cursor (pass it as `after` for the next page); null
    /// on an empty page.
    pub end_cursor: Option<String>,
    /// True when the page was asked for with `after` (items come before
    /// it); paging is forward only.
    pub has_previous_page: bool,
    /// The first edge's cursor; null on an empty page.
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
        /// One item of a page with its cursor.
        #[derive(SimpleObject)]
        pub struct $edge {
            /// Opaque position of this item: pass it as `after` to get the
            /// items that follow it.
            pub cursor: String,
            /// The item.
            pub node: $node,
        }

        /// One page of a list (Relay cursor connection), `first` items at
        /// most (default 20, at most 100) after the `after` cursor.
        #[derive(SimpleObject)]
        pub struct $connection {
            /// The page's items with their cursors.
            pub edges: Vec<$edge>,
            /// The page's items, without cursors (the same as `edges.node`).
            pub nodes: Vec<$node>,
            /// Cursors and whether more items follow.
            pub page_info: PageInfo,
            /// How many items the whole list holds (every page, same
            /// filters), not just this page.
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
    PayChangeConnection,
    PayChangeEdge,
    crate::graphql::types::pay::PayChange
);
connection!(
    MeritProposalConnection,
    MeritProposalEdge,
    crate::graphql::types::merit::MeritProposal
);
connection!(
    OpeningConnection,
    OpeningEdge,
    crate::graphql::types::mobility::Opening
);

connection!(
    ApplicationConnection,
    ApplicationEdge,
    crate::graphql::types::mobility::Application
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
