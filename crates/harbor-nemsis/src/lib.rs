//! NEMSIS v3.5 for Harbor: a streaming, hardened reader of `EMSDataSet` documents that turns
//! each `PatientCareReport` into an ePCR reference, the code tables that give codes their
//! labels, the review trigger rules (EMS Trigger Tool), and a generator of realistic
//! synthetic NEMSIS 3.5.1 documents for tests, demos and benchmarks.

pub mod codes;
pub mod extract;
pub mod generate;
pub mod reader;
pub mod triggers;

pub use reader::{Limits, ParsedReport, ReadError, read_document};
