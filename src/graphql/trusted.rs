//! Trusted documents (issue 18): `rungs serve --persisted-only` runs only
//! operations listed in advance, so a stolen token cannot be used to run
//! arbitrary queries against the API. The list is the web app's own
//! operations, extracted from its scripts (embedded in the binary), plus
//! the operations of any file given with `--trusted-documents` (Apollo's
//! persisted query manifest, or a JSON object of hash to text as
//! relay-compiler's `persistConfig` writes it).
//!
//! A request is admitted when it names a listed SHA-256 in
//! `extensions.persistedQuery` (the text may then be left out), or when
//! the SHA-256 of its text is listed; anything else is refused with
//! `PERSISTED_QUERY_NOT_IN_LIST`, over HTTP and WebSocket alike, before
//! it is parsed. `trusted-documents.json` at the repository root is the
//! web app's list as `rungs trusted-documents` prints it; a test fails
//! when it drifts from the scripts.

use std::collections::BTreeMap;
use std::sync::Arc;

use async_graphql::parser::types::OperationType;
use async_graphql::{Request, ServerError, Value};
use sha2::{Digest, Sha256};

use crate::error::AppError;

/// The error code of an operation that is not in the list.
pub const NOT_IN_LIST: &str = "PERSISTED_QUERY_NOT_IN_LIST";

/// One listed operation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    pub name: String,
    pub kind: &'static str,
    pub body: Arc<str>,
}

/// The operations a `--persisted-only` server runs, by SHA-256 (lowercase
/// hex) of their text.
#[derive(Clone, Debug, Default)]
pub struct TrustedDocuments {
    by_hash: BTreeMap<String, Document>,
}

fn sha256_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

impl TrustedDocuments {
    /// The web app's operations, from its embedded scripts.
    pub fn web_app() -> Self {
        let mut docs = TrustedDocuments::default();
        for (_, script) in crate::web::scripts() {
            for text in string_literals(script) {
                docs.add(&text);
            }
        }
        docs
    }

    /// The web app's operations and those of `path`.
    pub fn web_app_and(path: Option<&std::path::Path>) -> anyhow::Result<Self> {
        let mut docs = Self::web_app();
        if let Some(path) = path {
            let text = std::fs::read_to_string(path)
                .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
            let added = docs
                .add_file(&text)
                .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
            tracing::info!(file = %path.display(), operations = added, "trusted documents loaded");
        }
        Ok(docs)
    }

    /// Adds `text` if it is a GraphQL document with at least one
    /// operation; returns whether it did.
    pub fn add(&mut self, text: &str) -> bool {
        let Ok(doc) = async_graphql::parser::parse_query(text) else {
            return false;
        };
        let Some((name, operation)) = doc.operations.iter().next() else {
            return false;
        };
        let kind = match operation.node.ty {
            OperationType::Query => "query",
            OperationType::Mutation => "mutation",
            OperationType::Subscription => "subscription",
        };
        let name = name.map_or_else(|| "(anonymous)".to_owned(), |n| n.to_string());
        self.by_hash.insert(
            sha256_hex(text),
            Document {
                name,
                kind,
                body: Arc::from(text),
            },
        );
        true
    }

    /// Adds the operations of a manifest: Apollo's
    /// (`{"format": "apollo-persisted-query-manifest", "operations": [{"id",
    /// "body", ...}]}`) or an object of hash to text. Every hash must be
    /// the SHA-256 of its text. Returns how many were added.
    pub fn add_file(&mut self, json: &str) -> Result<usize, String> {
        let value: serde_json::Value =
            serde_json::from_str(json).map_err(|e| format!("not JSON: {e}"))?;
        let pairs: Vec<(String, String)> = match value.get("operations") {
            Some(serde_json::Value::Array(operations)) => operations
                .iter()
                .map(|op| {
                    let id = op.get("id").and_then(|v| v.as_str());
                    let body = op.get("body").and_then(|v| v.as_str());
                    match (id, body) {
                        (Some(id), Some(body)) => Ok((id.to_owned(), body.to_owned())),
                        _ => Err("every operation needs an id and a body".to_owned()),
                    }
                })
                .collect::<Result<_, _>>()?,
            _ => value
                .as_object()
                .ok_or("expected Apollo's manifest or an object of hash to text")?
                .iter()
                .map(|(id, body)| {
                    body.as_str()
                        .map(|b| (id.clone(), b.to_owned()))
                        .ok_or_else(|| format!("{id}: the text must be a string"))
                })
                .collect::<Result<_, _>>()?,
        };
        for (id, body) in &pairs {
            if sha256_hex(body) != id.to_ascii_lowercase() {
                return Err(format!("{id}: not the SHA-256 of its text"));
            }
            if !self.add(body) {
                return Err(format!("{id}: not a GraphQL operation"));
            }
        }
        Ok(pairs.len())
    }

    pub fn len(&self) -> usize {
        self.by_hash.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_hash.is_empty()
    }

    /// The listed operations' names.
    pub fn names(&self) -> Vec<&str> {
        self.by_hash.values().map(|d| d.name.as_str()).collect()
    }

    /// Apollo's persisted query manifest of the list (by name, then hash).
    pub fn manifest(&self) -> String {
        let mut operations: Vec<(&String, &Document)> = self.by_hash.iter().collect();
        operations.sort_by(|a, b| (&a.1.name, a.0).cmp(&(&b.1.name, b.0)));
        let operations: Vec<serde_json::Value> = operations
            .into_iter()
            .map(|(id, doc)| {
                serde_json::json!({ "id": id, "name": doc.name, "type": doc.kind, "body": &*doc.body })
            })
            .collect();
        let manifest = serde_json::json!({
            "format": "apollo-persisted-query-manifest",
            "version": 1,
            "operations": operations,
        });
        let mut text = serde_json::to_string_pretty(&manifest).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Admits a listed operation (filling in the text of a listed hash) or
    /// refuses the request. Calling it again on the same request gives the
    /// same answer.
    pub fn admit(&self, request: &mut Request) -> Result<(), ServerError> {
        let named = match request.extensions.get("persistedQuery") {
            Some(Value::Object(fields)) => match fields.get("sha256Hash") {
                Some(Value::String(hash)) => Some(hash.to_ascii_lowercase()),
                _ => None,
            },
            _ => None,
        };
        if let Some(hash) = named {
            return match self.by_hash.get(&hash) {
                Some(doc) if request.query.is_empty() || request.query == *doc.body => {
                    request.query = doc.body.to_string();
                    Ok(())
                }
                _ => Err(not_in_list()),
            };
        }
        if !request.query.is_empty() && self.by_hash.contains_key(&sha256_hex(&request.query)) {
            return Ok(());
        }
        Err(not_in_list())
    }
}

fn not_in_list() -> ServerError {
    let error = AppError::bad_input(
        "this server runs only its trusted documents (--persisted-only); this operation is not one of them",
    );
    let mut error = async_graphql::Error::from(error).into_server_error(Default::default());
    let mut extensions = error.extensions.take().unwrap_or_default();
    extensions.set("code", NOT_IN_LIST);
    error.extensions = Some(extensions);
    error
}

/// The values of the string literals of a script ('...', "..." and
/// template literals without substitutions), comments skipped; the code
/// inside a template's substitutions is scanned too.
fn string_literals(script: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut chars = script.chars().peekable();
    scan_code(&mut chars, false, &mut found);
    found
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

/// Scans code up to the end (or, inside a substitution, to its closing
/// brace), collecting string literals.
fn scan_code(chars: &mut Chars<'_>, in_substitution: bool, found: &mut Vec<String>) {
    let mut depth = 0usize;
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut last = ' ';
                for c in chars.by_ref() {
                    if last == '*' && c == '/' {
                        break;
                    }
                    last = c;
                }
            }
            '{' => depth += 1,
            '}' if in_substitution && depth == 0 => return,
            '}' => depth = depth.saturating_sub(1),
            '\'' | '"' | '`' => {
                if let Some(value) = scan_string(chars, c, found) {
                    found.push(value);
                }
            }
            _ => {}
        }
    }
}

/// One string literal after its opening `quote`: its value, or `None` for
/// a template with substitutions.
fn scan_string(chars: &mut Chars<'_>, quote: char, found: &mut Vec<String>) -> Option<String> {
    let mut value = String::new();
    let mut substituted = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('n') => value.push('\n'),
                Some('t') => value.push('\t'),
                Some(other) => value.push(other),
                None => break,
            },
            _ if c == quote => break,
            '$' if quote == '`' && chars.peek() == Some(&'{') => {
                chars.next();
                substituted = true;
                scan_code(chars, true, found);
            }
            _ => value.push(c),
        }
    }
    (!substituted).then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(query: &str) -> Request {
        Request::new(query)
    }

    #[test]
    fn the_web_app_list_holds_its_operations_and_nothing_dynamic() {
        let docs = TrustedDocuments::web_app();
        let names = docs.names();
        for name in [
            "Login",
            "MyProgression",
            "Dashboard",
            "Team",
            "Nominate",
            "MyPlan",
            "NominationPay",
        ] {
            assert!(names.contains(&name), "{name} missing from {names:?}");
        }
        assert!(docs.len() >= 14, "{names:?}");
    }

    #[test]
    fn only_listed_texts_or_hashes_are_admitted() {
        let mut docs = TrustedDocuments::default();
        let text = "query Me { me { id } }";
        assert!(docs.add(text));
        assert!(!docs.add("not graphql {"));
        docs.admit(&mut request(text)).unwrap();
        let refused = docs.admit(&mut request("{ me { id name } }")).unwrap_err();
        assert_eq!(
            refused.extensions.as_ref().and_then(|e| e.get("code")),
            Some(&Value::from(NOT_IN_LIST))
        );
        let mut hashed = request("");
        hashed.extensions.insert(
            "persistedQuery".into(),
            Value::from_json(serde_json::json!({ "version": 1, "sha256Hash": sha256_hex(text) }))
                .unwrap(),
        );
        docs.admit(&mut hashed).unwrap();
        assert_eq!(hashed.query, text);
        docs.admit(&mut hashed).unwrap();
        let mut other = request("{ __typename }");
        other.extensions = hashed.extensions.clone();
        assert!(
            docs.admit(&mut other).is_err(),
            "a listed hash with another text"
        );
        assert!(docs.admit(&mut request("")).is_err());
    }

    #[test]
    fn manifests_round_trip_and_wrong_hashes_are_refused() {
        let docs = TrustedDocuments::web_app();
        let mut again = TrustedDocuments::default();
        assert_eq!(again.add_file(&docs.manifest()).unwrap(), docs.len());
        assert_eq!(again.manifest(), docs.manifest());
        let relay = serde_json::json!({ sha256_hex("{ me { id } }"): "{ me { id } }" }).to_string();
        assert_eq!(TrustedDocuments::default().add_file(&relay).unwrap(), 1);
        let wrong = serde_json::json!({ "00": "{ me { id } }" }).to_string();
        assert!(TrustedDocuments::default().add_file(&wrong).is_err());
    }

    #[test]
    fn string_literals_skip_comments_and_substitutions() {
        let script = "// 'not this'\nconst A = 'it\\'s';\n/* \"nor this\" */ const B = `x ${y}`; const C = \"c\";";
        assert_eq!(
            string_literals(script),
            vec!["it's".to_owned(), "c".to_owned()]
        );
    }
}
