//! Authentication and authorization: password hashing, login tokens, the
//! `Principal` every request acts as, and the policy that decides what it
//! may do to whom.

pub mod password;
pub mod policy;
pub mod principal;
pub mod sessions;
pub mod token;

pub use principal::Principal;
