//! Writes the model as NEMSIS 3.5.1 XML, element by element in XSD order.

use super::GeneratorOptions;
use super::model::{Call, NA, NR, Reading, Vital};
use super::tables;
use super::xml::XmlWriter;

const YES: &str = "9923003";
const NO: &str = "9923001";
const RXNORM: &str = "9924003";

/// A whole `EMSDataSet` document holding the given reports.
pub(crate) fn document(opts: &GeneratorOptions, calls: &[Call]) -> String {
    let mut w = XmlWriter::with_capacity(24_000 * calls.len().max(1));
    w.out
        .push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    w.open_attrs(
        "EMSDataSet",
        &[
            ("xmlns", "http://www.nemsis.org"),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            (
                "xsi:schemaLocation",
                "http://www.nemsis.org https://nemsis.org/media/nemsis_v3/release-3.5.1/XSDs/NEMSIS_XSDs/EMSDataSet_v3.xsd",
            ),
        ],
    );
    w.open("Header");
    w.open("DemographicGroup");
    w.leaf(
        "dAgency.01",
        &format!("NH-{}", truncate(&opts.agency_number, 40)),
    );
    w.leaf("dAgency.02", &agency_number(opts));
    w.leaf("dAgency.04", tables::STATE);
    w.close("DemographicGroup");
    for call in calls {
        report(&mut w, opts, call);
    }
    w.close("Header");
    w.close("EMSDataSet");
    w.out
}

fn truncate(s: &str, n: usize) -> &str {
    match s.char_indices().nth(n) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// The agency number as written (1 to 15 characters).
pub(crate) fn agency_number(opts: &GeneratorOptions) -> String {
    let a = truncate(opts.agency_number.trim(), 15);
    if a.is_empty() {
        "3301".to_owned()
    } else {
        a.to_owned()
    }
}

fn report(w: &mut XmlWriter, opts: &GeneratorOptions, c: &Call) {
    let f = &c.facts;
    w.open_attrs("PatientCareReport", &[("UUID", &f.report_uuid)]);

    // eRecord
    w.open("eRecord");
    w.leaf("eRecord.01", &f.pcr_number);
    w.open("eRecord.SoftwareApplicationGroup");
    w.leaf("eRecord.02", "Harbor Project");
    w.leaf("eRecord.03", "Harbor Synthetic ePCR Generator");
    w.leaf("eRecord.04", env!("CARGO_PKG_VERSION"));
    w.close("eRecord.SoftwareApplicationGroup");
    w.close("eRecord");

    response(w, opts, c);
    dispatch(w, c);

    // eCrew
    w.open("eCrew");
    for m in &c.crew_members {
        w.open("eCrew.CrewGroup");
        w.leaf("eCrew.01", &m.id);
        w.leaf("eCrew.02", m.level);
        w.leaf("eCrew.03", m.role);
        w.close("eCrew.CrewGroup");
    }
    w.close("eCrew");

    times(w, c);
    patient(w, c);

    // ePayment
    w.open("ePayment");
    w.opt("ePayment.01", c.payment, NA);
    w.opt("ePayment.50", c.cms_level, NA);
    w.close("ePayment");

    scene(w, c);
    situation(w, c);
    injury(w, c);
    arrest(w, c);
    history(w, c);

    // eNarrative
    if !c.narrative_omitted {
        w.open("eNarrative");
        w.opt("eNarrative.01", f.narrative.as_deref(), NR);
        w.close("eNarrative");
    }

    vitals(w, c);

    // eProtocols
    w.open("eProtocols");
    if c.protocols.is_empty() {
        w.open("eProtocols.ProtocolGroup");
        w.nil_nv("eProtocols.01", NA);
        w.close("eProtocols.ProtocolGroup");
    }
    let age_cat = match &c.patient {
        Some(p) if p.is_child() => "3602005",
        Some(_) => "3602001",
        None => "3602003",
    };
    for p in &c.protocols {
        w.open("eProtocols.ProtocolGroup");
        w.leaf("eProtocols.01", p);
        w.leaf("eProtocols.02", age_cat);
        w.close("eProtocols.ProtocolGroup");
    }
    w.close("eProtocols");

    medications(w, c);
    procedures(w, c);
    airway(w, c);
    disposition(w, c);
    outcome(w);
    other(w, c);

    w.close("PatientCareReport");
}

fn response(w: &mut XmlWriter, opts: &GeneratorOptions, c: &Call) {
    let f = &c.facts;
    let r = &c.response;
    let transported = c.disposition.destination.is_some();
    w.open("eResponse");
    w.open("eResponse.AgencyGroup");
    w.leaf("eResponse.01", &agency_number(opts));
    w.leaf("eResponse.02", c.agency_name);
    w.close("eResponse.AgencyGroup");
    w.leaf("eResponse.03", &f.incident_number);
    w.leaf("eResponse.04", &f.response_number);
    w.open("eResponse.ServiceGroup");
    w.leaf("eResponse.05", &f.service_type);
    w.close("eResponse.ServiceGroup");
    w.leaf("eResponse.07", r.unit_capability);
    w.leaf("eResponse.08", r.dispatch_delay);
    w.leaf("eResponse.09", r.response_delay);
    if c.times_full.get(6).is_some() {
        w.leaf("eResponse.10", r.scene_delay);
    } else {
        w.nil_nv("eResponse.10", NA);
    }
    if transported {
        w.leaf("eResponse.11", r.transport_delay);
        w.leaf("eResponse.12", r.turnaround_delay);
    } else {
        w.nil_nv("eResponse.11", NA);
        w.nil_nv("eResponse.12", NA);
    }
    w.leaf("eResponse.13", &f.unit);
    w.leaf("eResponse.14", &f.call_sign);
    w.leaf("eResponse.16", r.station);
    let (o1, o2, o3, o4) = r.odometer;
    w.leaf_num("eResponse.19", format_args!("{o1:.1}"));
    if c.times_full.get(6).is_some() {
        w.leaf_num("eResponse.20", format_args!("{o2:.1}"));
    }
    if transported {
        w.leaf_num("eResponse.21", format_args!("{o3:.1}"));
    }
    w.leaf_num("eResponse.22", format_args!("{o4:.1}"));
    w.leaf("eResponse.23", r.mode);
    w.leaf("eResponse.24", r.mode_descriptor);
    w.close("eResponse");
}

fn dispatch(w: &mut XmlWriter, c: &Call) {
    let r = &c.response;
    w.open("eDispatch");
    w.leaf("eDispatch.01", &c.facts.dispatch_complaint);
    w.leaf("eDispatch.02", r.emd);
    if let Some(d) = &r.determinant {
        w.leaf("eDispatch.03", d);
    }
    w.leaf("eDispatch.04", "Harbor County ECC");
    w.leaf("eDispatch.05", r.priority);
    w.leaf("eDispatch.06", &r.cad_id);
    w.close("eDispatch");
}

fn times(w: &mut XmlWriter, c: &Call) {
    let t = &c.times_full;
    let clock = &c.clock;
    w.open("eTimes");
    for (n, tag) in ETIMES.iter().enumerate().take(15).skip(1) {
        // Optional elements we only write when known.
        let optional = matches!(n, 2 | 4 | 8 | 10 | 14);
        match t.get(n) {
            Some(s) => w.leaf(tag, &clock.fmt(s)),
            None if optional => {}
            None => w.nil_nv(tag, t.nv[n]),
        }
    }
    w.close("eTimes");
}

const ETIMES: [&str; 18] = [
    "",
    "eTimes.01",
    "eTimes.02",
    "eTimes.03",
    "eTimes.04",
    "eTimes.05",
    "eTimes.06",
    "eTimes.07",
    "eTimes.08",
    "eTimes.09",
    "eTimes.10",
    "eTimes.11",
    "eTimes.12",
    "eTimes.13",
    "eTimes.14",
    "eTimes.15",
    "eTimes.16",
    "eTimes.17",
];

fn patient(w: &mut XmlWriter, c: &Call) {
    w.open("ePatient");
    match &c.patient {
        Some(p) => {
            w.open("ePatient.PatientNameGroup");
            if p.name_unknown {
                w.nil_pn("ePatient.02", "8801023");
                w.nil_pn("ePatient.03", "8801023");
            } else {
                w.leaf("ePatient.02", p.last);
                w.leaf("ePatient.03", p.first);
            }
            w.close("ePatient.PatientNameGroup");
            if !p.name_unknown {
                w.leaf("ePatient.05", &p.street);
                w.leaf("ePatient.06", p.city_gnis);
            }
            w.leaf("ePatient.07", p.county);
            w.leaf("ePatient.08", tables::STATE);
            w.leaf("ePatient.09", p.zip);
            w.leaf("ePatient.10", "US");
            w.leaf("ePatient.14", p.race);
            w.open("ePatient.AgeGroup");
            w.leaf_num("ePatient.15", p.age);
            w.leaf("ePatient.16", p.age_units);
            w.close("ePatient.AgeGroup");
            if p.name_unknown {
                w.nil_pn("ePatient.17", "8801023");
            } else {
                w.leaf_num("ePatient.17", p.dob.format("%Y-%m-%d"));
            }
            w.leaf("ePatient.25", p.sex);
        }
        None => {
            w.nil_nv("ePatient.07", NA);
            w.nil_nv("ePatient.08", NA);
            w.nil_nv("ePatient.09", NA);
            w.nil_nv("ePatient.14", NA);
            w.open("ePatient.AgeGroup");
            w.nil_nv("ePatient.15", NA);
            w.nil_nv("ePatient.16", NA);
            w.close("ePatient.AgeGroup");
        }
    }
    w.close("ePatient");
}

fn scene(w: &mut XmlWriter, c: &Call) {
    let s = &c.scene;
    let arrived = c.times_full.get(6).is_some();
    w.open("eScene");
    if arrived {
        w.leaf("eScene.01", YES);
        for o in &s.other_services {
            w.open("eScene.ResponderGroup");
            w.leaf("eScene.04", o);
            w.close("eScene.ResponderGroup");
        }
        w.leaf("eScene.06", s.patients);
        w.leaf("eScene.07", NO);
    } else {
        w.nil_nv("eScene.01", NA);
        w.nil_nv("eScene.06", NA);
        w.nil_nv("eScene.07", NA);
    }
    w.nil_nv("eScene.08", NA);
    w.leaf("eScene.09", s.location_type);
    w.leaf("eScene.11", &s.gps);
    if let Some(n) = s.facility_name {
        w.leaf("eScene.13", n);
    }
    w.leaf("eScene.15", &s.street);
    if let Some(a) = &s.apartment {
        w.leaf("eScene.16", a);
    }
    w.leaf("eScene.17", s.city_gnis);
    w.leaf("eScene.18", tables::STATE);
    w.leaf("eScene.19", s.zip);
    if let Some(x) = s.cross_street {
        w.leaf("eScene.20", x);
    }
    w.leaf("eScene.21", s.county);
    w.leaf("eScene.22", "US");
    w.close("eScene");
}

fn situation(w: &mut XmlWriter, c: &Call) {
    let s = &c.situation;
    let clock = &c.clock;
    w.open("eSituation");
    match s.onset {
        Some(t) if s.onset_approx => {
            w.leaf_attrs("eSituation.01", &[("PN", "8801029")], &clock.fmt(t));
        }
        Some(t) => w.leaf("eSituation.01", &clock.fmt(t)),
        None => w.nil_nv("eSituation.01", if c.patient.is_some() { NR } else { NA }),
    }
    if c.patient.is_some() {
        w.leaf("eSituation.02", s.possible_injury);
    } else {
        w.nil_nv("eSituation.02", NA);
    }
    if let Some(text) = &s.complaint {
        w.open("eSituation.PatientComplaintGroup");
        w.leaf("eSituation.03", "2803001");
        w.leaf("eSituation.04", text);
        if let Some((n, units)) = s.duration {
            w.leaf_num("eSituation.05", n);
            w.leaf("eSituation.06", units);
        }
        w.close("eSituation.PatientComplaintGroup");
    }
    w.opt("eSituation.07", s.anatomic, NA);
    w.opt("eSituation.08", s.organ, NA);
    w.opt("eSituation.09", s.symptom, NA);
    if s.other_symptoms.is_empty() && s.absent_symptoms.is_empty() {
        w.nil_nv("eSituation.10", NA);
    }
    for o in &s.other_symptoms {
        w.leaf("eSituation.10", o);
    }
    for o in &s.absent_symptoms {
        w.leaf_attrs("eSituation.10", &[("PN", "8801031")], o);
    }
    w.opt("eSituation.11", s.impression, NA);
    if s.secondary.is_empty() {
        w.nil_nv("eSituation.12", NA);
    }
    for o in &s.secondary {
        w.leaf("eSituation.12", o);
    }
    w.opt("eSituation.13", s.acuity, NA);
    match s.last_known_well {
        Some(t) => w.leaf("eSituation.18", &clock.fmt(t)),
        None => w.nil_nv("eSituation.18", NA),
    }
    if let Some(j) = &s.ift_justification {
        w.leaf("eSituation.19", j);
    }
    w.opt("eSituation.20", s.ift_reason, NA);
    w.close("eSituation");
}

fn injury(w: &mut XmlWriter, c: &Call) {
    w.open("eInjury");
    match &c.injury {
        Some(i) => {
            w.leaf("eInjury.01", i.cause);
            w.leaf("eInjury.02", i.mechanism);
            if i.steps12.is_empty() {
                w.nil_pn("eInjury.03", "8801015");
            }
            for s in &i.steps12 {
                w.leaf("eInjury.03", s);
            }
            if i.steps34.is_empty() {
                w.nil_pn("eInjury.04", "8801015");
            }
            for s in &i.steps34 {
                w.leaf("eInjury.04", s);
            }
            if let Some(s) = i.safety {
                w.leaf("eInjury.07", s);
            }
            if let Some(h) = i.fall_height_ft {
                w.leaf_num("eInjury.09", h);
            }
        }
        None => {
            w.nil_nv("eInjury.01", NA);
            w.nil_nv("eInjury.03", NA);
            w.nil_nv("eInjury.04", NA);
        }
    }
    w.close("eInjury");
}

fn arrest(w: &mut XmlWriter, c: &Call) {
    let clock = &c.clock;
    w.open("eArrest");
    match &c.arrest {
        Some(a) => {
            w.leaf("eArrest.01", a.when);
            w.leaf("eArrest.02", a.etiology);
            for r in &a.resuscitation {
                w.leaf("eArrest.03", r);
            }
            w.leaf("eArrest.04", a.witnessed);
            w.leaf("eArrest.07", a.aed);
            if a.cpr_types.is_empty() {
                w.nil_nv("eArrest.09", NA);
            }
            for t in &a.cpr_types {
                w.leaf("eArrest.09", t);
            }
            w.leaf("eArrest.11", a.first_rhythm);
            w.leaf("eArrest.12", a.rosc);
            match a.at {
                Some(t) => w.leaf_attrs("eArrest.14", &[("PN", "8801029")], &clock.fmt(t)),
                // Unwitnessed, found down: time of arrest unknown.
                None => w.nil_pn("eArrest.14", "8801023"),
            }
            match a.cpr_started {
                Some(t) => w.leaf("eArrest.15", &clock.fmt(t)),
                None => w.nil_nv("eArrest.15", NA),
            }
            w.opt("eArrest.16", a.discontinued, NA);
            if a.rhythms_at_destination.is_empty() {
                w.nil_nv("eArrest.17", NA);
            }
            for r in &a.rhythms_at_destination {
                w.leaf("eArrest.17", r);
            }
            w.leaf("eArrest.18", a.outcome);
            if let Some(t) = a.discontinued_at {
                w.leaf("eArrest.19", &clock.fmt(t));
            }
            w.opt("eArrest.20", a.who_cpr, NA);
            w.opt("eArrest.21", a.who_aed, NA);
            w.opt("eArrest.22", a.who_defib, NA);
        }
        None => {
            w.leaf("eArrest.01", "3001001");
            for tag in [
                "eArrest.02",
                "eArrest.03",
                "eArrest.04",
                "eArrest.07",
                "eArrest.09",
                "eArrest.11",
                "eArrest.12",
                "eArrest.14",
                "eArrest.16",
                "eArrest.17",
                "eArrest.18",
                "eArrest.20",
                "eArrest.21",
                "eArrest.22",
            ] {
                w.nil_nv(tag, NA);
            }
        }
    }
    w.close("eArrest");
}

fn history(w: &mut XmlWriter, c: &Call) {
    let h = &c.history;
    w.open("eHistory");
    if c.patient.is_none() {
        w.nil_nv("eHistory.01", NA);
        w.nil_nv("eHistory.17", NA);
        w.close("eHistory");
        return;
    }
    for b in &h.barriers {
        w.leaf("eHistory.01", b);
    }
    if let Some(d) = h.advance_directive {
        w.leaf("eHistory.05", d);
    }
    if h.nkda {
        w.nil_pn("eHistory.06", "8801013");
    }
    for a in &h.allergies {
        w.leaf_attrs("eHistory.06", &[("CodeType", RXNORM)], a);
    }
    if h.conditions.is_empty() {
        w.nil_pn("eHistory.08", "8801015");
    }
    for cnd in &h.conditions {
        w.leaf("eHistory.08", cnd);
    }
    if let Some(src) = h.history_from {
        w.leaf("eHistory.09", src);
    }
    for m in &h.meds {
        w.open("eHistory.CurrentMedsGroup");
        w.leaf("eHistory.12", m);
        w.close("eHistory.CurrentMedsGroup");
    }
    if h.alcohol_drugs.is_empty() {
        w.nil_pn("eHistory.17", "8801015");
    }
    for a in &h.alcohol_drugs {
        w.leaf("eHistory.17", a);
    }
    if let Some(p) = h.pregnancy {
        w.leaf("eHistory.18", p);
    }
    w.close("eHistory");
}

fn reading(w: &mut XmlWriter, tag: &str, r: Reading) {
    match r {
        Reading::Value(v) => w.leaf_num(tag, v),
        Reading::Pn(pn) => w.nil_pn(tag, pn),
    }
}

fn vitals(w: &mut XmlWriter, c: &Call) {
    w.open("eVitals");
    if c.vital_sets.is_empty() {
        w.open("eVitals.VitalGroup");
        w.nil_nv("eVitals.01", NA);
        w.nil_nv("eVitals.02", NA);
        w.open("eVitals.CardiacRhythmGroup");
        w.nil_nv("eVitals.03", NA);
        w.nil_nv("eVitals.04", NA);
        w.nil_nv("eVitals.05", NA);
        w.close("eVitals.CardiacRhythmGroup");
        w.open("eVitals.BloodPressureGroup");
        w.nil_nv("eVitals.06", NA);
        w.close("eVitals.BloodPressureGroup");
        w.open("eVitals.HeartRateGroup");
        w.nil_nv("eVitals.10", NA);
        w.close("eVitals.HeartRateGroup");
        for tag in ["eVitals.12", "eVitals.14", "eVitals.16", "eVitals.18"] {
            w.nil_nv(tag, NA);
        }
        w.open("eVitals.GlasgowScoreGroup");
        for tag in ["eVitals.19", "eVitals.20", "eVitals.21", "eVitals.22"] {
            w.nil_nv(tag, NA);
        }
        w.close("eVitals.GlasgowScoreGroup");
        w.nil_nv("eVitals.26", NA);
        w.open("eVitals.PainScaleGroup");
        w.nil_nv("eVitals.27", NA);
        w.close("eVitals.PainScaleGroup");
        w.open("eVitals.StrokeScaleGroup");
        w.nil_nv("eVitals.29", NA);
        w.nil_nv("eVitals.30", NA);
        w.close("eVitals.StrokeScaleGroup");
        w.nil_nv("eVitals.31", NA);
        w.close("eVitals.VitalGroup");
    }
    for v in &c.vital_sets {
        vital(w, c, v);
    }
    w.close("eVitals");
}

fn vital(w: &mut XmlWriter, c: &Call, v: &Vital) {
    w.open("eVitals.VitalGroup");
    w.leaf("eVitals.01", &c.clock.fmt(v.at));
    w.leaf("eVitals.02", NO);
    w.open("eVitals.CardiacRhythmGroup");
    match (v.rhythm, v.ecg_type) {
        (Some(r), Some(t)) => {
            w.leaf("eVitals.03", r);
            w.leaf("eVitals.04", t);
            w.leaf("eVitals.05", v.ecg_method.unwrap_or("3305003"));
        }
        _ => {
            w.nil_nv("eVitals.03", NR);
            w.nil_nv("eVitals.04", NR);
            w.nil_nv("eVitals.05", NR);
        }
    }
    w.close("eVitals.CardiacRhythmGroup");
    w.open("eVitals.BloodPressureGroup");
    reading(w, "eVitals.06", v.sbp);
    if let Some(d) = v.dbp {
        w.leaf_num("eVitals.07", d);
    }
    if let Some(m) = v.bp_method {
        w.leaf("eVitals.08", m);
    }
    if let (Reading::Value(s), Some(d)) = (v.sbp, v.dbp) {
        w.leaf_num("eVitals.09", (s + 2 * d) / 3);
    }
    w.close("eVitals.BloodPressureGroup");
    w.open("eVitals.HeartRateGroup");
    reading(w, "eVitals.10", v.hr);
    if let (Reading::Value(_), Some(m)) = (v.hr, v.hr_method) {
        w.leaf("eVitals.11", m);
    }
    w.close("eVitals.HeartRateGroup");
    reading(w, "eVitals.12", v.spo2);
    if let Some(rhythm) = v.rhythm
        && matches!(rhythm, "9901007" | "9901009")
        && matches!(v.hr, Reading::Value(_))
    {
        w.leaf("eVitals.13", "3313001");
    } else if let Reading::Value(_) = v.hr {
        w.leaf("eVitals.13", "3313003");
    }
    reading(w, "eVitals.14", v.rr);
    if let Some(e) = v.resp_effort {
        w.leaf("eVitals.15", e);
    }
    match v.etco2 {
        Some(e) => w.leaf_attrs("eVitals.16", &[("ETCO2Type", "3340001")], &e.to_string()),
        None => w.nil_nv("eVitals.16", NR),
    }
    match &v.glucose {
        Some(g) => w.leaf("eVitals.18", g),
        None => w.nil_nv("eVitals.18", NR),
    }
    w.open("eVitals.GlasgowScoreGroup");
    match v.gcs {
        Some((e, vb, m)) => {
            w.leaf_num("eVitals.19", e);
            w.leaf_num("eVitals.20", vb);
            w.leaf_num("eVitals.21", m);
            w.leaf("eVitals.22", v.gcs_qualifier);
            w.leaf_num("eVitals.23", e + vb + m);
        }
        None => {
            for tag in ["eVitals.19", "eVitals.20", "eVitals.21", "eVitals.22"] {
                w.nil_nv(tag, NR);
            }
        }
    }
    w.close("eVitals.GlasgowScoreGroup");
    if let Some(t) = v.temp_c {
        w.open("eVitals.TemperatureGroup");
        w.leaf_num("eVitals.24", format_args!("{t:.1}"));
        w.leaf("eVitals.25", "3325013");
        w.close("eVitals.TemperatureGroup");
    }
    w.leaf("eVitals.26", v.avpu);
    w.open("eVitals.PainScaleGroup");
    match v.pain {
        Some(p) => {
            w.leaf_num("eVitals.27", p);
            w.leaf("eVitals.28", v.pain_type);
        }
        None => w.nil_pn("eVitals.27", "8801023"),
    }
    w.close("eVitals.PainScaleGroup");
    w.open("eVitals.StrokeScaleGroup");
    match v.stroke {
        Some((result, kind)) => {
            w.leaf("eVitals.29", result);
            w.leaf("eVitals.30", kind);
        }
        None => {
            w.nil_nv("eVitals.29", NA);
            w.nil_nv("eVitals.30", NA);
        }
    }
    w.close("eVitals.StrokeScaleGroup");
    w.opt("eVitals.31", v.reperfusion, NA);
    w.close("eVitals.VitalGroup");
}

fn medications(w: &mut XmlWriter, c: &Call) {
    let clock = &c.clock;
    w.open("eMedications");
    if c.meds.is_empty() {
        w.open("eMedications.MedicationGroup");
        for tag in [
            "eMedications.01",
            "eMedications.02",
            "eMedications.03",
            "eMedications.04",
        ] {
            w.nil_nv(tag, NA);
        }
        w.open("eMedications.DosageGroup");
        w.nil_nv("eMedications.05", NA);
        w.nil_nv("eMedications.06", NA);
        w.close("eMedications.DosageGroup");
        for tag in ["eMedications.07", "eMedications.08", "eMedications.10"] {
            w.nil_nv(tag, NA);
        }
        w.close("eMedications.MedicationGroup");
    }
    for m in &c.meds {
        w.open("eMedications.MedicationGroup");
        w.opt("eMedications.01", m.at.map(|t| clock.fmt(t)).as_deref(), NR);
        w.leaf("eMedications.02", if m.prior { YES } else { NO });
        match m.pn {
            Some(pn) => {
                w.leaf_attrs(
                    "eMedications.03",
                    &[("CodeType", RXNORM), ("PN", pn)],
                    m.code,
                );
                w.nil_nv("eMedications.04", NA);
                w.open("eMedications.DosageGroup");
                w.nil_nv("eMedications.05", NA);
                w.nil_nv("eMedications.06", NA);
                w.close("eMedications.DosageGroup");
                w.nil_nv("eMedications.07", NA);
                w.nil_nv("eMedications.08", NA);
            }
            None => {
                w.leaf_attrs("eMedications.03", &[("CodeType", RXNORM)], m.code);
                w.leaf("eMedications.04", m.route);
                w.open("eMedications.DosageGroup");
                w.leaf("eMedications.05", &m.dose);
                w.leaf("eMedications.06", m.units);
                w.close("eMedications.DosageGroup");
                w.leaf("eMedications.07", m.response);
                for x in &m.complications {
                    w.leaf("eMedications.08", x);
                }
            }
        }
        match m.by {
            Some(i) => w.leaf("eMedications.09", &c.crew_members[i].id),
            None => w.nil_nv("eMedications.09", NA),
        }
        w.leaf("eMedications.10", m.level);
        w.close("eMedications.MedicationGroup");
    }
    w.close("eMedications");
}

fn procedures(w: &mut XmlWriter, c: &Call) {
    let clock = &c.clock;
    w.open("eProcedures");
    if c.procs.is_empty() {
        w.open("eProcedures.ProcedureGroup");
        for tag in [
            "eProcedures.01",
            "eProcedures.02",
            "eProcedures.03",
            "eProcedures.05",
            "eProcedures.06",
            "eProcedures.07",
            "eProcedures.08",
            "eProcedures.10",
        ] {
            w.nil_nv(tag, NA);
        }
        w.close("eProcedures.ProcedureGroup");
    }
    for p in &c.procs {
        w.open("eProcedures.ProcedureGroup");
        w.opt("eProcedures.01", p.at.map(|t| clock.fmt(t)).as_deref(), NR);
        w.leaf("eProcedures.02", if p.prior { YES } else { NO });
        match p.pn {
            Some(pn) => {
                w.leaf_attrs("eProcedures.03", &[("PN", pn)], p.code);
                w.nil_nv("eProcedures.05", NA);
                w.nil_nv("eProcedures.06", NA);
                w.nil_nv("eProcedures.07", NA);
                w.nil_nv("eProcedures.08", NA);
            }
            None => {
                w.leaf("eProcedures.03", p.code);
                if let Some(s) = &p.size {
                    w.leaf("eProcedures.04", s);
                }
                w.leaf_num("eProcedures.05", p.attempts);
                w.leaf("eProcedures.06", if p.success { YES } else { NO });
                for x in &p.complications {
                    w.leaf("eProcedures.07", x);
                }
                w.leaf("eProcedures.08", p.response);
            }
        }
        match p.by {
            Some(i) => w.leaf("eProcedures.09", &c.crew_members[i].id),
            None => w.nil_nv("eProcedures.09", NA),
        }
        w.leaf("eProcedures.10", p.level);
        if p.pn.is_none() {
            if let Some(l) = p.location {
                w.leaf("eProcedures.13", l);
            }
            if let Some(t) = p.technique {
                w.leaf("eProcedures.14", t);
            }
        }
        w.close("eProcedures.ProcedureGroup");
    }
    w.close("eProcedures");
}

fn airway(w: &mut XmlWriter, c: &Call) {
    let Some(a) = &c.airway else { return };
    let clock = &c.clock;
    w.open("eAirway");
    w.open("eAirway.AirwayGroup");
    for i in &a.indications {
        w.leaf("eAirway.01", i);
    }
    for conf in &a.confirmations {
        w.open("eAirway.ConfirmationGroup");
        w.leaf("eAirway.02", &clock.fmt(conf.at));
        w.leaf("eAirway.03", conf.device);
        for m in &conf.methods {
            w.leaf("eAirway.04", m);
        }
        if let Some(d) = conf.depth_cm {
            w.leaf_num("eAirway.05", d);
        }
        w.leaf("eAirway.06", "4006005");
        w.leaf("eAirway.07", &c.crew_members[conf.by].id);
        w.close("eAirway.ConfirmationGroup");
    }
    if a.complications.is_empty() {
        w.nil_pn("eAirway.08", "8801015");
    }
    for x in &a.complications {
        w.leaf("eAirway.08", x);
    }
    for x in &a.failures {
        w.leaf("eAirway.09", x);
    }
    w.leaf("eAirway.10", &clock.fmt(a.decision_at));
    if let Some(t) = a.abandoned_at {
        w.leaf("eAirway.11", &clock.fmt(t));
    }
    w.close("eAirway.AirwayGroup");
    w.close("eAirway");
}

fn disposition(w: &mut XmlWriter, c: &Call) {
    let d = &c.disposition;
    w.open("eDisposition");
    w.open("eDisposition.DestinationGroup");
    match d.destination {
        Some(f) => {
            w.leaf("eDisposition.01", f.name);
            w.leaf("eDisposition.02", f.code);
            w.leaf("eDisposition.03", f.street);
            w.leaf("eDisposition.04", f.city_gnis);
            w.leaf("eDisposition.05", tables::STATE);
            w.leaf("eDisposition.06", f.county);
            w.leaf("eDisposition.07", f.zip);
            w.leaf("eDisposition.08", "US");
        }
        None => {
            w.nil_nv("eDisposition.05", NA);
            w.nil_nv("eDisposition.06", NA);
            w.nil_nv("eDisposition.07", NA);
        }
    }
    w.close("eDisposition.DestinationGroup");
    if d.destination.is_some() {
        w.leaf("eDisposition.11", "1");
    }
    w.open("eDisposition.IncidentDispositionGroup");
    w.leaf("eDisposition.27", d.unit);
    w.opt("eDisposition.28", d.evaluation, NA);
    w.opt("eDisposition.29", d.crew, NA);
    w.opt("eDisposition.30", d.transport, NA);
    for r in &d.refusal_reasons {
        w.leaf("eDisposition.31", r);
    }
    w.close("eDisposition.IncidentDispositionGroup");
    if let Some(p) = d.position {
        w.leaf("eDisposition.14", p);
    }
    w.opt("eDisposition.16", d.method, NA);
    w.opt("eDisposition.17", d.mode, NA);
    w.opt("eDisposition.18", d.mode_descriptor, NA);
    w.opt("eDisposition.19", d.release_acuity, NA);
    if d.reasons.is_empty() {
        w.nil_nv("eDisposition.20", NA);
    }
    for r in &d.reasons {
        w.leaf("eDisposition.20", r);
    }
    w.opt("eDisposition.21", d.destination_type, NA);
    w.opt("eDisposition.22", d.inpatient, NA);
    let designations = d.destination.map(|f| f.designations).unwrap_or(&[]);
    if designations.is_empty() {
        w.nil_nv("eDisposition.23", NA);
    }
    for x in designations {
        w.leaf("eDisposition.23", x);
    }
    w.open("eDisposition.HospitalTeamActivationGroup");
    match (d.activation, d.destination) {
        (Some((code, t)), _) => {
            w.leaf("eDisposition.24", code);
            w.leaf("eDisposition.25", &c.clock.fmt(t));
        }
        (None, Some(_)) => {
            w.leaf("eDisposition.24", "4224001");
            w.nil_nv("eDisposition.25", NA);
        }
        (None, None) => {
            w.nil_nv("eDisposition.24", NA);
            w.nil_nv("eDisposition.25", NA);
        }
    }
    w.close("eDisposition.HospitalTeamActivationGroup");
    for i in &d.instructions {
        w.leaf("eDisposition.26", i);
    }
    w.opt("eDisposition.32", d.level_of_care, NA);
    w.close("eDisposition");
}

fn outcome(w: &mut XmlWriter) {
    w.open("eOutcome");
    w.nil_nv("eOutcome.01", NR);
    w.nil_nv("eOutcome.02", NR);
    w.open("eOutcome.EmergencyDepartmentProceduresGroup");
    w.nil_nv("eOutcome.09", NR);
    w.nil_nv("eOutcome.19", NR);
    w.close("eOutcome.EmergencyDepartmentProceduresGroup");
    w.nil_nv("eOutcome.10", NR);
    w.nil_nv("eOutcome.11", NR);
    w.open("eOutcome.HospitalProceduresGroup");
    w.nil_nv("eOutcome.12", NR);
    w.nil_nv("eOutcome.20", NR);
    w.close("eOutcome.HospitalProceduresGroup");
    w.nil_nv("eOutcome.13", NR);
    w.nil_nv("eOutcome.16", NR);
    w.nil_nv("eOutcome.18", NR);
    w.close("eOutcome");
}

fn other(w: &mut XmlWriter, c: &Call) {
    let Some(o) = &c.other else { return };
    let clock = &c.clock;
    w.open("eOther");
    if let Some((i, injured, kind)) = o.crew_member {
        w.open("eOther.EMSCrewMemberGroup");
        w.leaf("eOther.03", "4503003");
        w.leaf("eOther.03", "4503001");
        w.leaf("eOther.04", &c.crew_members[i].id);
        w.leaf("eOther.05", if injured { YES } else { NO });
        if let (true, Some(k)) = (injured, kind) {
            w.leaf("eOther.06", k);
        }
        w.close("eOther.EMSCrewMemberGroup");
    }
    if let Some(m) = c.crew_members.first() {
        w.leaf("eOther.08", &m.id);
    }
    let end = c
        .times_full
        .get(12)
        .or(c.times_full.get(9))
        .or(c.times_full.get(13))
        .unwrap_or(0);
    if o.refusal_signature {
        w.open("eOther.SignatureGroup");
        w.leaf("eOther.12", "4512015");
        w.leaf("eOther.13", "4513009");
        w.leaf("eOther.13", "4513021");
        w.leaf("eOther.14", "4514043");
        w.leaf("eOther.15", "4515031");
        w.leaf("eOther.19", &clock.fmt(end - 60));
        if let Some(p) = &c.patient
            && !p.name_unknown
        {
            w.leaf("eOther.20", p.last);
            w.leaf("eOther.21", p.first);
        }
        w.close("eOther.SignatureGroup");
    }
    if let Some(nurse) = o.transfer_signature {
        w.open("eOther.SignatureGroup");
        w.leaf("eOther.12", "4512005");
        w.leaf("eOther.13", "4513007");
        w.leaf("eOther.14", "4514029");
        w.leaf("eOther.15", "4515031");
        w.leaf("eOther.19", &clock.fmt(end));
        w.leaf("eOther.20", nurse.trim_start_matches("RN "));
        w.close("eOther.SignatureGroup");
    }
    w.close("eOther");
}
