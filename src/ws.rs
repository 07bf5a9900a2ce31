//! `/graphql/ws`: graphql-ws (and the older subprotocol) between the
//! socket and async-graphql, with the limits a socket lives under:
//!
//! - `connection_init` must come within [`WsLimits::init_timeout`]
//!   (10 s), else the socket is closed with 4408;
//! - at most [`WsLimits::max_subscriptions`] operations run on one socket
//!   at once; one more is answered with an `error` message
//!   (`RATE_LIMITED`) and not started;
//! - at most [`WsLimits::max_sockets_per_person`] sockets per signed-in
//!   person; one more is closed with 4429;
//! - a message is at most 1 MiB (as a POST body).
//!
//! Every operation also passes the cost model (it is a schema extension),
//! and the Origin is checked before the upgrade (`crate::http`).

use std::collections::HashSet;
use std::time::Duration;

use async_graphql::futures_util::{stream, SinkExt, StreamExt};
use async_graphql::http::{WebSocket as GraphqlSocket, WebSocketProtocols, WsMessage};
use poem::web::websocket::{Message, WebSocketStream};
use serde::Deserialize;
use tokio::sync::mpsc;

use crate::db::Db;
use crate::graphql::subscription::{connection_data, UNAUTHENTICATED_REASON};
use crate::graphql::AppSchema;
use crate::tally::{Held, Tally};

/// The close reason when a person already has the most sockets open.
pub const TOO_MANY_SOCKETS_REASON: &str =
    "Too many open sockets for this account: close another tab first";

/// Largest message a client may send.
pub const MAX_MESSAGE_BYTES: usize = 1 << 20;

/// What one socket, and one person's sockets, may hold.
#[derive(Clone, Copy, Debug)]
pub struct WsLimits {
    pub init_timeout: Duration,
    pub max_subscriptions: usize,
    pub max_sockets_per_person: usize,
}

impl Default for WsLimits {
    fn default() -> Self {
        WsLimits {
            init_timeout: Duration::from_secs(10),
            max_subscriptions: 20,
            max_sockets_per_person: 8,
        }
    }
}

/// Open sockets per person, across the process.
#[derive(Clone, Default)]
pub struct OpenSockets(Tally);

impl OpenSockets {
    /// A slot for one more socket of `employee_id`, unless they hold `max`.
    pub fn try_open(&self, employee_id: i64, max: usize) -> Option<SocketSlot> {
        self.0.try_hold(employee_id, max)
    }
}

/// One open socket of a person; given back when the socket ends.
pub type SocketSlot = Held;

/// The part of a graphql-ws message the limits look at.
#[derive(Deserialize, Default)]
struct Header {
    #[serde(rename = "type")]
    kind: Option<String>,
    id: Option<String>,
}

fn close_code(code: u16, reason: &str) -> u16 {
    // async-graphql closes a refused `connection_init` with 1002;
    // graphql-ws says 4403 Forbidden, which clients recognise.
    match reason {
        UNAUTHENTICATED_REASON => 4403,
        TOO_MANY_SOCKETS_REASON => 4429,
        _ => code,
    }
}

fn too_many_operations(id: &str, max: usize) -> String {
    serde_json::json!({
        "id": id,
        "type": "error",
        "payload": [{
            "message": format!("at most {max} operations may run on one socket: complete one first"),
            "extensions": { "code": "RATE_LIMITED" },
        }],
    })
    .to_string()
}

/// Whether an outgoing message ends operation `id` (cheap: async-graphql
/// writes `type` first).
fn ended(text: &str) -> Option<String> {
    if text.starts_with(r#"{"type":"complete""#) || text.starts_with(r#"{"type":"error""#) {
        serde_json::from_str::<Header>(text).ok()?.id
    } else {
        None
    }
}

/// Serves one socket until either side closes it.
pub async fn serve(
    socket: WebSocketStream,
    schema: AppSchema,
    db: Db,
    protocol: WebSocketProtocols,
    limits: WsLimits,
    sockets: OpenSockets,
) {
    let (mut sink, mut source) = socket.split();
    let (to_graphql, from_client) = mpsc::channel::<Vec<u8>>(16);
    let incoming = stream::unfold(from_client, |mut rx| async move {
        rx.recv().await.map(|message| (message, rx))
    });
    let mut graphql = GraphqlSocket::new(schema, incoming, protocol)
        .on_connection_init(move |payload| connection_data(db, payload, sockets, limits))
        .boxed();
    let mut active: HashSet<String> = HashSet::new();
    let mut initialised = false;
    let init_deadline = tokio::time::sleep(limits.init_timeout);
    tokio::pin!(init_deadline);
    loop {
        tokio::select! {
            incoming = source.next() => {
                let bytes = match incoming {
                    Some(Ok(Message::Text(text))) => text.into_bytes(),
                    Some(Ok(Message::Binary(bytes))) => bytes,
                    Some(Ok(Message::Close(_))) | Some(Err(_)) | None => break,
                    Some(Ok(_)) => continue,
                };
                let header: Header = serde_json::from_slice(&bytes).unwrap_or_default();
                match (header.kind.as_deref(), header.id) {
                    (Some("connection_init"), _) => initialised = true,
                    (Some("subscribe" | "start"), Some(id)) => {
                        if !active.contains(&id) && active.len() >= limits.max_subscriptions {
                            let refusal = too_many_operations(&id, limits.max_subscriptions);
                            if sink.send(Message::Text(refusal)).await.is_err() {
                                break;
                            }
                            continue;
                        }
                        active.insert(id);
                    }
                    (Some("complete" | "stop"), Some(id)) => {
                        active.remove(&id);
                    }
                    _ => {}
                }
                if to_graphql.send(bytes).await.is_err() {
                    break;
                }
            }
            outgoing = graphql.next() => {
                match outgoing {
                    Some(WsMessage::Text(text)) => {
                        if let Some(id) = ended(&text) {
                            active.remove(&id);
                        }
                        if sink.send(Message::Text(text)).await.is_err() {
                            break;
                        }
                    }
                    Some(WsMessage::Close(code, reason)) => {
                        let code = close_code(code, &reason);
                        let _ = sink.send(Message::close_with(code, reason)).await;
                        break;
                    }
                    None => break,
                }
            }
            _ = &mut init_deadline, if !initialised => {
                let _ = sink
                    .send(Message::close_with(4408u16, "Connection initialisation timeout"))
                    .await;
                break;
            }
        }
    }
    let _ = sink.close().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completions_and_errors_end_an_operation() {
        assert_eq!(
            ended(r#"{"type":"complete","id":"a"}"#).as_deref(),
            Some("a")
        );
        assert_eq!(
            ended(r#"{"type":"error","id":"b","payload":[]}"#).as_deref(),
            Some("b")
        );
        assert_eq!(ended(r#"{"type":"next","id":"c","payload":{}}"#), None);
    }
}
