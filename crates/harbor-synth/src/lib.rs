//! Realistic synthetic NEMSIS 3.5.1 `EMSDataSet` documents, for tests, demos and benchmarks.
//!
//! [`generate`] streams [`GeneratedFile`]s: each is a complete document (valid against the
//! official NEMSIS 3.5.1 XSD) holding one or more `PatientCareReport`s, together with the
//! [`CallFacts`] the generator put into each report, so tests can compare an importer's
//! extraction and its review triggers with what was written. Output is deterministic for a
//! seed, and each report depends only on the seed and its index (not on how reports are
//! batched into files).
//!
//! Calls are drawn from a mix of scenarios (cardiac arrest, STEMI and chest pain, stroke,
//! overdose, hypoglycaemia, asthma/COPD, seizure, syncope, falls, trauma, anaphylaxis, sepsis,
//! behavioural, paediatric calls, refusals, cancellations, interfacility transfers, ...), with
//! times in order, fitting ICD-10-CM impressions, RxNorm medications and SNOMED CT procedures,
//! evolving vital signs, crews, dispositions and an EMS-style narrative. A realistic share of
//! calls is built to fire each review trigger listed in [`TRIGGER_RULE_IDS`]; the ones a call
//! was built to fire are in [`CallFacts::intended_triggers`], and calls not built to fire a
//! rule do not fire it.

mod build;
mod model;
mod render;
mod rng;
mod rules;
mod tables;
mod xml;

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

pub use rules::TRIGGER_RULE_IDS;

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratorOptions {
    /// Seed of the pseudo-random generator: the same options give the same output.
    pub seed: u64,
    /// How many `PatientCareReport`s to generate in all.
    pub count: usize,
    /// How many reports each document (file) holds; the last file may hold fewer. Default 1;
    /// 0 is treated as 1.
    pub reports_per_file: usize,
    /// The EMS agency number (`dAgency.02` / `eResponse.01`), 1 to 15 characters. Default
    /// `"3301"`.
    pub agency_number: String,
    /// Calls are spread over about 90 days starting on this date, in order of report index.
    pub start_date: chrono::NaiveDate,
    /// The agency's UTC offset in minutes, written on every date/time (default -300, i.e.
    /// `-05:00`). Must be within ±14 hours.
    pub utc_offset_minutes: i32,
}

impl Default for GeneratorOptions {
    fn default() -> Self {
        GeneratorOptions {
            seed: 0x4841_5242_4f52,
            count: 100,
            reports_per_file: 1,
            agency_number: "3301".to_owned(),
            start_date: chrono::NaiveDate::from_ymd_opt(2025, 1, 6).unwrap_or_default(),
            utc_offset_minutes: -300,
        }
    }
}

/// One generated NEMSIS document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// A file name for the document, e.g. `harbor-synthetic-3301-000001.xml`.
    pub file_name: String,
    /// The XML document (UTF-8, with an XML declaration).
    pub xml: String,
    /// What was written into each `PatientCareReport` of the document, in document order.
    pub calls: Vec<CallFacts>,
}

/// What the generator put into one `PatientCareReport`, as raw strings exactly as written in
/// the XML (codes, not labels), for tests that compare an importer's extraction with the truth.
///
/// An element written as nil (with an `NV` or a value-less `PN` attribute) is `None` or left out
/// of a list. A medication or procedure recorded as a pertinent negative (not given / not done)
/// is written, as NEMSIS 3.5 does, with its code as the value *and* a `PN` attribute; its facts
/// carry both ([`MedicationFacts::medication_pn`], [`ProcedureFacts::procedure_pn`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallFacts {
    /// The `PatientCareReport` `UUID` attribute (version 4, lowercase).
    pub report_uuid: String,
    /// `eRecord.01`, the patient care report number.
    pub pcr_number: String,
    /// `eResponse.01`, the EMS agency number (also `dAgency.02` of the header).
    pub agency_number: String,
    /// `eResponse.03`, the incident number.
    pub incident_number: String,
    /// `eResponse.04`, the EMS response number.
    pub response_number: String,
    /// `eResponse.13`, the EMS vehicle (unit) number.
    pub unit: String,
    /// `eResponse.14`, the EMS unit call sign.
    pub call_sign: String,
    /// `eResponse.05`, the type of service requested (code).
    pub service_type: String,
    /// `eDispatch.01`, the dispatch complaint (code).
    pub dispatch_complaint: String,
    /// `eCrew.CrewGroup`s: (`eCrew.01` member id, `eCrew.02` level code, `eCrew.03` role code).
    pub crew: Vec<(String, String, String)>,
    /// Every `eTimes.NN` written with a value, keyed `"eTimes.01"` etc., valued as written
    /// (`xs:dateTime` with a UTC offset). Times written nil are absent.
    pub times: BTreeMap<String, String>,
    /// `ePatient.15`, the age.
    pub age: Option<String>,
    /// `ePatient.16`, the age units code (`2516009` years, `2516007` months, `2516001` days,
    /// `2516003` hours).
    pub age_units: Option<String>,
    /// `ePatient.25`, the sex code.
    pub sex: Option<String>,
    /// `eSituation.04`, the chief complaint as free text.
    pub chief_complaint: Option<String>,
    /// `eSituation.09`, the primary symptom (ICD-10-CM).
    pub primary_symptom: Option<String>,
    /// `eSituation.11`, the provider's primary impression (ICD-10-CM).
    pub primary_impression: Option<String>,
    /// `eSituation.12`, the provider's secondary impressions (ICD-10-CM).
    pub secondary_impressions: Vec<String>,
    /// `eSituation.13`, the initial patient acuity code.
    pub initial_acuity: Option<String>,
    /// `eVitals.VitalGroup`s in document order (none when the section is a single all-nil group).
    pub vitals: Vec<VitalFacts>,
    /// `eMedications.MedicationGroup`s in document order (none when the section is all nil).
    pub medications: Vec<MedicationFacts>,
    /// `eProcedures.ProcedureGroup`s in document order (none when the section is all nil).
    pub procedures: Vec<ProcedureFacts>,
    /// `eAirway.03`, the airway devices confirmed.
    pub airway_devices: Vec<String>,
    /// `eAirway.08`, airway complications encountered (codes; empty when none were reported).
    pub airway_complications: Vec<String>,
    /// `eAirway.09`, reasons for a failed airway management.
    pub airway_failure_reasons: Vec<String>,
    /// `eArrest.01`, cardiac arrest (`3001001` no, `3001003` before EMS arrival, `3001005`
    /// after EMS arrival).
    pub cardiac_arrest: String,
    /// `eDisposition.27`, the unit disposition code.
    pub unit_disposition: String,
    /// `eDisposition.28`, patient evaluation/care code.
    pub patient_evaluation_care: Option<String>,
    /// `eDisposition.29`, crew disposition code.
    pub crew_disposition: Option<String>,
    /// `eDisposition.30`, transport disposition code.
    pub transport_disposition: Option<String>,
    /// `eOther.05`, whether a crew member was injured (`9923003` yes, `9923001` no); `None`
    /// when not written.
    pub crew_injury: Option<String>,
    /// `eNarrative.01`; `None` when the narrative is nil or the section is left out.
    pub narrative: Option<String>,
    /// The review trigger rules (ids from [`TRIGGER_RULE_IDS`]) this call was built to fire, in
    /// the order of [`TRIGGER_RULE_IDS`]. The generator reads the rules as follows: medications
    /// and procedures recorded as pertinent negatives (a `PN` attribute) were not given and fire
    /// nothing; `naloxone` counts only doses given by this unit (`eMedications.02` = No);
    /// deterioration compares the first and the last vital sets (the generator makes comparing
    /// the first and last *values* give the same answer); time rules compare whole minutes and
    /// seconds alike (no interval lies within a minute of a threshold); a child is under 18
    /// years, or aged in months/days/hours/minutes. A call fires none of the rules not listed.
    pub intended_triggers: Vec<String>,
    /// The generator's scenario for the call (e.g. `"stemi"`, `"opioid_overdose"`), for
    /// debugging and statistics; not written into the XML.
    pub scenario: String,
}

/// One `eVitals.VitalGroup`, values as written (`None` when nil).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VitalFacts {
    /// `eVitals.01`, when the vitals were taken.
    pub taken_at: Option<String>,
    /// `eVitals.06`, systolic blood pressure.
    pub systolic: Option<String>,
    /// `eVitals.07`, diastolic blood pressure.
    pub diastolic: Option<String>,
    /// `eVitals.10`, heart rate.
    pub heart_rate: Option<String>,
    /// `eVitals.12`, pulse oximetry (%).
    pub spo2: Option<String>,
    /// `eVitals.14`, respiratory rate.
    pub respiratory_rate: Option<String>,
    /// `eVitals.16`, end-tidal CO2 (mmHg).
    pub etco2: Option<String>,
    /// `eVitals.18`, blood glucose (mg/dL).
    pub glucose: Option<String>,
    /// `eVitals.19`, GCS eye.
    pub gcs_eye: Option<String>,
    /// `eVitals.20`, GCS verbal.
    pub gcs_verbal: Option<String>,
    /// `eVitals.21`, GCS motor.
    pub gcs_motor: Option<String>,
    /// `eVitals.23`, total GCS.
    pub gcs_total: Option<String>,
    /// `eVitals.26`, level of responsiveness (AVPU) code.
    pub avpu: Option<String>,
    /// `eVitals.27`, pain scale score.
    pub pain: Option<String>,
}

/// One `eMedications.MedicationGroup`, values as written (`None` when nil).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MedicationFacts {
    /// `eMedications.01`, when it was given.
    pub given_at: Option<String>,
    /// `eMedications.02`, given prior to this unit's care (`9923003`) or not (`9923001`).
    pub prior_to_ems: Option<String>,
    /// `eMedications.03`, the RxNorm code (also written when the medication is a pertinent
    /// negative: it names the medication not given).
    pub medication: Option<String>,
    /// The `PN` attribute of `eMedications.03` when the medication was *not* given (e.g.
    /// `8801001` contraindication noted, `8801019` refused, `8801009` already taken).
    pub medication_pn: Option<String>,
    /// `eMedications.04`, route code.
    pub route: Option<String>,
    /// `eMedications.05`, dose.
    pub dose: Option<String>,
    /// `eMedications.06`, dose units code.
    pub dose_units: Option<String>,
    /// `eMedications.07`, response code.
    pub response: Option<String>,
    /// `eMedications.08`, complication codes (`3708031` none).
    pub complications: Vec<String>,
}

/// One `eProcedures.ProcedureGroup`, values as written (`None` when nil).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcedureFacts {
    /// `eProcedures.01`, when it was performed.
    pub performed_at: Option<String>,
    /// `eProcedures.02`, performed prior to this unit's care (`9923003`) or not (`9923001`).
    pub prior_to_ems: Option<String>,
    /// `eProcedures.03`, the SNOMED CT code (also written for a pertinent negative).
    pub procedure: Option<String>,
    /// The `PN` attribute of `eProcedures.03` when the procedure was *not* done.
    pub procedure_pn: Option<String>,
    /// `eProcedures.05`, number of attempts.
    pub attempts: Option<String>,
    /// `eProcedures.06`, successful (`9923003`) or not (`9923001`).
    pub successful: Option<String>,
    /// `eProcedures.07`, complication codes (`3907033` none).
    pub complications: Vec<String>,
}

/// A streaming iterator of generated documents; see [`generate`].
#[derive(Debug, Clone)]
struct Generator {
    opts: GeneratorOptions,
    next_report: usize,
    next_file: usize,
}

impl Iterator for Generator {
    type Item = GeneratedFile;

    fn next(&mut self) -> Option<GeneratedFile> {
        if self.next_report >= self.opts.count {
            return None;
        }
        let per_file = self.opts.reports_per_file.max(1);
        let end = (self.next_report + per_file).min(self.opts.count);
        let calls: Vec<model::Call> = (self.next_report..end)
            .map(|i| build::build_call(&self.opts, i))
            .collect();
        self.next_report = end;
        self.next_file += 1;
        let xml = render::document(&self.opts, &calls);
        let file_name = format!(
            "harbor-synthetic-{}-{:06}.xml",
            sanitize_for_file_name(&self.opts.agency_number),
            self.next_file
        );
        Some(GeneratedFile {
            file_name,
            xml,
            calls: calls.into_iter().map(|c| c.facts).collect(),
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let per_file = self.opts.reports_per_file.max(1);
        let left = self
            .opts
            .count
            .saturating_sub(self.next_report)
            .div_ceil(per_file);
        (left, Some(left))
    }
}

fn sanitize_for_file_name(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// Generates `opts.count` reports, `opts.reports_per_file` to a document, lazily: each
/// document is built when the iterator is advanced. Deterministic for given options.
pub fn generate(opts: &GeneratorOptions) -> impl Iterator<Item = GeneratedFile> + use<> {
    Generator {
        opts: opts.clone(),
        next_report: 0,
        next_file: 0,
    }
}

/// Generates the documents of [`generate`] and writes each as `out_dir/<file_name>` (creating
/// `out_dir` if needed). Calls `progress` with the number of reports written so far after each
/// file. Returns the number of reports written.
pub fn write_files(
    opts: &GeneratorOptions,
    out_dir: &Path,
    mut progress: impl FnMut(usize),
) -> std::io::Result<usize> {
    std::fs::create_dir_all(out_dir)?;
    let mut written = 0;
    for file in generate(opts) {
        std::fs::write(out_dir.join(&file.file_name), file.xml.as_bytes())?;
        written += file.calls.len();
        progress(written);
    }
    Ok(written)
}

#[cfg(test)]
mod tests;
