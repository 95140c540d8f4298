//! From NEMSIS elements to the fields of an [`EpcrReference`]: which element goes where,
//! with codes resolved to labels and NV, PN and `xsi:nil` kept as they were written.

use crate::codes::{self, Table};
use harbor_core::records::{
    AirwayInfo, ArrestInfo, Coded, CrewMember, EpcrReference, MedicationGiven, NemsisValue,
    ProcedureDone, VitalSigns,
};

/// The attributes NEMSIS gives meaning to.
#[derive(Debug, Clone, Default)]
pub struct Attrs {
    /// `xsi:nil="true"`.
    pub nil: bool,
    /// The NV attribute.
    pub nv: Option<String>,
    /// The PN attribute.
    pub pn: Option<String>,
    /// The UUID attribute (PatientCareReport).
    pub uuid: Option<String>,
}

/// A leaf element being read.
#[derive(Debug)]
pub struct Leaf {
    /// Its name, e.g. `eVitals.06`.
    pub name: String,
    /// Its attributes.
    pub attrs: Attrs,
    /// Its text so far.
    pub text: String,
}

impl Leaf {
    /// A new leaf.
    pub fn new(name: String, attrs: Attrs) -> Self {
        Leaf {
            name,
            attrs,
            text: String::new(),
        }
    }
}

/// Whether a NEMSIS element name is a data element (`eVitals.06`) rather than a section or
/// a group (`eVitals`, `eVitals.VitalGroup`).
pub fn is_leaf(name: &str) -> bool {
    match name.split_once('.') {
        Some((_, suffix)) => !suffix.is_empty() && suffix.bytes().all(|b| b.is_ascii_digit()),
        None => false,
    }
}

/// Which code table an element's values come from.
fn table_of(element: &str) -> Option<Table<'_>> {
    match element {
        "eSituation.09" | "eSituation.10" | "eSituation.11" | "eSituation.12" => Some(Table::Icd10),
        "eMedications.03" => Some(Table::RxNorm),
        "eProcedures.03" => Some(Table::Snomed),
        e if codes::has_code_list(e) => Some(Table::Element(e)),
        _ => None,
    }
}

/// Builds one report's reference as its elements stream by.
#[derive(Debug)]
pub struct ReportBuilder {
    r: EpcrReference,
    saw_v351: bool,
    saw_v350: bool,
}

impl ReportBuilder {
    /// A new report with its UUID and the header's agency number.
    pub fn new(uuid: Option<String>, agency: Option<String>) -> Self {
        ReportBuilder {
            r: EpcrReference {
                report_uuid: uuid,
                agency_number: agency,
                ..EpcrReference::default()
            },
            saw_v351: false,
            saw_v350: false,
        }
    }

    /// A group element opened: repeating groups start a new item.
    pub fn open_group(&mut self, name: &str) {
        match name {
            "eCrew.CrewGroup" => self.r.crew.push(CrewMember::default()),
            "eVitals.VitalGroup" => self.r.vitals.push(VitalSigns::default()),
            "eMedications.MedicationGroup" => self.r.medications.push(MedicationGiven::default()),
            "eProcedures.ProcedureGroup" => self.r.procedures.push(ProcedureDone::default()),
            "eAirway" => {
                self.r.airway.get_or_insert_with(AirwayInfo::default);
            }
            "eArrest" => {
                self.r.arrest.get_or_insert_with(ArrestInfo::default);
            }
            _ => {}
        }
    }

    /// A group element closed.
    pub fn close_group(&mut self, _name: &str) {}

    /// A leaf element read whole.
    pub fn leaf(&mut self, leaf: Leaf) {
        let name = leaf.name.as_str();
        let value = self.value(&leaf);
        let r = &mut self.r;
        macro_rules! last {
            ($list:expr) => {{
                if $list.is_empty() {
                    $list.push(Default::default());
                }
                $list.last_mut().expect("not empty")
            }};
        }
        match name {
            "eRecord.01" => {
                r.pcr_number = value.value.clone().unwrap_or_default().trim().to_owned()
            }
            "eResponse.03" => r.incident_number = Some(value),
            "eResponse.04" => r.response_number = Some(value),
            "eResponse.05" => r.service_type = Some(value),
            "eResponse.13" => r.unit = Some(value),
            "eResponse.14" => r.call_sign = Some(value),
            "eDispatch.01" => r.dispatch_complaint = Some(value),
            "eCrew.01" => last!(r.crew).id = Some(value),
            "eCrew.02" => last!(r.crew).level = Some(value),
            "eCrew.03" => last!(r.crew).roles.push(value),
            "eTimes.01" => r.times.psap_call = Some(value),
            "eTimes.03" => r.times.unit_notified = Some(value),
            "eTimes.05" => r.times.en_route = Some(value),
            "eTimes.06" => r.times.on_scene = Some(value),
            "eTimes.07" => r.times.at_patient = Some(value),
            "eTimes.09" => r.times.left_scene = Some(value),
            "eTimes.11" => r.times.at_destination = Some(value),
            "eTimes.12" => r.times.transfer_of_care = Some(value),
            "eTimes.13" => r.times.back_in_service = Some(value),
            "ePatient.15" => r.patient.age = Some(value),
            "ePatient.16" => r.patient.age_units = Some(value),
            "ePatient.25" => {
                self.saw_v351 = true;
                r.patient.sex = Some(value);
            }
            "ePatient.13" => {
                self.saw_v350 = true;
                if r.patient.sex.is_none() {
                    r.patient.sex = Some(value);
                }
            }
            "eSituation.04" => r.chief_complaint = Some(value),
            "eSituation.09" => r.primary_symptom = Some(value),
            "eSituation.11" => r.primary_impression = Some(value),
            "eSituation.12" => r.secondary_impressions.push(value),
            "eSituation.13" => r.initial_acuity = Some(value),
            "eVitals.01" => last!(r.vitals).taken_at = Some(value),
            "eVitals.06" => last!(r.vitals).systolic = Some(value),
            "eVitals.07" => last!(r.vitals).diastolic = Some(value),
            "eVitals.10" => last!(r.vitals).heart_rate = Some(value),
            "eVitals.12" => last!(r.vitals).spo2 = Some(value),
            "eVitals.14" => last!(r.vitals).respiratory_rate = Some(value),
            "eVitals.16" => last!(r.vitals).etco2 = Some(value),
            "eVitals.18" => last!(r.vitals).glucose = Some(value),
            "eVitals.19" => last!(r.vitals).gcs_eye = Some(value),
            "eVitals.20" => last!(r.vitals).gcs_verbal = Some(value),
            "eVitals.21" => last!(r.vitals).gcs_motor = Some(value),
            "eVitals.23" => last!(r.vitals).gcs_total = Some(value),
            "eVitals.26" => last!(r.vitals).avpu = Some(value),
            "eVitals.27" => last!(r.vitals).pain = Some(value),
            "eMedications.01" => last!(r.medications).given_at = Some(value),
            "eMedications.02" => last!(r.medications).prior_to_ems = Some(value),
            "eMedications.03" => last!(r.medications).medication = Some(value),
            "eMedications.04" => last!(r.medications).route = Some(value),
            "eMedications.05" => last!(r.medications).dose = Some(value),
            "eMedications.06" => last!(r.medications).dose_units = Some(value),
            "eMedications.07" => last!(r.medications).response = Some(value),
            "eMedications.08" => last!(r.medications).complications.push(value),
            "eProcedures.01" => last!(r.procedures).performed_at = Some(value),
            "eProcedures.02" => last!(r.procedures).prior_to_ems = Some(value),
            "eProcedures.03" => last!(r.procedures).procedure = Some(value),
            "eProcedures.05" => last!(r.procedures).attempts = Some(value),
            "eProcedures.06" => last!(r.procedures).successful = Some(value),
            "eProcedures.07" => last!(r.procedures).complications.push(value),
            "eAirway.01" => r
                .airway
                .get_or_insert_with(Default::default)
                .indications
                .push(value),
            "eAirway.03" => r
                .airway
                .get_or_insert_with(Default::default)
                .devices
                .push(value),
            "eAirway.04" => r
                .airway
                .get_or_insert_with(Default::default)
                .confirmation_methods
                .push(value),
            "eAirway.08" => r
                .airway
                .get_or_insert_with(Default::default)
                .complications
                .push(value),
            "eAirway.09" => r
                .airway
                .get_or_insert_with(Default::default)
                .failure_reasons
                .push(value),
            "eArrest.01" => {
                r.arrest.get_or_insert_with(Default::default).cardiac_arrest = Some(value)
            }
            "eArrest.02" => r.arrest.get_or_insert_with(Default::default).etiology = Some(value),
            "eArrest.11" => {
                r.arrest.get_or_insert_with(Default::default).first_rhythm = Some(value)
            }
            "eArrest.12" => r
                .arrest
                .get_or_insert_with(Default::default)
                .rosc
                .push(value),
            "eArrest.14" => r.arrest.get_or_insert_with(Default::default).arrest_at = Some(value),
            "eArrest.18" => r.arrest.get_or_insert_with(Default::default).outcome = Some(value),
            "eDisposition.12" => {
                self.saw_v350 = true;
                r.disposition.incident_disposition = Some(value);
            }
            "eDisposition.27" => {
                self.saw_v351 = true;
                r.disposition.unit_disposition = Some(value);
            }
            "eDisposition.28" => r.disposition.patient_evaluation_care = Some(value),
            "eDisposition.29" => r.disposition.crew_disposition = Some(value),
            "eDisposition.30" => r.disposition.transport_disposition = Some(value),
            "eOther.05" => r.crew_injury = Some(value),
            "eNarrative.01" => r.narrative = Some(value),
            _ => {}
        }
    }

    fn value(&mut self, leaf: &Leaf) -> NemsisValue {
        let text = leaf.text.trim();
        let mut v = NemsisValue {
            nil: leaf.attrs.nil,
            ..NemsisValue::default()
        };
        if !text.is_empty() {
            v.value = Some(if leaf.name == "eNarrative.01" {
                leaf.text.clone()
            } else {
                text.to_owned()
            });
            if let Some(table) = table_of(&leaf.name) {
                v.label = codes::label(table, text).map(str::to_owned);
                if v.label.is_none() && matches!(table, Table::Element(_)) {
                    self.r.warnings.push(format!(
                        "{}: code '{}' is not in the NEMSIS 3.5.1 code list of this element",
                        leaf.name,
                        text.chars().take(32).collect::<String>()
                    ));
                }
            }
        }
        if let Some(nv) = &leaf.attrs.nv {
            v.not_value = Some(Coded {
                label: codes::label(Table::NotValue, nv).map(str::to_owned),
                code: nv.clone(),
            });
        }
        if let Some(pn) = &leaf.attrs.pn {
            v.pertinent_negative = Some(Coded {
                label: codes::label(Table::PertinentNegative, pn).map(str::to_owned),
                code: pn.clone(),
            });
        }
        v
    }

    /// The finished reference.
    pub fn finish(mut self, version_hint: Option<&str>) -> EpcrReference {
        let r = &mut self.r;
        r.nemsis_version = version_hint.map(str::to_owned).or(if self.saw_v351 {
            Some("3.5.1".into())
        } else if self.saw_v350 {
            Some("3.5.0".into())
        } else {
            None
        });
        r.call_date = [&r.times.psap_call, &r.times.unit_notified]
            .into_iter()
            .flatten()
            .find_map(|t| t.present().and_then(parse_time))
            .map(|t| t.date_naive());
        check_time_order(r);
        r.clone()
    }
}

/// Parses an `xs:dateTime` as NEMSIS writes it (with an offset).
pub fn parse_time(s: &str) -> Option<chrono::DateTime<chrono::FixedOffset>> {
    chrono::DateTime::parse_from_rfc3339(s.trim()).ok()
}

fn check_time_order(r: &mut EpcrReference) {
    let t = &r.times;
    let seq = [
        ("eTimes.01", &t.psap_call),
        ("eTimes.03", &t.unit_notified),
        ("eTimes.05", &t.en_route),
        ("eTimes.06", &t.on_scene),
        ("eTimes.07", &t.at_patient),
        ("eTimes.09", &t.left_scene),
        ("eTimes.11", &t.at_destination),
        ("eTimes.12", &t.transfer_of_care),
        ("eTimes.13", &t.back_in_service),
    ];
    let mut last: Option<(&str, chrono::DateTime<chrono::FixedOffset>)> = None;
    let mut warnings = Vec::new();
    for (name, value) in seq {
        let Some(v) = value.as_ref().and_then(|v| v.present()) else {
            continue;
        };
        match parse_time(v) {
            None => warnings.push(format!("{name}: not a date and time with an offset")),
            Some(time) => {
                if let Some((prev_name, prev)) = last
                    && time < prev
                {
                    warnings.push(format!("{name} is earlier than {prev_name}"));
                }
                last = Some((name, time));
            }
        }
    }
    r.warnings.extend(warnings);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaves_and_groups_are_told_apart() {
        assert!(is_leaf("eVitals.06"));
        assert!(is_leaf("dAgency.02"));
        assert!(!is_leaf("eVitals.VitalGroup"));
        assert!(!is_leaf("eVitals"));
        assert!(!is_leaf("PatientCareReport"));
    }
}
