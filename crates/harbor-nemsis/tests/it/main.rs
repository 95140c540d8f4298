//! Integration tests of harbor-nemsis.

mod generate;
mod hostile;
mod samples;
mod support;
mod triggers;
