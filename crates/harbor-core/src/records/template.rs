//! Filled-in example bodies that validate: `harbor record template KIND` prints them.

use super::RecordKind;
use serde_json::{Value, json};

/// A filled-in example body of `kind` that validates against its schema.
pub fn template(kind: RecordKind) -> Value {
    match kind {
        RecordKind::CallReview => json!({
            "call": {"pcr_number": "2026-004211", "call_date": "2026-11-02", "unit": "Medic 12"},
            "status": "in_progress",
            "triggers": [{"rule": "advanced_airway", "detail": "eAirway.01 = endotracheal intubation"}],
            "protocol_findings": [{
                "protocol": "Adult airway management 3.1",
                "compliance": "deviation",
                "comment": "Tube position not confirmed with waveform capnography before transport."
            }],
            "event_type": "near_miss",
            "ems_categories": ["airway", "protocol_deviation"],
            "harm": {"level": "no_harm"},
            "contributing_factors": ["Capnography cable missing from the airway bag"],
            "just_culture": "human_error",
            "recommendations": "Add the capnography cable to the daily truck check."
        }),
        RecordKind::CaseNote => json!({
            "subject": "0192f6a0-0000-7000-8000-000000000000",
            "clinical_assessment": "Appropriate airway choice; confirmation step missed.",
            "standard_of_care": "met_with_opportunities",
            "recommendations": "Case-based teaching at the next airway CE."
        }),
        RecordKind::Investigation => json!({
            "title": "Stretcher tipped during loading",
            "status": "analysis",
            "event_summary": "The stretcher tipped while being loaded; the patient was caught by the crew.",
            "event_date": "2026-10-28",
            "event_type": "near_miss",
            "ems_categories": ["patient_handling", "equipment_device"],
            "harm": {"level": "no_harm"},
            "timeline": [
                {"at": "2026-10-28T14:02:00", "description": "Arrived at the ED bay"},
                {"at": "2026-10-28T14:31:00", "description": "Stretcher tipped during loading"}
            ],
            "five_whys": [
                "The stretcher tipped because the wheels were not locked.",
                "The wheels were not locked because the lock lever was stiff."
            ],
            "fishbone": {
                "people": ["New crew member on first shift"],
                "equipment": ["Stiff wheel lock"],
                "methods": [], "materials": [], "measurement": [], "environment": ["Icy ramp"]
            },
            "contributing_factors": ["No check of the wheel lock at truck check"],
            "corrective_actions": [{
                "description": "Service all stretcher wheel locks",
                "owner": "Fleet supervisor",
                "due_date": "2026-12-15",
                "strength": "strong",
                "status": "planned"
            }]
        }),
        RecordKind::Epcr => json!({
            "nemsis_version": "3.5.1",
            "report_uuid": "4b2c1f4e-3f1e-4b8c-9d7a-2a3b4c5d6e7f",
            "pcr_number": "2026-004211",
            "call_date": "2026-11-02",
            "unit": {"value": "M12"},
            "times": {"on_scene": {"value": "2026-11-02T14:10:00-05:00"}},
            "patient": {"age": {"value": "67"}, "age_units": {"value": "2516009", "label": "Years"}},
            "primary_impression": {"value": "I46.9"},
            "medications": [{"medication": {"nil": true, "pertinent_negative": {"code": "8801019", "label": "Refused"}}}],
            "narrative": {"nil": true, "not_value": {"code": "7701003", "label": "Not Recorded"}}
        }),
    }
}
