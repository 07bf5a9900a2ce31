//! Parsed documents kept per process, keyed by the query text.
//!
//! A profile of one employee by id under load (`SHAPE=b_employee bash
//! scripts/profile_page.sh`) put 15 % of the server's samples in
//! async-graphql's parser (pest), for text that clients send again and again
//! (a client's queries are constants in its code). The parsed document of a
//! query seen lately is cloned instead: validation, the cost model and the
//! variable check still run on every request, since they depend on the
//! variables and the principal.
//!
//! The cache is bounded: two generations of at most [`GENERATION`] documents
//! each, of at most [`MAX_QUERY_BYTES`] of text. A hit in the old generation
//! moves the document to the new one; when the new one is full it becomes
//! the old one and the previous old one is dropped, so documents asked for
//! lately stay and a stream of one-off queries costs at most two
//! generations of memory. Unparsable text is never kept.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use async_graphql::parser::types::ExecutableDocument;
use async_graphql::Request;

/// Documents per generation.
pub const GENERATION: usize = 256;
/// Longer query text is parsed every time.
pub const MAX_QUERY_BYTES: usize = 16 * 1024;

/// Marks a request whose document is already in place.
struct Parsed;

#[derive(Default)]
struct Generations {
    new: HashMap<Arc<str>, ExecutableDocument>,
    old: HashMap<Arc<str>, ExecutableDocument>,
}

/// The process's parsed documents.
#[derive(Clone, Default)]
pub struct Documents(Arc<Mutex<Generations>>);

impl Documents {
    /// Puts the request's parsed document in place: from the cache when its
    /// text was parsed lately, else parsed now (and kept). A document that
    /// does not parse is left for async-graphql to report as usual. Calling
    /// it again on the same request does nothing.
    pub fn prepare(&self, request: &mut Request) {
        if request.data.contains_key(&std::any::TypeId::of::<Parsed>()) {
            return;
        }
        request.data.insert(Parsed);
        if request.query.len() > MAX_QUERY_BYTES {
            return;
        }
        if let Some(doc) = self.get(&request.query) {
            request.set_parsed_query(doc);
            return;
        }
        if let Ok(doc) = request.parsed_query() {
            let doc = doc.clone();
            self.put(Arc::from(request.query.as_str()), doc);
        }
    }

    fn get(&self, query: &str) -> Option<ExecutableDocument> {
        let mut generations = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(doc) = generations.new.get(query) {
            return Some(doc.clone());
        }
        let (key, doc) = generations.old.remove_entry(query)?;
        let found = doc.clone();
        generations.insert(key, doc);
        Some(found)
    }

    fn put(&self, query: Arc<str>, doc: ExecutableDocument) {
        let mut generations = self.0.lock().unwrap_or_else(|e| e.into_inner());
        generations.insert(query, doc);
    }

    /// Documents held now (both generations).
    pub fn len(&self) -> usize {
        let generations = self.0.lock().unwrap_or_else(|e| e.into_inner());
        generations.new.len() + generations.old.len()
    }

    /// True when nothing is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Generations {
    fn insert(&mut self, query: Arc<str>, doc: ExecutableDocument) {
        if self.new.len() >= GENERATION {
            self.old = std::mem::take(&mut self.new);
        }
        self.new.insert(query, doc);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(query: &str) -> Request {
        Request::new(query)
    }

    #[test]
    fn a_query_seen_before_is_not_parsed_again_and_gives_the_same_document() {
        let documents = Documents::default();
        let text = "query Q($id: ID!) { employee(id: $id) { name role { code } } }";
        let mut first = request(text);
        documents.prepare(&mut first);
        assert_eq!(documents.len(), 1);
        let mut second = request(text);
        documents.prepare(&mut second);
        assert_eq!(documents.len(), 1);
        let a = format!("{:?}", first.parsed_query().unwrap());
        let b = format!("{:?}", second.parsed_query().unwrap());
        assert_eq!(a, b);
    }

    #[test]
    fn unparsable_and_oversized_text_is_not_kept() {
        let documents = Documents::default();
        let mut broken = request("{ employee(id: ");
        documents.prepare(&mut broken);
        assert!(broken.parsed_query().is_err());
        let long = format!("{{ __typename {} }}", " ".repeat(MAX_QUERY_BYTES));
        let mut oversized = request(&long);
        documents.prepare(&mut oversized);
        assert!(oversized.parsed_query().is_ok());
        assert!(documents.is_empty());
    }

    #[test]
    fn the_cache_never_holds_more_than_two_generations_and_keeps_what_is_asked_for() {
        let documents = Documents::default();
        let hot = "{ me { name } }";
        documents.prepare(&mut request(hot));
        for i in 0..(5 * GENERATION) {
            documents.prepare(&mut request(&format!("{{ a{i}: __typename }}")));
            if i % 100 == 0 {
                // Asked for again now and then: it moves to the new generation.
                documents.prepare(&mut request(hot));
            }
            assert!(documents.len() <= 2 * GENERATION);
        }
        let generations = documents.0.lock().unwrap();
        assert!(generations.new.contains_key(hot) || generations.old.contains_key(hot));
    }
}
