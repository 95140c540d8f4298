//! NEMSIS v3.5 for Harbor: a streaming, hardened reader of `EMSDataSet` documents that turns
//! each `PatientCareReport` into an ePCR reference, the code tables that give codes their
//! labels, and the review trigger rules (EMS Trigger Tool). The synthetic generator is
//! `harbor-synth`, which the reader does not link.

pub mod codes;
pub mod extract;
pub mod reader;
pub mod triggers;

pub use reader::{Limits, ParsedReport, ReadError, read_document};
