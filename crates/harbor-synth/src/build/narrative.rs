//! EMS-style narratives composed from the call's content.

use std::fmt::Write as _;

use super::{B, IV};
use crate::tables::{med_name, proc_name, route_abbr, units_abbr};

fn location_phrase(code: &str) -> &'static str {
    match code {
        "Y92.039" => "an apartment",
        "Y92.009" | "Y92.019" => "a private residence",
        "Y92.129" => "a nursing facility",
        "Y92.239" => "a hospital",
        "Y92.410" | "Y92.411" => "the roadway",
        "Y92.512" => "a grocery store",
        "Y92.480" => "the sidewalk",
        "Y92.830" => "a public park",
        "Y92.59" => "a place of business",
        _ => "a public location",
    }
}

fn dispatch_phrase(code: &str) -> &'static str {
    match code {
        "2301001" => "abdominal pain",
        "2301003" => "an allergic reaction",
        "2301007" => "an assault",
        "2301011" => "back pain",
        "2301013" => "difficulty breathing",
        "2301019" => "a cardiac arrest",
        "2301021" => "chest pain",
        "2301025" => "a seizure",
        "2301027" => "a diabetic problem",
        "2301033" => "a fall",
        "2301037" => "a headache",
        "2301041" => "a heart problem",
        "2301053" => "an overdose",
        "2301059" => "a psychiatric problem",
        "2301061" => "a sick person",
        "2301063" => "a penetrating injury",
        "2301067" => "a possible stroke",
        "2301069" => "a motor vehicle crash",
        "2301073" => "a traumatic injury",
        "2301077" => "an unconscious/fainting episode",
        "2301079" => "an unknown problem/person down",
        "2301081" => "a drowning",
        "2301085" => "altered mental status",
        "2301089" => "nausea",
        "2301095" => "an intoxicated subject",
        "2301097" => "an EMS assist requested by PD",
        _ => "a medical emergency",
    }
}

fn pn_reason(pn: &str) -> &'static str {
    match pn {
        "8801001" => "contraindication noted",
        "8801003" => "denied by OLMC",
        "8801007" => "pt allergy",
        "8801009" => "pt took prior to arrival",
        "8801019" => "pt refused",
        "8801023" => "unable to complete",
        "8801027" => "criteria not met",
        _ => "not indicated",
    }
}

fn who_before(level: &str) -> &'static str {
    match level {
        "9905043" => "by pt",
        "9905045" => "by bystander",
        "9905047" => "by PD",
        "9905049" => "by family",
        "9905051" => "by FD",
        _ => "prior to arrival",
    }
}

impl B<'_> {
    /// The narrative of the call.
    pub(crate) fn narrative(&mut self) -> String {
        let mut s = String::with_capacity(1400);
        let cs = self.unit.1;
        if self.service_type == "2205001" {
            let mode = if self.emergent {
                "emergent"
            } else {
                "non-emergent"
            };
            let _ = write!(
                s,
                "{cs} dispatched {mode} to {} ({}) for {}.",
                location_phrase(self.scene.location_type),
                self.scene.street,
                dispatch_phrase(self.dispatch_reason)
            );
        } else {
            let from = self.scene.facility_name.unwrap_or("sending facility");
            let _ = write!(
                s,
                "{cs} dispatched for scheduled interfacility transport from {from}."
            );
        }
        if self.scene.other_services.contains(&"2704003") && self.times.get(6).is_some() {
            s.push_str(" FD on scene prior to EMS arrival.");
        }
        if let Some(p) = &self.patient
            && !p.name_unknown
            && self.r.chance(0.3)
        {
            let _ = write!(
                s,
                " Pt identified as {} {}, DOB {}.",
                p.first,
                p.last,
                p.dob.format("%m/%d/%Y")
            );
        }
        for line in &self.story {
            let line = line.trim();
            if !line.is_empty() {
                s.push(' ');
                s.push_str(line);
            }
        }
        // Treatments in time order.
        let mut tx: Vec<(i64, String)> = Vec::new();
        for m in &self.meds {
            let at = m.at.unwrap_or(-1);
            let name = med_name(m.code);
            let text = match m.pn {
                Some(pn) => format!("{name} withheld ({})", pn_reason(pn)),
                None if m.prior => format!(
                    "{name} {} {} {} given {}",
                    m.dose,
                    units_abbr(m.units),
                    route_abbr(m.route),
                    who_before(m.level)
                ),
                None => {
                    let mut t = format!(
                        "{name} {} {} {}",
                        m.dose,
                        units_abbr(m.units),
                        route_abbr(m.route)
                    );
                    if m.response == super::IMPROVED && m.code != "7806" {
                        t.push_str(" with improvement");
                    }
                    t
                }
            };
            tx.push((at, text));
        }
        for p in &self.procs {
            let at = p.at.unwrap_or(-1);
            let name = proc_name(p.code);
            let text = match p.pn {
                Some(pn) => format!("{name} not performed ({})", pn_reason(pn)),
                None if p.prior => format!("{name} initiated PTA"),
                None if !p.success => format!("{name} attempted x{}, unsuccessful", p.attempts),
                None => match &p.size {
                    Some(size) if p.code == "392231009" || p.code == "430824005" => {
                        format!("{name} {size}")
                    }
                    Some(size) if p.attempts > 1 => {
                        format!("{name} (size {size}) on attempt {}", p.attempts)
                    }
                    Some(size) => format!("{name} (size {size})"),
                    None => name.to_owned(),
                },
            };
            tx.push((at, text));
        }
        tx.sort_by_key(|(t, _)| *t);
        if !tx.is_empty() {
            s.push_str(" Tx:");
            for (i, (at, text)) in tx.iter().enumerate() {
                s.push_str(if i == 0 { " " } else { "; " });
                s.push_str(text);
                if *at >= 0 {
                    let _ = write!(s, " @{}", self.clock.hhmm(*at));
                }
            }
            s.push('.');
        }
        if self.meds.iter().any(|m| m.route == IV && m.pn.is_none())
            && !self
                .procs
                .iter()
                .any(|p| p.code == "392231009" && p.success)
        {
            s.push_str(" Existing IV utilized.");
        }
        self.disposition_text(&mut s);
        s
    }

    fn disposition_text(&mut self, s: &mut String) {
        let d = self.disp.clone();
        match (d.unit, d.transport) {
            ("4227005", _) => {
                let who = self.pick(&["FD on scene", "dispatch", "PD on scene", "the caller"]);
                let at = self.times.get(14).unwrap_or(0);
                let _ = write!(
                    s,
                    " Cancelled en route by {who} at {} prior to arrival. No patient contact. Returned to service.",
                    self.clock.hhmm(at)
                );
            }
            ("4227003", _) => {
                s.push_str(" On arrival FD/PD advised EMS not needed, cancelled on scene. No patient contact.");
            }
            ("4227009", _) => {
                s.push_str(" Area searched with PD, no patient located. Dispatch unable to re-contact caller. Returned to service.");
            }
            (_, Some("4230009")) => {
                s.push_str(" Pt A&Ox4 with decision-making capacity, refused transport. Risks of refusal up to and including death explained in plain language, pt verbalized understanding. Refusal form signed. Advised to call 911 or see PCP if symptoms return or worsen.");
            }
            _ if self.transported => {
                let dest = d.destination.map_or("the hospital", |f| f.name);
                let mode = if d.mode == Some("4217001") {
                    "emergent"
                } else {
                    "non-emergent"
                };
                if self.service_type == "2205001" {
                    let _ = write!(
                        s,
                        " Pt moved to stretcher, secured, transported {mode} to {dest}."
                    );
                } else {
                    let _ = write!(
                        s,
                        " Pt secured, transported {mode} to {dest} without incident."
                    );
                }
                if let Some(note) = &self.destination_note {
                    s.push(' ');
                    s.push_str(note);
                }
                if let Some((_, at)) = d.activation {
                    let _ = write!(s, " Team activation requested at {}.", self.clock.hhmm(at));
                }
                if let (Some(a), Some(b)) = (self.times.get(11), self.times.get(12))
                    && b - a > 20 * 60
                {
                    let _ = write!(
                        s,
                        " Offload delay at ED, pt remained on EMS stretcher until bed assigned at {}.",
                        self.clock.hhmm(b)
                    );
                }
                let nurse = self.pick(&crate::tables::NURSES);
                let at = self.times.get(12).unwrap_or(0);
                let _ = write!(
                    s,
                    " Care and verbal report transferred to {nurse} at {}.",
                    self.clock.hhmm(at)
                );
            }
            _ => {
                if d.evaluation == Some("4228005") && self.arrest.is_none() {
                    s.push_str(" No EMS care required. Pt left in care of self/family, advised to call back as needed.");
                } else if d.evaluation == Some("4228001") && self.arrest.is_none() {
                    s.push_str(" Pt treated and released per protocol with OLMC concurrence, responsible adult with pt. Instructions given.");
                }
            }
        }
    }
}
