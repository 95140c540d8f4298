//! The record kinds Harbor keeps, and their bodies.
//!
//! The Rust types here are the source of truth: the JSON Schemas in `schemas/` are
//! generated from them (see [`crate::schema`]) and input is validated against those.

mod call_review;
mod case_note;
mod common;
mod epcr;
mod investigation;
mod template;

pub use call_review::*;
pub use case_note::*;
pub use common::*;
pub use epcr::*;
pub use investigation::*;
pub use template::template;

use crate::error::CoreError;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The kinds of record a vault holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    /// A quality officer's review of one call (one ePCR).
    CallReview,
    /// A medical director's case note: a deliberation inside the PSES.
    CaseNote,
    /// An investigation file (root cause analysis) of a safety event.
    Investigation,
    /// A read-only reference to an imported ePCR: an original record, never PSWP.
    Epcr,
}

impl RecordKind {
    /// Every kind, in a stable order.
    pub const ALL: [RecordKind; 4] = [
        RecordKind::CallReview,
        RecordKind::CaseNote,
        RecordKind::Investigation,
        RecordKind::Epcr,
    ];

    /// The kind's name as written in files, on the command line and in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::CallReview => "call_review",
            RecordKind::CaseNote => "case_note",
            RecordKind::Investigation => "investigation",
            RecordKind::Epcr => "epcr",
        }
    }

    /// Whether records of this kind are original records (kept outside the PSES).
    pub fn is_original_record(self) -> bool {
        self == RecordKind::Epcr
    }

    /// Whether records of this kind are deliberations or analyses: protected inside the
    /// PSES without being reported, and never swept into a submission.
    pub fn is_deliberation(self) -> bool {
        matches!(self, RecordKind::CaseNote | RecordKind::Investigation)
    }
}

impl std::fmt::Display for RecordKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for RecordKind {
    type Err = CoreError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        RecordKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| CoreError::UnknownKind(s.to_owned()))
    }
}

/// The body of a record of any kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "body", rename_all = "snake_case")]
pub enum RecordBody {
    /// See [`CallReview`].
    CallReview(CallReview),
    /// See [`CaseNote`].
    CaseNote(CaseNote),
    /// See [`Investigation`].
    Investigation(Investigation),
    /// See [`EpcrReference`] (boxed: it is much larger than the other bodies).
    Epcr(Box<EpcrReference>),
}

impl RecordBody {
    /// The record's kind.
    pub fn kind(&self) -> RecordKind {
        match self {
            RecordBody::CallReview(_) => RecordKind::CallReview,
            RecordBody::CaseNote(_) => RecordKind::CaseNote,
            RecordBody::Investigation(_) => RecordKind::Investigation,
            RecordBody::Epcr(_) => RecordKind::Epcr,
        }
    }

    /// The workflow status shown in lists and used by filters, where the kind has one.
    pub fn status(&self) -> Option<&'static str> {
        match self {
            RecordBody::CallReview(r) => Some(r.status.as_str()),
            RecordBody::Investigation(i) => Some(i.status.as_str()),
            RecordBody::CaseNote(_) | RecordBody::Epcr(_) => None,
        }
    }

    /// A one-line title for lists. It holds call identifiers (PCR number, unit) but never
    /// names of patients or crew.
    pub fn title(&self) -> String {
        match self {
            RecordBody::CallReview(r) => format!(
                "Review of PCR {} ({}, {})",
                r.call.pcr_number,
                r.call.call_date,
                r.call.unit.as_deref().unwrap_or("unit not given")
            ),
            RecordBody::CaseNote(n) => format!("Case note on record {}", n.subject),
            RecordBody::Investigation(i) => i.title.clone(),
            RecordBody::Epcr(e) => format!(
                "ePCR {} ({}, {})",
                e.pcr_number,
                e.call_date
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| "date not given".into()),
                e.unit
                    .as_ref()
                    .and_then(|u| u.present())
                    .unwrap_or("unit not given")
            ),
        }
    }

    /// The body as a JSON value (the form stored in revisions).
    pub fn to_value(&self) -> serde_json::Value {
        match self {
            RecordBody::CallReview(r) => serde_json::to_value(r),
            RecordBody::CaseNote(n) => serde_json::to_value(n),
            RecordBody::Investigation(i) => serde_json::to_value(i),
            RecordBody::Epcr(e) => serde_json::to_value(e),
        }
        .expect("record types always serialise")
    }

    /// What full-text search indexes: every string of a hand-written record; for an ePCR
    /// the words a reviewer looks for (numbers, unit, complaint, impressions, medications,
    /// procedures, narrative) rather than every time and code.
    pub fn search_text(&self) -> String {
        let mut out = String::new();
        match self {
            RecordBody::Epcr(e) => epcr_search_text(e, &mut out),
            other => collect_strings(&other.to_value(), &mut out),
        }
        out
    }
}

fn epcr_search_text(e: &EpcrReference, out: &mut String) {
    let mut push = |v: Option<&NemsisValue>| {
        if let Some(v) = v {
            for s in [&v.value, &v.label].into_iter().flatten() {
                out.push_str(s);
                out.push('\n');
            }
        }
    };
    push(Some(&NemsisValue::of(e.pcr_number.clone())));
    for v in [
        &e.incident_number,
        &e.response_number,
        &e.unit,
        &e.call_sign,
        &e.dispatch_complaint,
        &e.chief_complaint,
        &e.primary_symptom,
        &e.primary_impression,
        &e.narrative,
    ] {
        push(v.as_ref());
    }
    e.secondary_impressions.iter().for_each(|v| push(Some(v)));
    e.crew.iter().for_each(|c| push(c.id.as_ref()));
    e.medications
        .iter()
        .for_each(|m| push(m.medication.as_ref()));
    e.procedures.iter().for_each(|p| push(p.procedure.as_ref()));
}

fn collect_strings(value: &serde_json::Value, out: &mut String) {
    match value {
        serde_json::Value::String(s) => {
            out.push_str(s);
            out.push('\n');
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_strings(v, out)),
        serde_json::Value::Object(map) => map.values().for_each(|v| collect_strings(v, out)),
        _ => {}
    }
}
