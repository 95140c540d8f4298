//! `harbor-pso`: the reference Patient Safety Organization intake server, so that every
//! upload test talks to a real peer over TLS. Agencies enrol with a token and their
//! signing key; submissions arrive as a signed manifest and sealed items uploaded in
//! resumable chunks; a commit opens and checks every item and answers with a signed
//! receipt. A replayed commit returns the original receipt.

pub mod api;
pub mod arriving;
pub mod cap;
pub mod feedback;
pub mod limits;
pub mod migrations;
pub mod parts;
pub mod private;
pub mod store;
pub mod tls;
