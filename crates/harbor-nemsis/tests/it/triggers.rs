//! Each trigger rule fires on a crafted document that should fire it and stays silent on
//! its near miss.

use harbor_nemsis::triggers::{TriggerConfig, evaluate, rules};
use harbor_nemsis::{Limits, read_document};

/// A document with one report: the given sections inside PatientCareReport.
fn doc(sections: &str) -> String {
    format!(
        r#"<EMSDataSet xmlns="http://www.nemsis.org" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<Header><DemographicGroup><dAgency.02>3301</dAgency.02></DemographicGroup>
<PatientCareReport UUID="0b7d4c1e-1111-4222-8333-944455556666">
<eRecord><eRecord.01>T-1</eRecord.01></eRecord>
{sections}
<eNarrative><eNarrative.01>Narrative present.</eNarrative.01></eNarrative>
</PatientCareReport></Header></EMSDataSet>"#
    )
}

fn times(on_scene: &str, at_patient: &str, left: &str, dest: &str, transfer: &str) -> String {
    format!(
        "<eTimes><eTimes.01>2026-11-02T14:00:00-05:00</eTimes.01><eTimes.03>2026-11-02T14:01:00-05:00</eTimes.03>\
         <eTimes.06>2026-11-02T{on_scene}:00-05:00</eTimes.06><eTimes.07>2026-11-02T{at_patient}:00-05:00</eTimes.07>\
         <eTimes.09>2026-11-02T{left}:00-05:00</eTimes.09><eTimes.11>2026-11-02T{dest}:00-05:00</eTimes.11>\
         <eTimes.12>2026-11-02T{transfer}:00-05:00</eTimes.12></eTimes>"
    )
}

fn procedure(code: &str, successful: &str, complication: &str) -> String {
    format!(
        "<eProcedures><eProcedures.ProcedureGroup><eProcedures.01>2026-11-02T14:12:00-05:00</eProcedures.01>\
         <eProcedures.02>9923001</eProcedures.02><eProcedures.03>{code}</eProcedures.03><eProcedures.05>1</eProcedures.05>\
         <eProcedures.06>{successful}</eProcedures.06><eProcedures.07>{complication}</eProcedures.07></eProcedures.ProcedureGroup></eProcedures>"
    )
}

fn medication(code: &str, prior: &str) -> String {
    format!(
        "<eMedications><eMedications.MedicationGroup><eMedications.01>2026-11-02T14:12:00-05:00</eMedications.01>\
         <eMedications.02>{prior}</eMedications.02><eMedications.03>{code}</eMedications.03><eMedications.08>3708031</eMedications.08>\
         </eMedications.MedicationGroup></eMedications>"
    )
}

fn vitals(sets: &[(&str, &str, &str, &str)]) -> String {
    let groups: String = sets
        .iter()
        .map(|(t, sbp, spo2, gcs)| {
            format!(
                "<eVitals.VitalGroup><eVitals.01>2026-11-02T{t}:00-05:00</eVitals.01>\
                 <eVitals.BloodPressureGroup><eVitals.06>{sbp}</eVitals.06></eVitals.BloodPressureGroup>\
                 <eVitals.12>{spo2}</eVitals.12><eVitals.GlasgowScoreGroup><eVitals.23>{gcs}</eVitals.23></eVitals.GlasgowScoreGroup></eVitals.VitalGroup>"
            )
        })
        .collect();
    format!("<eVitals>{groups}</eVitals>")
}

fn patient(age: &str, units: &str) -> String {
    format!(
        "<ePatient><ePatient.15>{age}</ePatient.15><ePatient.16>{units}</ePatient.16></ePatient>"
    )
}

fn fired(xml: &str) -> Vec<String> {
    let reports = read_document(xml.as_bytes(), &Limits::default()).expect("test document reads");
    evaluate(&reports[0].reference, &TriggerConfig::default())
        .into_iter()
        .map(|h| h.rule)
        .collect()
}

/// (rule, a document that fires it, a near miss that must not).
fn cases() -> Vec<(&'static str, String, String)> {
    let normal_times = times("14:10", "14:11", "14:25", "14:45", "14:50");
    let arrest = |code: &str| format!("<eArrest><eArrest.01>{code}</eArrest.01></eArrest>");
    let airway = |device: &str, reason: &str| {
        format!(
            "<eAirway><eAirway.ConfirmationGroup><eAirway.03>{device}</eAirway.03></eAirway.ConfirmationGroup>{reason}</eAirway>"
        )
    };
    vec![
        ("cardiac_arrest_before_ems", arrest("3001003"), arrest("3001001")),
        ("cardiac_arrest_after_ems", arrest("3001005"), arrest("3001003")),
        ("advanced_airway", airway("4003003", ""), procedure("392231009", "9923003", "3907033")),
        (
            "airway_failure",
            airway("4003003", "<eAirway.09>4009017</eAirway.09>"),
            procedure("112798008", "9923003", "3907033"),
        ),
        ("io_access", procedure("430824005", "9923003", "3907033"), procedure("392231009", "9923003", "3907033")),
        ("cardioversion_or_pacing", procedure("250980009", "9923003", "3907033"), procedure("268400002", "9923003", "3907033")),
        ("needle_decompression", procedure("182705007", "9923003", "3907033"), procedure("79321009", "9923003", "3907033")),
        ("naloxone", medication("7242", "9923001"), medication("7242", "9923003")),
        ("vasopressors_or_blood", medication("7512", "9923001"), medication("3992", "9923001")),
        ("crew_injury", "<eOther><eOther.05>9923003</eOther.05></eOther>".into(), "<eOther><eOther.05>9923001</eOther.05></eOther>".into()),
        ("care_complication", procedure("392231009", "9923003", "3907015"), procedure("392231009", "9923003", "3907033")),
        ("failed_intervention", procedure("392231009", "9923001", "3907033"), procedure("392231009", "9923003", "3907033")),
        (
            "deterioration",
            vitals(&[("14:12", "128", "97", "15"), ("14:30", "84", "95", "15")]),
            vitals(&[("14:12", "128", "97", "15"), ("14:30", "118", "95", "14")]),
        ),
        ("long_scene_time", times("14:10", "14:11", "14:35", "14:50", "14:55"), normal_times.clone()),
        ("long_transport_time", times("14:10", "14:11", "14:25", "15:05", "15:10"), normal_times.clone()),
        ("long_contact_to_transfer", times("14:10", "14:11", "14:25", "15:05", "15:20"), times("14:10", "14:11", "14:25", "14:55", "15:05")),
        (
            "refusal_of_care",
            "<eDisposition><eDisposition.27>4227001</eDisposition.27><eDisposition.28>4228007</eDisposition.28></eDisposition>".into(),
            "<eDisposition><eDisposition.27>4227001</eDisposition.27><eDisposition.28>4228001</eDisposition.28></eDisposition>".into(),
        ),
        (
            "pediatric_high_acuity",
            format!("{}{}", patient("4", "2516009"), vitals(&[("14:12", "90", "86", "14")])),
            format!("{}{}", patient("34", "2516009"), vitals(&[("14:12", "90", "86", "14")])),
        ),
        (
            "missing_documentation",
            "<eTimes><eTimes.06 xsi:nil=\"true\" NV=\"7701003\"/></eTimes><eDisposition><eDisposition.27>4227001</eDisposition.27></eDisposition>".into(),
            "<eTimes><eTimes.06 xsi:nil=\"true\" NV=\"7701001\"/></eTimes><eDisposition><eDisposition.27>4227005</eDisposition.27></eDisposition>".into(),
        ),
    ]
}

#[test]
fn every_rule_fires_on_its_case_and_not_on_its_near_miss() {
    let cases = cases();
    for def in rules() {
        assert!(
            cases.iter().any(|(id, _, _)| *id == def.id),
            "no test case for {}",
            def.id
        );
    }
    for (rule, fire, quiet) in cases {
        let hits = fired(&doc(&fire));
        assert!(
            hits.contains(&rule.to_owned()),
            "{rule} did not fire: {hits:?}"
        );
        let hits = fired(&doc(&quiet));
        assert!(
            !hits.contains(&rule.to_owned()),
            "{rule} fired on its near miss: {hits:?}"
        );
    }
}

#[test]
fn a_refused_medication_is_not_a_given_one() {
    let refused = medication("7242", "9923001").replace(
        "<eMedications.03>7242",
        "<eMedications.03 PN=\"8801019\">7242",
    );
    assert!(!fired(&doc(&refused)).contains(&"naloxone".to_owned()));
    let refused = procedure("430824005", "9923003", "3907033")
        .replace("<eProcedures.03>", "<eProcedures.03 PN=\"8801023\">");
    assert!(!fired(&doc(&refused)).contains(&"io_access".to_owned()));
}

#[test]
fn a_missing_narrative_is_missing_documentation() {
    let xml = doc("").replace(
        "<eNarrative><eNarrative.01>Narrative present.</eNarrative.01></eNarrative>",
        "<eNarrative><eNarrative.01 xsi:nil=\"true\" NV=\"7701003\"/></eNarrative>",
    );
    assert!(fired(&xml).contains(&"missing_documentation".to_owned()));
}

#[test]
fn a_disabled_rule_stays_silent_and_a_changed_threshold_applies() {
    let xml = doc(&times("14:10", "14:11", "14:35", "14:50", "14:55"));
    let r = &read_document(xml.as_bytes(), &Limits::default()).unwrap()[0].reference;
    let mut config = TriggerConfig::default();
    config
        .set("long_scene_time", None, &[("minutes".into(), "30".into())])
        .unwrap();
    assert!(
        !evaluate(r, &config)
            .iter()
            .any(|h| h.rule == "long_scene_time")
    );
    config
        .set("long_scene_time", None, &[("minutes".into(), "20".into())])
        .unwrap();
    let hits = evaluate(r, &config);
    let hit = hits.iter().find(|h| h.rule == "long_scene_time").unwrap();
    assert!(
        hit.detail.contains("25 min"),
        "the detail names the value: {}",
        hit.detail
    );
    config.set("long_scene_time", Some(false), &[]).unwrap();
    assert!(
        !evaluate(r, &config)
            .iter()
            .any(|h| h.rule == "long_scene_time")
    );
}
