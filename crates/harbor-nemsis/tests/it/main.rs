//! Integration tests of harbor-nemsis.

mod hostile;
mod samples;
mod support;
mod triggers;
