//! Field extraction: for generated documents, the stored reference holds what the
//! generator put in, through the same import a user runs.

use crate::support::*;
use harbor::RecordKind;
use harbor_synth::{CallFacts, GeneratorOptions, generate};
use serde_json::Value;
use std::collections::HashMap;

fn v(body: &Value, pointer: &str) -> Option<String> {
    body.pointer(pointer)
        .and_then(|x| x.as_str())
        .map(str::to_owned)
}

fn check(body: &Value, facts: &CallFacts) {
    let pcr = &facts.pcr_number;
    let same = |pointer: &str, expected: Option<&String>| {
        assert_eq!(v(body, pointer).as_ref(), expected, "{pcr}: {pointer}");
    };
    same("/report_uuid", Some(&facts.report_uuid));
    same("/agency_number", Some(&facts.agency_number));
    same("/incident_number/value", Some(&facts.incident_number));
    same("/response_number/value", Some(&facts.response_number));
    same("/unit/value", Some(&facts.unit));
    same("/call_sign/value", Some(&facts.call_sign));
    same("/service_type/value", Some(&facts.service_type));
    same("/dispatch_complaint/value", Some(&facts.dispatch_complaint));
    same("/patient/age/value", facts.age.as_ref());
    same("/patient/age_units/value", facts.age_units.as_ref());
    same("/patient/sex/value", facts.sex.as_ref());
    same("/chief_complaint/value", facts.chief_complaint.as_ref());
    same(
        "/primary_impression/value",
        facts.primary_impression.as_ref(),
    );
    same("/initial_acuity/value", facts.initial_acuity.as_ref());
    same("/arrest/cardiac_arrest/value", Some(&facts.cardiac_arrest));
    same(
        "/disposition/unit_disposition/value",
        Some(&facts.unit_disposition),
    );
    same(
        "/disposition/patient_evaluation_care/value",
        facts.patient_evaluation_care.as_ref(),
    );
    same(
        "/disposition/transport_disposition/value",
        facts.transport_disposition.as_ref(),
    );
    same("/crew_injury/value", facts.crew_injury.as_ref());
    same("/narrative/value", facts.narrative.as_ref());
    let times = [
        ("eTimes.01", "psap_call"),
        ("eTimes.03", "unit_notified"),
        ("eTimes.05", "en_route"),
        ("eTimes.06", "on_scene"),
        ("eTimes.07", "at_patient"),
        ("eTimes.09", "left_scene"),
        ("eTimes.11", "at_destination"),
        ("eTimes.12", "transfer_of_care"),
        ("eTimes.13", "back_in_service"),
    ];
    for (element, field) in times {
        same(&format!("/times/{field}/value"), facts.times.get(element));
    }
    let list = |pointer: &str| {
        body.pointer(pointer)
            .and_then(|x| x.as_array())
            .cloned()
            .unwrap_or_default()
    };
    let secondary: Vec<String> = list("/secondary_impressions")
        .iter()
        .filter_map(|x| x["value"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(
        secondary, facts.secondary_impressions,
        "{pcr}: secondary impressions"
    );
    let crew = list("/crew");
    assert_eq!(crew.len(), facts.crew.len(), "{pcr}: crew");
    for (c, (id, level, role)) in crew.iter().zip(&facts.crew) {
        assert_eq!(c["id"]["value"].as_str(), Some(id.as_str()));
        assert_eq!(c["level"]["value"].as_str(), Some(level.as_str()));
        assert_eq!(c["roles"][0]["value"].as_str(), Some(role.as_str()));
    }
    // A group written only to say "not applicable" (every element NV) is kept in the
    // reference, faithfully; the generator's facts list only real entries.
    let real = |item: &Value, key: &str| {
        item[key]["value"].is_string() || item[key]["pertinent_negative"].is_object()
    };
    let measured = |item: &Value| {
        ["taken_at", "systolic", "heart_rate", "spo2"]
            .iter()
            .any(|k| item[*k]["value"].is_string())
    };
    let vitals: Vec<Value> = list("/vitals").into_iter().filter(measured).collect();
    assert_eq!(vitals.len(), facts.vitals.len(), "{pcr}: vital sets");
    for (got, want) in vitals.iter().zip(&facts.vitals) {
        for (field, expected) in [
            ("taken_at", &want.taken_at),
            ("systolic", &want.systolic),
            ("heart_rate", &want.heart_rate),
            ("spo2", &want.spo2),
            ("respiratory_rate", &want.respiratory_rate),
            ("gcs_total", &want.gcs_total),
        ] {
            assert_eq!(
                got[field]["value"].as_str().map(str::to_owned).as_ref(),
                expected.as_ref(),
                "{pcr}: vitals {field}"
            );
        }
    }
    let meds: Vec<Value> = list("/medications")
        .into_iter()
        .filter(|m| real(m, "medication"))
        .collect();
    assert_eq!(meds.len(), facts.medications.len(), "{pcr}: medications");
    for (got, want) in meds.iter().zip(&facts.medications) {
        assert_eq!(
            got["medication"]["value"].as_str().map(str::to_owned),
            want.medication,
            "{pcr}: medication"
        );
        assert_eq!(
            got["medication"]["pertinent_negative"]["code"]
                .as_str()
                .map(str::to_owned),
            want.medication_pn,
            "{pcr}: medication PN"
        );
        assert_eq!(
            got["dose"]["value"].as_str().map(str::to_owned),
            want.dose,
            "{pcr}: dose"
        );
    }
    let procs: Vec<Value> = list("/procedures")
        .into_iter()
        .filter(|p| real(p, "procedure"))
        .collect();
    assert_eq!(procs.len(), facts.procedures.len(), "{pcr}: procedures");
    for (got, want) in procs.iter().zip(&facts.procedures) {
        assert_eq!(
            got["procedure"]["value"].as_str().map(str::to_owned),
            want.procedure,
            "{pcr}: procedure"
        );
        assert_eq!(
            got["successful"]["value"].as_str().map(str::to_owned),
            want.successful,
            "{pcr}: successful"
        );
    }
    let devices: Vec<String> = body
        .pointer("/airway/devices")
        .and_then(|x| x.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|d| d["value"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(devices, facts.airway_devices, "{pcr}: airway devices");
}

#[test]
fn generated_calls_are_stored_as_generated_and_their_triggers_fire() {
    let (tv, mut s, _) = new_vault();
    let opts = GeneratorOptions {
        seed: 11,
        count: 150,
        reports_per_file: 3,
        ..GeneratorOptions::default()
    };
    let dir = tv.path("generated");
    std::fs::create_dir_all(&dir).unwrap();
    let mut facts: HashMap<String, CallFacts> = HashMap::new();
    for file in generate(&opts) {
        std::fs::write(dir.join(&file.file_name), &file.xml).unwrap();
        for call in file.calls {
            facts.insert(call.report_uuid.clone(), call);
        }
    }
    assert_eq!(facts.len(), 150);
    let summary = ok(s.import_nemsis(&[dir], &harbor::ImportOptions::default(), &mut |_| {}));
    assert!(summary.failed.is_empty(), "{:?}", summary.failed);
    assert_eq!(summary.imported, 150);
    assert_eq!(summary.with_warnings, 0, "generated documents are clean");

    let mut epcr_by_id = HashMap::new();
    let mut after = None;
    loop {
        let page = ok(s.list(&harbor::ListQuery {
            kind: Some(RecordKind::Epcr),
            limit: Some(1000),
            after,
            ..Default::default()
        }));
        for m in &page.items {
            let body = ok(s.record(&m.id)).body;
            let uuid = body["report_uuid"].as_str().unwrap().to_owned();
            check(&body, &facts[&uuid]);
            epcr_by_id.insert(m.id.clone(), uuid);
        }
        match page.next_cursor {
            Some(c) => after = Some(c),
            None => break,
        }
    }
    assert_eq!(epcr_by_id.len(), 150);

    // Every call built to fire a rule got a review listing that rule.
    let reviews = ok(s.list(&harbor::ListQuery {
        kind: Some(RecordKind::CallReview),
        limit: Some(1000),
        ..Default::default()
    }));
    let mut fired: HashMap<String, Vec<String>> = HashMap::new();
    for m in &reviews.items {
        let body = ok(s.record(&m.id)).body;
        let uuid = &epcr_by_id[body["call"]["epcr_id"].as_str().unwrap()];
        let rules = body["triggers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["rule"].as_str().unwrap().to_owned())
            .collect();
        fired.insert(uuid.clone(), rules);
    }
    for (uuid, call) in &facts {
        for rule in &call.intended_triggers {
            assert!(
                fired.get(uuid).is_some_and(|r| r.contains(rule)),
                "{}: built to fire {rule}, fired {:?}",
                call.pcr_number,
                fired.get(uuid)
            );
        }
        if call.intended_triggers.is_empty() {
            assert!(
                !fired.contains_key(uuid),
                "{}: fired {:?} though built to fire nothing",
                call.pcr_number,
                fired.get(uuid)
            );
        }
    }
}
