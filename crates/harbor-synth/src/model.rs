//! The generator's internal model of one call: everything the renderer writes. Times are
//! seconds after the call's PSAP time, turned into `xs:dateTime`s by [`Clock`].

use super::CallFacts;

/// NV: not applicable.
pub(crate) const NA: &str = "7701001";
/// NV: not recorded.
pub(crate) const NR: &str = "7701003";

/// Converts call-relative seconds into NEMSIS date/times with the agency's UTC offset.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Clock {
    /// Local date/time of the PSAP call (second 0).
    pub(crate) base: chrono::NaiveDateTime,
    /// UTC offset in minutes.
    pub(crate) offset_minutes: i32,
}

impl Clock {
    pub(crate) fn at(&self, secs: i64) -> chrono::NaiveDateTime {
        self.base + chrono::Duration::seconds(secs)
    }

    /// `YYYY-MM-DDThh:mm:ss±hh:mm`.
    pub(crate) fn fmt(&self, secs: i64) -> String {
        use chrono::{Datelike, Timelike};
        let t = self.at(secs);
        let sign = if self.offset_minutes < 0 { '-' } else { '+' };
        let off = self.offset_minutes.unsigned_abs();
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{}{:02}:{:02}",
            t.year(),
            t.month(),
            t.day(),
            t.hour(),
            t.minute(),
            t.second(),
            sign,
            off / 60,
            off % 60
        )
    }

    /// `hh:mm`, for narratives.
    pub(crate) fn hhmm(&self, secs: i64) -> String {
        use chrono::Timelike;
        let t = self.at(secs);
        format!("{:02}{:02}", t.hour(), t.minute())
    }
}

/// A crew member on the call.
#[derive(Debug, Clone)]
pub(crate) struct CrewMember {
    pub(crate) id: String,
    /// eCrew.02 (99250xx).
    pub(crate) level: &'static str,
    /// eMedications.10 / eProcedures.10 (99050xx).
    pub(crate) caregiver_level: &'static str,
    /// eCrew.03.
    pub(crate) role: &'static str,
}

/// eTimes.01..=17, index = element number.
#[derive(Debug, Clone)]
pub(crate) struct Times {
    pub(crate) t: [Option<i64>; 18],
    /// The NV written for a mandatory time that is `None`.
    pub(crate) nv: [&'static str; 18],
}

impl Times {
    pub(crate) fn get(&self, n: usize) -> Option<i64> {
        self.t[n]
    }
}

/// A patient.
#[derive(Debug, Clone)]
pub(crate) struct Patient {
    pub(crate) first: &'static str,
    pub(crate) last: &'static str,
    /// Name unknown (unresponsive, no ID): written nil with PN unable to complete.
    pub(crate) name_unknown: bool,
    pub(crate) age: u32,
    /// ePatient.16.
    pub(crate) age_units: &'static str,
    /// Age in years (fractional for infants), for decisions.
    pub(crate) age_years: f64,
    pub(crate) sex: &'static str,
    pub(crate) race: &'static str,
    pub(crate) dob: chrono::NaiveDate,
    pub(crate) street: String,
    pub(crate) city_gnis: &'static str,
    pub(crate) county: &'static str,
    pub(crate) zip: &'static str,
    pub(crate) weight_kg: f64,
}

impl Patient {
    pub(crate) fn is_child(&self) -> bool {
        self.age_years < 18.0
    }
}

/// Situation (eSituation).
#[derive(Debug, Clone, Default)]
pub(crate) struct Situation {
    pub(crate) onset: Option<i64>,
    pub(crate) onset_approx: bool,
    pub(crate) possible_injury: &'static str,
    pub(crate) complaint: Option<String>,
    pub(crate) duration: Option<(u32, &'static str)>,
    pub(crate) anatomic: Option<&'static str>,
    pub(crate) organ: Option<&'static str>,
    pub(crate) symptom: Option<&'static str>,
    pub(crate) other_symptoms: Vec<&'static str>,
    /// Symptoms recorded as not present (eSituation.10 with PN symptom not present).
    pub(crate) absent_symptoms: Vec<&'static str>,
    pub(crate) impression: Option<&'static str>,
    pub(crate) secondary: Vec<&'static str>,
    pub(crate) acuity: Option<&'static str>,
    pub(crate) last_known_well: Option<i64>,
    pub(crate) ift_reason: Option<&'static str>,
    pub(crate) ift_justification: Option<String>,
}

/// Injury (eInjury); `None` on the call for medical calls.
#[derive(Debug, Clone)]
pub(crate) struct Injury {
    pub(crate) cause: &'static str,
    pub(crate) mechanism: &'static str,
    pub(crate) steps12: Vec<&'static str>,
    pub(crate) steps34: Vec<&'static str>,
    pub(crate) safety: Option<&'static str>,
    pub(crate) fall_height_ft: Option<u32>,
}

/// Cardiac arrest details (eArrest) when eArrest.01 is yes.
#[derive(Debug, Clone)]
pub(crate) struct Arrest {
    /// eArrest.01: 3001003 or 3001005.
    pub(crate) when: &'static str,
    pub(crate) etiology: &'static str,
    pub(crate) resuscitation: Vec<&'static str>,
    pub(crate) witnessed: &'static str,
    pub(crate) aed: &'static str,
    pub(crate) cpr_types: Vec<&'static str>,
    pub(crate) first_rhythm: &'static str,
    pub(crate) rosc: &'static str,
    /// Time of arrest (written approximate), `None` when unknown.
    pub(crate) at: Option<i64>,
    pub(crate) cpr_started: Option<i64>,
    pub(crate) discontinued: Option<&'static str>,
    pub(crate) discontinued_at: Option<i64>,
    pub(crate) rhythms_at_destination: Vec<&'static str>,
    pub(crate) outcome: &'static str,
    pub(crate) who_cpr: Option<&'static str>,
    pub(crate) who_aed: Option<&'static str>,
    pub(crate) who_defib: Option<&'static str>,
}

/// History (eHistory).
#[derive(Debug, Clone, Default)]
pub(crate) struct History {
    pub(crate) barriers: Vec<&'static str>,
    pub(crate) advance_directive: Option<&'static str>,
    /// RxNorm allergies; empty with `nkda` = no known drug allergies.
    pub(crate) allergies: Vec<&'static str>,
    pub(crate) nkda: bool,
    pub(crate) conditions: Vec<&'static str>,
    pub(crate) history_from: Option<&'static str>,
    /// Current medications (RxNorm).
    pub(crate) meds: Vec<&'static str>,
    pub(crate) alcohol_drugs: Vec<&'static str>,
    pub(crate) pregnancy: Option<&'static str>,
}

/// A value that may instead be nil with a pertinent negative.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Reading {
    Value(i64),
    /// nil with PN.
    Pn(&'static str),
}

impl Reading {
    pub(crate) fn value(self) -> Option<i64> {
        match self {
            Reading::Value(v) => Some(v),
            _ => None,
        }
    }
}

/// One vital signs set.
#[derive(Debug, Clone)]
pub(crate) struct Vital {
    pub(crate) at: i64,
    /// eVitals.03 rhythm(s); empty = nil NV.
    pub(crate) rhythm: Option<&'static str>,
    pub(crate) ecg_type: Option<&'static str>,
    pub(crate) ecg_method: Option<&'static str>,
    pub(crate) sbp: Reading,
    pub(crate) dbp: Option<i64>,
    pub(crate) bp_method: Option<&'static str>,
    pub(crate) hr: Reading,
    pub(crate) hr_method: Option<&'static str>,
    pub(crate) spo2: Reading,
    pub(crate) rr: Reading,
    pub(crate) resp_effort: Option<&'static str>,
    pub(crate) etco2: Option<i64>,
    pub(crate) glucose: Option<String>,
    pub(crate) gcs: Option<(i64, i64, i64)>,
    pub(crate) gcs_qualifier: &'static str,
    pub(crate) temp_c: Option<f64>,
    pub(crate) avpu: &'static str,
    pub(crate) pain: Option<i64>,
    pub(crate) pain_type: &'static str,
    /// eVitals.29/.30.
    pub(crate) stroke: Option<(&'static str, &'static str)>,
    pub(crate) reperfusion: Option<&'static str>,
}

impl Vital {
    pub(crate) fn gcs_total(&self) -> Option<i64> {
        self.gcs.map(|(e, v, m)| e + v + m)
    }
}

/// One medication.
#[derive(Debug, Clone)]
pub(crate) struct Med {
    pub(crate) at: Option<i64>,
    pub(crate) prior: bool,
    pub(crate) code: &'static str,
    pub(crate) pn: Option<&'static str>,
    pub(crate) route: &'static str,
    pub(crate) dose: String,
    pub(crate) units: &'static str,
    pub(crate) response: &'static str,
    pub(crate) complications: Vec<&'static str>,
    /// Index into the crew, or `None` (given before EMS by someone else).
    pub(crate) by: Option<usize>,
    /// eMedications.10.
    pub(crate) level: &'static str,
}

/// One procedure.
#[derive(Debug, Clone)]
pub(crate) struct Proc {
    pub(crate) at: Option<i64>,
    pub(crate) prior: bool,
    pub(crate) code: &'static str,
    pub(crate) pn: Option<&'static str>,
    pub(crate) size: Option<String>,
    pub(crate) attempts: i64,
    pub(crate) success: bool,
    pub(crate) complications: Vec<&'static str>,
    pub(crate) response: &'static str,
    pub(crate) by: Option<usize>,
    pub(crate) level: &'static str,
    pub(crate) location: Option<&'static str>,
    pub(crate) technique: Option<&'static str>,
}

/// One airway device confirmation.
#[derive(Debug, Clone)]
pub(crate) struct Confirmation {
    pub(crate) at: i64,
    pub(crate) device: &'static str,
    pub(crate) methods: Vec<&'static str>,
    pub(crate) depth_cm: Option<i64>,
    pub(crate) by: usize,
}

/// eAirway.
#[derive(Debug, Clone)]
pub(crate) struct Airway {
    pub(crate) indications: Vec<&'static str>,
    pub(crate) confirmations: Vec<Confirmation>,
    pub(crate) complications: Vec<&'static str>,
    pub(crate) failures: Vec<&'static str>,
    pub(crate) decision_at: i64,
    pub(crate) abandoned_at: Option<i64>,
}

/// A destination facility.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Facility {
    pub(crate) name: &'static str,
    pub(crate) code: &'static str,
    pub(crate) street: &'static str,
    pub(crate) city_gnis: &'static str,
    pub(crate) county: &'static str,
    pub(crate) zip: &'static str,
    pub(crate) designations: &'static [&'static str],
    /// Typical minutes from the service area.
    pub(crate) minutes: (i64, i64),
}

/// eDisposition.
#[derive(Debug, Clone)]
pub(crate) struct Disposition {
    pub(crate) destination: Option<Facility>,
    /// Destination of type other than a hospital ED (e.g. 4221041 skilled nursing).
    pub(crate) destination_type: Option<&'static str>,
    pub(crate) unit: &'static str,
    pub(crate) evaluation: Option<&'static str>,
    pub(crate) crew: Option<&'static str>,
    pub(crate) transport: Option<&'static str>,
    pub(crate) refusal_reasons: Vec<&'static str>,
    pub(crate) position: Option<&'static str>,
    pub(crate) method: Option<&'static str>,
    pub(crate) mode: Option<&'static str>,
    pub(crate) mode_descriptor: Option<&'static str>,
    pub(crate) release_acuity: Option<&'static str>,
    pub(crate) reasons: Vec<&'static str>,
    pub(crate) inpatient: Option<&'static str>,
    pub(crate) activation: Option<(&'static str, i64)>,
    pub(crate) instructions: Vec<&'static str>,
    pub(crate) level_of_care: Option<&'static str>,
}

/// Scene (eScene).
#[derive(Debug, Clone)]
pub(crate) struct Scene {
    pub(crate) location_type: &'static str,
    pub(crate) facility_name: Option<&'static str>,
    pub(crate) street: String,
    pub(crate) apartment: Option<String>,
    pub(crate) city_gnis: &'static str,
    pub(crate) county: &'static str,
    pub(crate) zip: &'static str,
    pub(crate) cross_street: Option<&'static str>,
    pub(crate) gps: String,
    pub(crate) other_services: Vec<&'static str>,
    pub(crate) patients: &'static str,
}

/// Response, dispatch and unit details.
#[derive(Debug, Clone)]
pub(crate) struct Response {
    pub(crate) unit_capability: &'static str,
    pub(crate) dispatch_delay: &'static str,
    pub(crate) response_delay: &'static str,
    pub(crate) scene_delay: &'static str,
    pub(crate) transport_delay: &'static str,
    pub(crate) turnaround_delay: &'static str,
    pub(crate) station: &'static str,
    pub(crate) odometer: (f64, f64, f64, f64),
    pub(crate) mode: &'static str,
    pub(crate) mode_descriptor: &'static str,
    pub(crate) emd: &'static str,
    pub(crate) determinant: Option<String>,
    pub(crate) priority: &'static str,
    pub(crate) cad_id: String,
}

/// Crew injury and signatures (eOther).
#[derive(Debug, Clone, Default)]
pub(crate) struct Other {
    /// Crew member index, injured?, eOther.06 type.
    pub(crate) crew_member: Option<(usize, bool, Option<&'static str>)>,
    pub(crate) refusal_signature: bool,
    pub(crate) transfer_signature: Option<&'static str>,
}

/// Everything about one call.
#[derive(Debug, Clone)]
pub(crate) struct Call {
    pub(crate) clock: Clock,
    pub(crate) agency_name: &'static str,
    pub(crate) response: Response,
    pub(crate) crew_members: Vec<CrewMember>,
    pub(crate) times_full: Times,
    pub(crate) patient: Option<Patient>,
    pub(crate) payment: Option<&'static str>,
    pub(crate) cms_level: Option<&'static str>,
    pub(crate) scene: Scene,
    pub(crate) situation: Situation,
    pub(crate) injury: Option<Injury>,
    pub(crate) arrest: Option<Arrest>,
    pub(crate) history: History,
    pub(crate) narrative_omitted: bool,
    pub(crate) vital_sets: Vec<Vital>,
    pub(crate) protocols: Vec<&'static str>,
    pub(crate) meds: Vec<Med>,
    pub(crate) procs: Vec<Proc>,
    pub(crate) airway: Option<Airway>,
    pub(crate) disposition: Disposition,
    pub(crate) other: Option<Other>,
    /// The facts (filled in last; `narrative`, `intended_triggers` etc. live here).
    pub(crate) facts: CallFacts,
}
