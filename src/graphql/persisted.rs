//! Automatic persisted queries (Apollo's protocol, issue 18): a client may
//! send `extensions.persistedQuery = {version: 1, sha256Hash}` without the
//! query text. If this process knows the hash, it runs the query stored
//! under it; if not, the answer is `PERSISTED_QUERY_NOT_FOUND` and the
//! client sends the text with the hash once, which is checked and kept.
//! Hashed queries also work over `GET` (`?extensions=...`), so a CDN or a
//! browser may cache the request line (answers themselves are `no-store`).
//!
//! Not an allow-list: any client may register a query, and every query
//! still passes validation, the cost model and the access policy. The store
//! is bounded like the parsed documents (`graphql::documents`): two
//! generations of [`GENERATION`] texts of at most
//! [`documents::MAX_QUERY_BYTES`] each. Per process: behind a load balancer
//! a client may meet a miss once per instance, and then sends the text.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use async_graphql::{Request, ServerError, Value};
use sha2::{Digest, Sha256};

use crate::error::AppError;
use crate::graphql::documents;

/// Queries per generation.
pub const GENERATION: usize = 512;

/// The error code of a hash this process does not know.
pub const NOT_FOUND: &str = "PERSISTED_QUERY_NOT_FOUND";

#[derive(Default)]
struct Generations {
    new: HashMap<String, Arc<str>>,
    old: HashMap<String, Arc<str>>,
}

/// The process's persisted queries, by SHA-256 (lowercase hex).
#[derive(Clone, Default)]
pub struct PersistedQueries(Arc<Mutex<Generations>>);

impl PersistedQueries {
    /// Resolves the request's persisted query, if it names one: fills in
    /// the text of a known hash, keeps a text sent with its hash, and
    /// refuses a hash it does not know, a text that does not match its
    /// hash, or an unknown protocol version. Requests without the extension
    /// pass untouched.
    pub fn resolve(&self, request: &mut Request) -> Result<(), ServerError> {
        let Some(persisted) = request.extensions.get("persistedQuery") else {
            return Ok(());
        };
        let Value::Object(fields) = persisted else {
            return Err(bad("extensions.persistedQuery must be an object"));
        };
        match fields.get("version") {
            Some(Value::Number(n)) if n.as_u64() == Some(1) => {}
            _ => return Err(bad("only version 1 of persisted queries is supported")),
        }
        let hash = match fields.get("sha256Hash") {
            Some(Value::String(hash)) if is_sha256_hex(hash) => hash.to_ascii_lowercase(),
            _ => return Err(bad("sha256Hash must be 64 hexadecimal characters")),
        };
        if request.query.is_empty() {
            return match self.get(&hash) {
                Some(text) => {
                    request.query = text.to_string();
                    Ok(())
                }
                None => Err(not_found()),
            };
        }
        if hex::encode(Sha256::digest(request.query.as_bytes())) != hash {
            return Err(bad("sha256Hash does not match the query"));
        }
        if request.query.len() <= documents::MAX_QUERY_BYTES {
            self.put(hash, Arc::from(request.query.as_str()));
        }
        Ok(())
    }

    fn get(&self, hash: &str) -> Option<Arc<str>> {
        let mut generations = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(text) = generations.new.get(hash) {
            return Some(text.clone());
        }
        let (key, text) = generations.old.remove_entry(hash)?;
        generations.insert(key, text.clone());
        Some(text)
    }

    fn put(&self, hash: String, text: Arc<str>) {
        let mut generations = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if !generations.new.contains_key(&hash) {
            generations.insert(hash, text);
        }
    }
}

impl Generations {
    fn insert(&mut self, hash: String, text: Arc<str>) {
        if self.new.len() >= GENERATION {
            self.old = std::mem::take(&mut self.new);
        }
        self.new.insert(hash, text);
    }
}

fn is_sha256_hex(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit())
}

fn bad(message: &str) -> ServerError {
    async_graphql::Error::from(AppError::bad_input(message)).into_server_error(Default::default())
}

/// Apollo's clients recognise the message and the code.
fn not_found() -> ServerError {
    let mut error = ServerError::new("PersistedQueryNotFound", None);
    let mut extensions = async_graphql::ErrorExtensionValues::default();
    extensions.set("code", NOT_FOUND);
    error.extensions = Some(extensions);
    error
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hashed(query: &str, hash: &str) -> Request {
        let mut request = Request::new(query);
        request.extensions.insert(
            "persistedQuery".into(),
            Value::from_json(serde_json::json!({ "version": 1, "sha256Hash": hash })).unwrap(),
        );
        request
    }

    fn code(error: &ServerError) -> String {
        error
            .extensions
            .as_ref()
            .and_then(|e| e.get("code"))
            .map(|c| c.to_string().trim_matches('"').to_owned())
            .unwrap_or_default()
    }

    #[test]
    fn a_miss_then_the_text_then_a_hit() {
        let store = PersistedQueries::default();
        let query = "{ __typename }";
        let hash = hex::encode(Sha256::digest(query.as_bytes()));
        let miss = store.resolve(&mut hashed("", &hash)).unwrap_err();
        assert_eq!(code(&miss), NOT_FOUND);
        assert_eq!(miss.message, "PersistedQueryNotFound");
        store.resolve(&mut hashed(query, &hash)).unwrap();
        let mut hit = hashed("", &hash.to_uppercase());
        store.resolve(&mut hit).unwrap();
        assert_eq!(hit.query, query);
    }

    #[test]
    fn a_wrong_hash_or_version_is_bad_input_and_nothing_is_kept() {
        let store = PersistedQueries::default();
        let other = hex::encode(Sha256::digest(b"{ me { id } }"));
        let wrong = store
            .resolve(&mut hashed("{ __typename }", &other))
            .unwrap_err();
        assert_eq!(code(&wrong), "BAD_USER_INPUT");
        assert_eq!(
            code(&store.resolve(&mut hashed("", &other)).unwrap_err()),
            NOT_FOUND
        );
        assert_eq!(
            code(&store.resolve(&mut hashed("", "abc")).unwrap_err()),
            "BAD_USER_INPUT"
        );
        let mut v2 = hashed("", &other);
        v2.extensions.insert(
            "persistedQuery".into(),
            Value::from_json(serde_json::json!({ "version": 2, "sha256Hash": other })).unwrap(),
        );
        assert_eq!(code(&store.resolve(&mut v2).unwrap_err()), "BAD_USER_INPUT");
    }

    #[test]
    fn the_store_is_bounded() {
        let store = PersistedQueries::default();
        for i in 0..(3 * GENERATION) {
            let query = format!("{{ __typename }} # {i}");
            let hash = hex::encode(Sha256::digest(query.as_bytes()));
            store.resolve(&mut hashed(&query, &hash)).unwrap();
        }
        let generations = store.0.lock().unwrap();
        assert!(generations.new.len() + generations.old.len() <= 2 * GENERATION);
    }
}
