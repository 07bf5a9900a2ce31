//! Authentication: password hashing, login tokens and the `Principal` every
//! request acts as.

pub mod password;
pub mod principal;
pub mod token;

pub use principal::Principal;
