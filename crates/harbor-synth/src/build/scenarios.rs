//! The scenarios: each fills the call with a plausible story and its documentation.

use super::*;

pub(super) fn run(b: &mut B) {
    match b.sc {
        Sc::ArrestBefore => arrest_before(b),
        Sc::ArrestAfter => arrest_after(b),
        Sc::ChestPain => chest_pain(b, false),
        Sc::Stemi => chest_pain(b, true),
        Sc::Brady => bradycardia(b),
        Sc::Tachy => tachycardia(b),
        Sc::Chf => chf(b),
        Sc::Stroke => stroke(b),
        Sc::Overdose => overdose(b),
        Sc::Hypoglycemia => hypoglycemia(b),
        Sc::Asthma => respiratory(b, false),
        Sc::Copd => respiratory(b, true),
        Sc::Seizure => seizure(b),
        Sc::Syncope => syncope(b),
        Sc::HipFracture => hip_fracture(b),
        Sc::FallMinor => fall_minor(b),
        Sc::Mvc => mvc(b),
        Sc::MajorTrauma => major_trauma(b),
        Sc::Assault => assault(b),
        Sc::Anaphylaxis => allergy(b, true),
        Sc::Allergic => allergy(b, false),
        Sc::Sepsis => sepsis(b),
        Sc::Behavioral => behavioral(b),
        Sc::Intoxication => intoxication(b),
        Sc::PedFever => ped_fever(b),
        Sc::PedSeizure => ped_seizure(b),
        Sc::PedResp => ped_respiratory(b),
        Sc::PedCritical => ped_critical(b),
        Sc::General => general(b),
        Sc::Refusal => refusal(b),
        Sc::CancelledPrior => cancelled(b),
        Sc::NoPatient => no_patient(b),
        Sc::Ift => ift(b),
        Sc::IftCritical => ift_critical(b),
    }
}

// ----- helpers ------------------------------------------------------------------------------

fn nearest(b: &B) -> Facility {
    *b.r.weighted(&[(45, HARBOR_GENERAL), (35, ST_BRIGID), (20, RIVERSIDE)])
}

fn pci_center(b: &B) -> Facility {
    *b.r.weighted(&[(55, HARBOR_GENERAL), (45, ST_BRIGID)])
}

fn trauma_center(b: &B) -> Facility {
    *b.r.weighted(&[(70, ST_BRIGID), (30, HARBOR_GENERAL)])
}

fn some<T: Copy>(b: &B, items: &[T], p: f64) -> Vec<T> {
    items.iter().copied().filter(|_| b.r.chance(p)).collect()
}

fn hhmm(b: &B, t: i64) -> String {
    b.clock.hhmm(t)
}

fn first_sbp(b: &B) -> i64 {
    b.vitals.first().and_then(|v| v.sbp.value()).unwrap_or(120)
}

fn first_gcs(b: &B) -> i64 {
    b.vitals.first().and_then(Vital::gcs_total).unwrap_or(15)
}

fn cardiac_history(b: &mut B) {
    let conditions = some(
        b,
        &["I10", "E78.5", "I25.10", "E11.9", "I48.91", "N18.30"],
        0.4,
    );
    let meds = some(
        b,
        &["6918", "29046", "83367", "6809", "1364430", "17767"],
        0.35,
    );
    b.history(&conditions, &meds);
}

fn generic_history(b: &mut B) {
    let age = b.age_years();
    let (conditions, meds) = if age >= 60.0 {
        (
            some(
                b,
                &[
                    "I10", "E11.9", "E78.5", "J44.9", "I48.91", "F03.90", "N18.30",
                ],
                0.3,
            ),
            some(
                b,
                &["29046", "83367", "6809", "1364430", "6918", "17767"],
                0.3,
            ),
        )
    } else {
        (
            some(b, &["J45.909", "F32.A", "E11.9", "I10", "F41.9"], 0.15),
            some(b, &["435", "36437", "6809"], 0.15),
        )
    };
    b.history(&conditions, &meds);
}

/// End of call for a patient not transported because they refuse; `how` as in [`B::refuse`].
fn refusal_story(b: &mut B) {
    let line = b.pick(&[
        "Pt declines transport, states will follow up with PCP.",
        "Pt states feels back to baseline and does not want to go to the hospital.",
        "Pt adamant about not being transported; family at bedside agrees to monitor.",
        "Pt declines further care and transport despite recommendation.",
    ]);
    b.say(line);
}

// ----- cardiac arrest ---------------------------------------------------------------------

/// A working cardiac arrest that began before EMS arrival (adult or pediatric).
fn working_arrest(b: &mut B, pediatric: bool) {
    let witnessed = b.chance(if pediatric { 0.35 } else { 0.45 });
    let witness = if witnessed {
        b.pick(&["3004003", "3004007", "3004003"])
    } else {
        "3004001"
    };
    let bystander_cpr = b.chance(if witnessed { 0.62 } else { 0.38 });
    let first_responders = !b.scene.other_services.is_empty();
    let fr_aed = first_responders && b.chance(0.45);
    let roll = b.r.f64();
    let (first_rhythm, ekg) = if roll < if pediatric { 0.1 } else { 0.27 } {
        (if fr_aed { "3011009" } else { "3011011" }, VF)
    } else if roll < 0.52 {
        ("3011005", PEA)
    } else {
        (if fr_aed { "3011007" } else { "3011001" }, ASYSTOLE)
    };
    let shockable = ekg == VF;
    let roll = b.r.f64();
    let rosc = roll < if shockable { 0.45 } else { 0.22 };
    let ongoing = !rosc && roll < if pediatric { 0.9 } else { 0.45 };
    let tor = !rosc && !ongoing;
    let kind = if tor {
        Kind::NoTransport
    } else if pediatric {
        Kind::Transport(NORTHFIELD_CHILDRENS)
    } else {
        Kind::Transport(pci_center(b))
    };
    b.timeline(
        kind,
        (14, 19),
        if tor {
            0.93
        } else if ongoing {
            0.45
        } else {
            0.7
        },
        0.03,
    );
    let t7 = b.t(7);
    let t9 = b.t(9);
    let arrest_at = witnessed.then(|| -b.range(60, 480));
    let cpr_start = if bystander_cpr {
        b.range(40, 200)
    } else {
        t7 + b.range(15, 45)
    };
    if bystander_cpr {
        let level = b.pick(&["9905045", "9905049", "9905051", "9905047"]);
        b.performed_before("89666000", Some(cpr_start), level);
    }
    let cpr = b.perform("89666000", t7 + b.range(15, 40));
    b.procs[cpr].response = if rosc { IMPROVED } else { UNCHANGED };
    let bvm = b.perform("425447009", t7 + b.range(60, 120));
    b.procs[bvm].response = UNCHANGED;
    if b.chance(0.5) {
        b.perform("7443007", t7 + b.range(60, 150));
    }
    let access_at = t7 + b.range(120, 300);
    let route = if b.chance(if pediatric { 0.85 } else { 0.55 }) {
        b.io_access(access_at);
        IO
    } else {
        match b.access(access_at, 0.2, 0.6) {
            Some(r) => r,
            None => {
                b.io_access(access_at + 200);
                IO
            }
        }
    };
    let mut airway = false;
    if b.chance(if pediatric { 0.3 } else { 0.8 }) {
        let prefer_sad = pediatric || b.chance(0.5);
        let at = t7 + b.range(300, 540).min((t9 - t7) / 2);
        b.advanced_airway(at, prefer_sad, 0.25, 0.12, "4001005");
        airway = true;
    }
    // ROSC (or end of scene resuscitation).
    let rosc_at = t7 + ((t9 - t7) as f64 * b.r.f64().mul_add(0.2, 0.65)) as i64;
    let end = if rosc { rosc_at } else { t9 - 90 };
    let doses = b.range(if rosc { 1 } else { 3 }, if rosc { 4 } else { 6 });
    let span = (end - access_at - 60).max(doses * 60);
    let weight = b.weight();
    for k in 0..doses {
        let at = access_at + 60 + span * k / doses.max(1);
        let dose = if pediatric {
            (0.01 * weight).min(1.0)
        } else {
            1.0
        };
        b.give("3992", route, dose, MG, at);
    }
    if shockable {
        let at = access_at + 60 + span / 3;
        let dose = if pediatric { 5.0 * weight } else { 300.0 };
        b.give("703", route, dose.min(300.0), MG, at);
        if !pediatric && b.chance(0.5) {
            b.give("703", route, 150.0, MG, at + span / 3);
        }
    }
    if !pediatric && b.chance(0.15) {
        b.give("36676", route, 50.0, MEQ, access_at + span / 2);
    }
    if !pediatric && b.chance(0.05) {
        b.give("1901", route, 1.0, G, access_at + span / 2 + 30);
    }
    // Vitals: pulseless sets, then post-ROSC or ongoing.
    let n_pulseless = b.range(2, 3);
    for k in 0..n_pulseless {
        let at = t7 + 90 + (end - t7 - 120) * k / n_pulseless;
        let rhythm = if k == 0 {
            ekg
        } else if shockable && b.chance(0.5) {
            VF
        } else {
            b.pick(&[PEA, ASYSTOLE])
        };
        let etco2 = b.range(9, if rosc { 35 } else { 22 });
        b.pulseless_vital(at, rhythm, Some(etco2));
    }
    let mut post_rosc_rhythm = SINUS;
    if rosc {
        post_rosc_rhythm = b.pick(&[SINUS, STACH, STACH, SBRADY]);
        let s1 = b.range(84, 132);
        let mut s2 = s1 + b.range(-12, 14);
        if s1 >= 90 {
            s2 = s2.max(92);
        }
        let o1 = b.range(88, 99);
        let o2 = if o1 >= 90 {
            b.range(92, 99)
        } else {
            b.range(88, 99)
        };
        let hr = if pediatric { 120 } else { 100 };
        b.rosc_vital(
            rosc_at + 120,
            post_rosc_rhythm,
            s1,
            b.range(hr - 30, hr + 25),
            o1,
            b.range(30, 44),
        );
        let at = b.en_route_at(0.6);
        b.rosc_vital(
            at,
            post_rosc_rhythm,
            s2,
            b.range(hr - 25, hr + 20),
            o2,
            b.range(32, 42),
        );
        b.perform("268400002", rosc_at + b.range(180, 360));
        if !pediatric && b.chance(0.38) {
            let i = b.give(
                "7512",
                PUMP,
                b.range(4, 16) as f64,
                MCG_MIN,
                rosc_at + b.range(300, 600),
            );
            b.meds[i].response = IMPROVED;
        } else if !pediatric && b.chance(0.08) {
            b.give("8163", route, 100.0, MCG, rosc_at + b.range(240, 480));
        }
    } else if ongoing {
        let at = b.en_route_at(0.5);
        let r = b.pick(&[PEA, ASYSTOLE]);
        b.pulseless_vital(at, r, Some(b.range(8, 18)));
    }
    // eArrest.
    let mut resuscitation = vec!["3003005", "3003003"];
    if shockable {
        resuscitation.insert(0, "3003001");
    }
    let mut cpr_types = vec!["3009001", "3009013"];
    if !pediatric && b.chance(0.4) {
        cpr_types.push("3009003");
    }
    if airway {
        cpr_types.push("3009025");
    }
    let who_cpr = if bystander_cpr {
        b.pick(&["3020001", "3020003", "3020011"])
    } else if first_responders {
        "3020011"
    } else {
        "3020013"
    };
    b.arrest = Some(Arrest {
        when: "3001003",
        etiology: if pediatric {
            b.pick(&["3002013", "3002003", "3002011"])
        } else {
            b.weighted(&[
                (80, "3002001"),
                (8, "3002005"),
                (8, "3002013"),
                (4, "3002011"),
            ])
        },
        resuscitation,
        witnessed: witness,
        aed: if fr_aed {
            if shockable { "3007005" } else { "3007003" }
        } else {
            "3007001"
        },
        cpr_types,
        first_rhythm,
        rosc: if rosc { "3012005" } else { "3012001" },
        at: arrest_at,
        cpr_started: Some(cpr_start),
        discontinued: if tor {
            Some(b.pick(&["3016003", "3016009"]))
        } else if rosc {
            Some("3016011")
        } else {
            None
        },
        discontinued_at: tor.then_some(t9 - 120).or(rosc.then_some(rosc_at)),
        rhythms_at_destination: if rosc {
            vec![post_rosc_rhythm]
        } else if ongoing {
            vec![b.pick(&[PEA, ASYSTOLE])]
        } else {
            Vec::new()
        },
        outcome: if rosc {
            "3018007"
        } else if ongoing {
            "3018005"
        } else {
            "3018003"
        },
        who_cpr: Some(who_cpr),
        who_aed: fr_aed.then_some("3021011"),
        who_defib: shockable.then_some(if fr_aed { "3022011" } else { "3022013" }),
    });
    // Situation and disposition.
    b.complaint("Cardiac arrest", None, "2807011", "2808003", "R09.2", &[]);
    let impression = if pediatric {
        b.pick(&["I46.9", "T75.1XXA", "R99"])
    } else if shockable {
        "I49.01"
    } else {
        "I46.9"
    };
    let secondary: &[&str] = if shockable && !pediatric {
        &["I46.9"]
    } else {
        &[]
    };
    b.impression(impression, secondary, CRITICAL);
    b.protocols = vec![
        "9914055",
        match ekg {
            VF => "9914017",
            PEA => "9914015",
            _ => "9914011",
        },
    ];
    let pt = b.pt();
    let place = b.pick(&[
        "bedroom floor",
        "living room floor",
        "bathroom floor",
        "kitchen floor",
    ]);
    let cpr_text = if bystander_cpr {
        "bystander CPR in progress"
    } else if first_responders {
        "FD initiating CPR"
    } else {
        "no CPR in progress"
    };
    let wit = if witnessed {
        format!(
            "Arrest witnessed by {}, est. down time {} min.",
            if witness == "3004003" {
                "family"
            } else {
                "bystander"
            },
            b.range(2, 8)
        )
    } else {
        "Unwitnessed arrest, down time unknown.".to_owned()
    };
    let rhythm_text = match ekg {
        VF => "ventricular fibrillation",
        PEA => "PEA",
        _ => "asystole",
    };
    b.say(format!(
        "Found {pt} on {place}, unresponsive, pulseless and apneic, {cpr_text}. {wit} Initial rhythm {rhythm_text}."
    ));
    if shockable {
        let shocks = b.range(1, 4);
        b.say(format!(
            "High-performance CPR with rhythm checks q2 min, defibrillated x{shocks}."
        ));
    } else {
        b.say("High-performance CPR with rhythm checks q2 min, no shockable rhythm.");
    }
    if rosc {
        let at = hhmm(b, rosc_at);
        b.say(format!(
            "ROSC achieved at {at}. Post-ROSC care initiated, 12-lead obtained, ventilations titrated to EtCO2 35-45."
        ));
        b.transport(true, &["4220019", "4220021"], Some("4224005"), "4219001");
        if !pediatric {
            b.protocols.push("9914019");
        }
    } else if ongoing {
        b.say("Mechanical CPR device applied, resuscitation continued en route per protocol.");
        b.transport(true, &["4220019", "4220001"], Some("4224005"), "4219001");
    } else {
        let at = hhmm(b, t9 - 120);
        let doc = b.pick(&LAST);
        b.say(format!(
            "No ROSC after prolonged ALS resuscitation, EtCO2 persistently <10. OLMC (Dr. {doc}) contacted, resuscitation terminated at {at}. Family notified and supported, PD and ME notified."
        ));
        b.dead_on_scene(true);
        b.protocols.push("9914201");
    }
}

fn arrest_before(b: &mut B) {
    b.unit("als");
    b.dispatch("2301019", true, "09-E-1");
    if b.chance(0.85) {
        b.scene_home();
    } else {
        b.scene_public();
    }
    if b.chance(0.75) {
        b.scene.other_services = vec!["2704003"];
    }
    b.person(42, 96, 0.62);
    cardiac_history(b);
    if b.chance(0.22) {
        // Obvious death, no resuscitation.
        b.timeline(Kind::NoTransport, (12, 19), 0.55, 0.0);
        let dnr = b.chance(0.3);
        if dnr {
            b.hist.advance_directive = Some("3105011");
        }
        b.complaint(
            "Unresponsive, not breathing",
            None,
            "2807011",
            "2808003",
            "R09.2",
            &[],
        );
        b.impression("R99", &[], "2813007");
        let t7 = b.t(7);
        b.arrest = Some(Arrest {
            when: "3001003",
            etiology: "3002001",
            resuscitation: vec![if dnr { "3003009" } else { "3003007" }],
            witnessed: "3004001",
            aed: "3007001",
            cpr_types: Vec::new(),
            first_rhythm: "3011001",
            rosc: "3012001",
            at: None,
            cpr_started: None,
            discontinued: None,
            discontinued_at: None,
            rhythms_at_destination: Vec::new(),
            outcome: "3018003",
            who_cpr: None,
            who_aed: None,
            who_defib: None,
        });
        b.pulseless_vital(t7 + b.range(60, 150), ASYSTOLE, None);
        b.perform("46825001", t7 + b.range(40, 100));
        b.dead_on_scene(false);
        b.protocols = vec!["9914201"];
        if dnr {
            b.protocols.push("9914169");
        }
        let pt = b.pt();
        b.say(format!(
            "Found {pt} supine, pulseless and apneic, cool to touch with dependent lividity and rigor of the jaw. Asystole confirmed in 2 leads."
        ));
        b.say(if dnr {
            "Valid state DNR form presented by family, resuscitation withheld. PD on scene, ME notified, scene turned over to PD."
        } else {
            "Obvious signs of death, resuscitation not initiated per protocol. PD on scene, ME notified, scene turned over to PD."
        });
        return;
    }
    working_arrest(b, false);
}

fn arrest_after(b: &mut B) {
    b.unit("als");
    let kind = *b.r.weighted(&[(60, 0u8), (25, 1), (15, 2)]);
    match kind {
        0 => b.dispatch("2301021", true, "10-D-1"),
        1 => b.dispatch("2301013", true, "06-D-1"),
        _ => b.dispatch("2301053", true, "23-D-1"),
    }
    b.scene_home();
    b.person(45, 90, 0.6);
    cardiac_history(b);
    let dest = pci_center(b);
    b.timeline(Kind::Transport(dest), (16, 19), 0.65, 0.03);
    let t7 = b.t(7);
    let t9 = b.t(9);
    let arrest_at = t7 + b.range(180, 420).min((t9 - t7) / 3);
    let shockable = kind == 0 && b.chance(0.75) || b.chance(0.2);
    let ekg = if shockable { VF } else { PEA };
    let rosc = b.chance(if shockable { 0.65 } else { 0.4 });
    // Pre-arrest assessment.
    let (sbp, hr, spo2) = match kind {
        0 => (b.range(96, 150), b.range(88, 118), b.range(92, 98)),
        1 => (b.range(100, 160), b.range(110, 135), b.range(80, 88)),
        _ => (b.range(96, 130), b.range(50, 70), b.range(70, 86)),
    };
    let gcs = if kind == 2 {
        b.range(6, 9)
    } else {
        b.range(14, 15)
    };
    b.vitals.push(Vital {
        at: t7 + b.range(40, 100).min(arrest_at - t7 - 30),
        rhythm: Some(if kind == 0 { "9901051" } else { STACH }),
        ecg_type: Some(if kind == 0 { "3304007" } else { "3304003" }),
        ecg_method: Some("3305001"),
        sbp: Reading::Value(sbp),
        dbp: Some(sbp * 6 / 10),
        bp_method: Some("3308005"),
        hr: Reading::Value(hr),
        hr_method: Some("3311005"),
        spo2: Reading::Value(spo2),
        rr: Reading::Value(if kind == 2 { 4 } else { 24 }),
        resp_effort: Some(if kind == 2 { "3315013" } else { "3315003" }),
        etco2: None,
        glucose: Some(b.range(110, 220).to_string()),
        gcs: Some(gcs_parts(gcs)),
        gcs_qualifier: "3322003",
        temp_c: None,
        avpu: avpu(gcs),
        pain: (gcs >= 9).then(|| b.range(4, 9)),
        pain_type: "3328003",
        stroke: None,
        reperfusion: (kind == 0).then_some("3331003"),
    });
    if kind == 0 {
        b.perform("268400002", t7 + b.range(60, 150).min(arrest_at - t7 - 20));
        b.give(
            "1191",
            PO,
            324.0,
            MG,
            t7 + b.range(60, 160).min(arrest_at - t7 - 10),
        );
    }
    b.pulseless_vital(arrest_at + 60, ekg, Some(b.range(12, 30)));
    b.perform("89666000", arrest_at + b.range(5, 20));
    let access = b
        .access(arrest_at + b.range(60, 180), 0.15, 0.9)
        .unwrap_or(IO);
    let doses = b.range(1, 3);
    for k in 0..doses {
        b.give("3992", access, 1.0, MG, arrest_at + 200 + k * 230);
    }
    if shockable {
        b.give("703", access, 300.0, MG, arrest_at + 320);
    }
    if kind == 2 {
        let i = b.give(
            "7242",
            IV,
            2.0,
            MG,
            t7 + b.range(60, 120).min(arrest_at - t7 - 10),
        );
        b.meds[i].response = UNCHANGED;
    }
    if b.chance(0.6) {
        b.advanced_airway(
            arrest_at + b.range(240, 420),
            b.chance(0.5),
            0.1,
            0.08,
            "4001005",
        );
    } else {
        b.perform("425447009", arrest_at + 40);
    }
    let after = (arrest_at + 700).min(t9 - 60);
    if rosc {
        let s = b.range(78, 88);
        b.rosc_vital(
            after,
            STACH,
            s,
            b.range(100, 130),
            b.range(88, 95),
            b.range(30, 40),
        );
        let at = b.en_route_at(0.6);
        let s2 = b.range(70, 88);
        b.rosc_vital(
            at,
            STACH,
            s2,
            b.range(95, 125),
            b.range(90, 97),
            b.range(32, 42),
        );
        if b.chance(0.35) {
            b.give("7512", PUMP, b.range(4, 12) as f64, MCG_MIN, at - 120);
        }
    } else {
        let at = b.en_route_at(0.5);
        b.pulseless_vital(at, b.pick(&[PEA, ASYSTOLE]), Some(b.range(8, 20)));
    }
    // GCS (and SBP) fall from the first set to the last: deterioration by design.
    b.plan("deterioration");
    b.arrest = Some(Arrest {
        when: "3001005",
        etiology: ["3002001", "3002013", "3002005"][usize::from(kind)],
        resuscitation: if shockable {
            vec!["3003001", "3003005", "3003003"]
        } else {
            vec!["3003005", "3003003"]
        },
        witnessed: "3004005",
        aed: "3007001",
        cpr_types: vec!["3009001", "3009013"],
        first_rhythm: if shockable { "3011011" } else { "3011005" },
        rosc: if rosc { "3012005" } else { "3012001" },
        at: Some(arrest_at),
        cpr_started: Some(arrest_at + 10),
        discontinued: rosc.then_some("3016011"),
        discontinued_at: rosc.then_some(after - 60),
        rhythms_at_destination: vec![if rosc { STACH } else { PEA }],
        outcome: if rosc { "3018007" } else { "3018005" },
        who_cpr: Some("3020013"),
        who_aed: None,
        who_defib: shockable.then_some("3022013"),
    });
    let (text, symptom, impression) = match kind {
        0 => ("Chest pain", "R07.9", "I21.3"),
        1 => ("Difficulty breathing", "R06.02", "J96.01"),
        _ => ("Unresponsive", "R40.20", "T40.411A"),
    };
    b.complaint(
        text,
        Some((b.range(20, 90) as u32, MINUTES)),
        "2807005",
        "2808003",
        symptom,
        &[],
    );
    b.impression(impression, &["I46.9"], CRITICAL);
    b.protocols = vec!["9914055", if shockable { "9914017" } else { "9914015" }];
    let pt = b.pt();
    let at = hhmm(b, arrest_at);
    b.say(format!(
        "Found {pt} {}. While on scene pt became unresponsive and pulseless at {at}, witnessed by EMS; monitor showed {}. CPR initiated immediately.",
        ["sitting upright c/o substernal chest pressure, diaphoretic", "in tripod position in severe respiratory distress", "unresponsive with agonal respirations and pinpoint pupils"][usize::from(kind)],
        if shockable { "VF, defibrillated" } else { "PEA" }
    ));
    if rosc {
        b.say("ROSC achieved after brief resuscitation. Post-ROSC pt remains unresponsive, hypotensive.");
    } else {
        b.say("Resuscitation continued en route without ROSC.");
    }
    b.transport(
        true,
        &["4220019"],
        Some(if kind == 0 { "4224013" } else { "4224005" }),
        "4219001",
    );
}

// ----- cardiac -----------------------------------------------------------------------------

fn chest_pain(b: &mut B, stemi: bool) {
    b.unit(if stemi || b.chance(0.92) {
        "als"
    } else {
        "bls"
    });
    let det = b.pick(&["10-D-1", "10-C-1", "10-C-2", "10-C-4"]);
    b.dispatch("2301021", true, det);
    if b.chance(0.85) {
        b.scene_home();
    } else {
        b.scene_public();
    }
    b.person(if stemi { 40 } else { 30 }, 92, 0.58);
    cardiac_history(b);
    let refuse = !stemi && b.chance(0.08);
    let dest = if stemi { pci_center(b) } else { nearest(b) };
    b.timeline(
        if refuse {
            Kind::NoTransport
        } else {
            Kind::Transport(dest)
        },
        if stemi { (8, 15) } else { (9, 17) },
        0.02,
        0.02,
    );
    let symptom = b.pick(&["R07.9", "R07.89", "R07.2"]);
    let others = some(b, &["R06.02", "R11.0", "R61", "R42"], 0.35);
    let minutes = b.range(15, 180) as u32;
    b.complaint(
        "Chest pain",
        Some((minutes, MINUTES)),
        "2807005",
        "2808003",
        symptom,
        &others,
    );
    if !others.contains(&"R06.02") && b.chance(0.4) {
        b.sit.absent_symptoms.push("R06.02");
    }
    let stemi_rhythm = b.pick(&["9901051", "9901053", "9901055"]);
    let inferior = stemi_rhythm == "9901053";
    if stemi {
        let imp = match stemi_rhythm {
            "9901053" => "I21.19",
            "9901051" => "I21.09",
            _ => "I21.3",
        };
        b.impression(imp, &["R07.9"], CRITICAL);
    } else {
        let imp =
            *b.r.weighted(&[(50, "R07.9"), (25, "I20.9"), (15, "R07.89"), (10, "I21.4")]);
        let acuity = if b.chance(0.7) { EMERGENT } else { LOWER };
        b.impression(imp, &[], acuity);
    }
    let mut tr = b.traj();
    tr.pain = Some(((4, 9), (1, 5)));
    tr.twelve_lead = b.als;
    tr.reperfusion = stemi;
    let (r1, r2) = if stemi {
        (stemi_rhythm, b.pick(&[SINUS, STACH, SBRADY]))
    } else {
        *b.r.weighted(&[
            (70, (SINUS, SINUS)),
            (15, (STACH, SINUS)),
            (15, (AFIB, AFIB)),
        ])
    };
    tr.rhythm = (r1, r2);
    if r1 == STACH {
        tr.hr = ((102, 118), (86, 99));
    } else if r1 == AFIB {
        tr.hr = ((96, 128), (84, 110));
    } else if r2 == SBRADY {
        tr.hr = ((52, 58), (50, 58));
    }
    let det_p = if stemi { 0.1 } else { 0.03 };
    if b.chance(det_p) {
        tr.det = Some(Det::Sbp);
    }
    let deteriorates = tr.det.is_some();
    b.vitals(tr);
    let sbp0 = first_sbp(b);
    let t = b.on_scene_at(0.15);
    b.monitor(t, b.als);
    // Aspirin.
    let roll = b.r.f64();
    if roll < 0.14 {
        if b.chance(0.6) {
            b.given_before("1191", PO, 324.0, MG, Some(-b.range(300, 1800)), "9905043");
        }
        b.withhold("1191", "8801009", t + 30);
    } else if roll < 0.17 {
        b.hist.allergies = vec!["1191"];
        b.hist.nkda = false;
        b.withhold("1191", "8801007", t + 30);
    } else if roll < 0.19 && !stemi {
        b.withhold("1191", "8801019", t + 30);
    } else {
        let i = b.give("1191", PO, 324.0, MG, t + b.range(30, 120));
        b.meds[i].response = UNCHANGED;
    }
    let route = b.access(t + b.range(120, 300), 0.07, 0.0);
    // Nitroglycerin.
    if !b.als && !stemi {
        // BLS: patient's own NTG only.
    } else if sbp0 < 100 || (stemi && inferior && b.chance(0.6)) || b.chance(0.05) {
        b.withhold("4917", "8801001", t + 150);
    } else {
        let n = b.range(1, 3);
        for k in 0..n {
            let i = b.give("4917", SL, 0.4, MG, t + 150 + k * 300);
            b.meds[i].response = if k == n - 1 { IMPROVED } else { UNCHANGED };
            if deteriorates && k == n - 1 {
                b.meds[i].complications = vec!["3708019"];
                b.meds[i].response = WORSE;
            } else if k == n - 1 && b.chance(0.03) {
                // Transient headache/hypotension after NTG, resolved.
                b.meds[i].complications = vec![b.pick(&["3708019", "3708033"])];
            }
        }
    }
    if deteriorates {
        if let Some(r) = route {
            let at = b.en_route_at(0.7);
            b.give("9863", r, 500.0, ML, at);
        }
        b.say("BP dropped en route, pt became pale and lightheaded; fluid bolus initiated, OLMC notified.");
    }
    if let Some(r) = route {
        if b.chance(if stemi { 0.45 } else { 0.2 }) {
            let at = b.en_route_at(0.3);
            let i = b.give("4337", r, b.pick(&[25.0, 50.0, 50.0, 75.0]), MCG, at);
            b.meds[i].response = IMPROVED;
            if b.chance(0.06) {
                b.meds[i].complications = vec![b.pick(&["3708029", "3708019", "3708043"])];
            }
        }
        if b.chance(0.1) {
            let at = b.en_route_at(0.5);
            b.give("26225", r, 4.0, MG, at);
        }
    }
    b.protocols = vec![if stemi { "9914143" } else { "9914117" }];
    let pt = b.pt();
    let desc = b.pick(&[
        "substernal chest pressure radiating to the left arm",
        "chest tightness radiating to the jaw",
        "sharp left-sided chest pain worse with deep breaths",
        "burning epigastric/chest discomfort",
    ]);
    b.say(format!(
        "Found {pt} sitting upright, A&Ox4, c/o {desc} that began approx {minutes} min PTA. Pain rated {}/10.",
        b.vitals.first().and_then(|v| v.pain).unwrap_or(6)
    ));
    if stemi {
        let leads = match stemi_rhythm {
            "9901053" => "II, III, aVF",
            "9901051" => "V1-V4",
            _ => "I, aVL, V5-V6",
        };
        b.say(format!(
            "12-lead shows ST elevation in {leads}, transmitted to receiving facility."
        ));
        if b.chance(0.3) {
            b.disp.inpatient = Some("4222003");
            b.destination_note = Some(
                "Cath lab team met EMS at the door, pt taken directly to cath lab.".to_owned(),
            );
        }
        b.transport(true, &["4220019", "4220021"], Some("4224013"), "4219001");
    } else if refuse {
        if !b.als || b.chance(0.3) {
            let at = b.on_scene_at(0.3);
            b.decline("268400002", "8801019", at);
            b.say("Pt refused 12-lead ECG. Pt states pain resolved.");
        } else {
            b.say("12-lead sinus rhythm without acute ST changes. Pt states pain resolved.");
        }
        refusal_story(b);
        b.refuse(if b.chance(0.5) { 0 } else { 2 });
    } else {
        b.say("12-lead without acute ST elevation.");
        let emergent = b.chance(0.25);
        b.transport(
            emergent,
            &[b.pick(&["4220001", "4220015", "4220017"])],
            None,
            "4219003",
        );
    }
}

fn bradycardia(b: &mut B) {
    b.unit("als");
    b.dispatch(b.pick(&["2301077", "2301041", "2301061"]), true, "31-D-3");
    b.scene_home();
    b.person(58, 96, 0.5);
    cardiac_history(b);
    let dest = pci_center(b);
    b.timeline(Kind::Transport(dest), (12, 19), 0.04, 0.02);
    let rhythm = b.pick(&["9901017", "9901017", "9901015", SBRADY]);
    let pace = rhythm != SBRADY && b.chance(0.85) || b.chance(0.3);
    b.complaint(
        "Weakness and dizziness",
        Some((b.range(1, 12) as u32, HOURS)),
        "2807011",
        "2808003",
        "R42",
        &["R53.1", "R55"],
    );
    let imp = match rhythm {
        "9901017" => "I44.2",
        "9901015" => "I44.1",
        _ => "R00.1",
    };
    b.impression(imp, &[], CRITICAL);
    let mut tr = b.traj();
    tr.rhythm = (rhythm, if pace { "9901033" } else { rhythm });
    tr.hr = ((28, 44), if pace { (70, 72) } else { (48, 58) });
    tr.sbp = ((66, 88), (96, 124));
    tr.gcs = ((13, 15), (15, 15));
    tr.twelve_lead = true;
    tr.glucose = Some((90, 190));
    b.vitals(tr);
    let t = b.on_scene_at(0.15);
    b.monitor(t, true);
    let route = b.access(t + 90, 0.08, 0.5).unwrap_or(IO);
    let i = b.give("1223", route, 1.0, MG, t + 200);
    b.meds[i].response = if rhythm == SBRADY {
        IMPROVED
    } else {
        UNCHANGED
    };
    if pace {
        let at = b.on_scene_at(0.6);
        if b.chance(0.6) {
            let i = b.give("6960", route, 2.0, MG, at - 60);
            b.meds[i].response = IMPROVED;
        } else {
            b.give("4337", route, 50.0, MCG, at - 60);
        }
        let p = b.perform("18590009", at);
        b.procs[p].by = Some(0);
        b.procs[p].level = b.crew[0].caregiver_level;
        if b.chance(0.07) {
            b.procs[p].success = false;
            b.say("Unable to obtain consistent mechanical capture despite max output; pads repositioned without success.");
        } else {
            b.procs[p].response = IMPROVED;
            b.say(format!(
                "Transcutaneous pacing initiated at rate 70, mechanical capture at {} mA.",
                b.range(60, 110)
            ));
        }
    }
    if b.chance(0.12) {
        let at = b.en_route_at(0.3);
        let i = b.give("3628", PUMP, b.range(5, 10) as f64, MCG_KG_MIN, at);
        b.meds[i].response = IMPROVED;
    }
    let pt = b.pt();
    b.say(format!("Found {pt} pale and diaphoretic, near-syncopal on standing. Monitor shows bradycardia in the 30s-40s."));
    b.protocols = vec!["9914115"];
    b.transport(true, &["4220021"], None, "4219001");
}

fn tachycardia(b: &mut B) {
    b.unit("als");
    b.dispatch(b.pick(&["2301041", "2301021", "2301013"]), true, "19-D-4");
    b.scene_home();
    let kind = *b.r.weighted(&[(45, 0u8), (35, 1), (20, 2)]);
    b.person(if kind == 0 { 20 } else { 50 }, 90, 0.5);
    cardiac_history(b);
    let dest = nearest(b);
    b.timeline(Kind::Transport(dest), (10, 18), 0.03, 0.02);
    let unstable = b.chance(if kind == 2 { 0.4 } else { 0.25 });
    let (rhythm, imp, hr0) = match kind {
        0 => ("9901059", "I47.1", (165, 220)),
        1 => (AFIB, "I48.91", (130, 170)),
        _ => ("9901069", "I47.2", (150, 200)),
    };
    b.complaint(
        "Palpitations",
        Some((b.range(20, 240) as u32, MINUTES)),
        "2807005",
        "2808003",
        "R00.2",
        &["R42", "R06.02"],
    );
    b.impression(imp, &[], if unstable { CRITICAL } else { EMERGENT });
    let mut tr = b.traj();
    tr.rhythm = (rhythm, if kind == 1 { AFIB } else { SINUS });
    tr.hr = (hr0, if kind == 1 { (95, 115) } else { (80, 105) });
    tr.sbp = if unstable {
        ((70, 86), (100, 125))
    } else {
        ((104, 140), (110, 138))
    };
    tr.twelve_lead = true;
    b.vitals(tr);
    let t = b.on_scene_at(0.15);
    b.monitor(t, true);
    let route = b.access(t + 90, 0.06, 0.0).unwrap_or(IV);
    let pt = b.pt();
    if unstable {
        let at = b.on_scene_at(0.55);
        let i = b.give(b.pick(&["6960", "4177"]), route, 0.0, MG, at - 60);
        let (dose, _) = if b.meds[i].code == "4177" {
            (0.15 * b.weight(), 0)
        } else {
            (2.5, 0)
        };
        b.meds[i].dose = dose_str(dose.round().max(1.0));
        b.meds[i].response = IMPROVED;
        let p = b.perform("250980009", at);
        b.procs[p].by = Some(0);
        b.procs[p].level = b.crew[0].caregiver_level;
        if b.chance(0.08) {
            b.procs[p].success = false;
            b.procs[p].attempts = 2;
            b.say("Synchronized cardioversion x2 without conversion.");
        } else {
            b.procs[p].attempts = b.range(1, 2);
            b.procs[p].response = IMPROVED;
            b.say(format!("Pt hypotensive and altered; synchronized cardioversion at {} J with conversion to sinus rhythm.", b.pick(&[100, 120, 150, 200])));
        }
    } else {
        match kind {
            0 => {
                let i = b.give("296", route, 6.0, MG, t + 240);
                if b.chance(0.5) {
                    b.give("296", route, 12.0, MG, t + 420);
                    b.meds[i].response = UNCHANGED;
                }
                let last = b.meds.len() - 1;
                b.meds[last].response = IMPROVED;
                b.say("Modified vagal maneuver unsuccessful; adenosine rapid IVP with conversion to sinus rhythm.");
            }
            1 => {
                let dose = (0.25 * b.weight()).round().min(25.0);
                let i = b.give("3443", route, dose, MG, t + 300);
                b.meds[i].response = IMPROVED;
            }
            _ => {
                let i = b.give("703", route, 150.0, MG, t + 300);
                b.meds[i].response = IMPROVED;
            }
        }
    }
    b.say(format!(
        "{pt} c/o rapid heartbeat, lightheadedness. Hx of similar episodes."
    ));
    b.protocols = vec![if kind == 2 { "9914151" } else { "9914147" }];
    b.transport(
        unstable,
        &["4220001"],
        None,
        if unstable { "4219001" } else { "4219003" },
    );
}

fn chf(b: &mut B) {
    b.unit("als");
    b.dispatch("2301013", true, "06-D-2");
    if b.chance(0.8) {
        b.scene_home();
    } else {
        b.nursing_home();
    }
    b.person(58, 96, 0.5);
    let conditions = some(b, &["I50.9", "I10", "I48.91", "E11.9", "N18.30"], 0.5);
    let mut conditions = conditions;
    conditions.insert(0, "I50.9");
    conditions.dedup();
    b.history(&conditions, &["4603", "6918", "29046"]);
    let dest = nearest(b);
    b.timeline(Kind::Transport(dest), (10, 18), 0.03, 0.02);
    b.complaint(
        "Difficulty breathing",
        Some((b.range(1, 12) as u32, HOURS)),
        "2807005",
        "2808019",
        "R06.02",
        &["R06.00", "R05.9"],
    );
    b.impression(b.pick(&["I50.9", "J81.0"]), &["I10"], CRITICAL);
    let det = b.chance(0.08);
    let mut tr = b.traj();
    tr.spo2 = ((80, 89), (92, 97));
    tr.sbp = ((160, 212), (138, 168));
    tr.hr = ((100, 128), (88, 108));
    tr.rr = ((28, 38), (18, 24));
    tr.rhythm = *b.r.weighted(&[(60, (STACH, SINUS)), (40, (AFIB, AFIB))]);
    tr.effort = ("3315003", "3315005");
    tr.etco2 = Some(((28, 48), (34, 44)));
    tr.twelve_lead = true;
    if det {
        tr.det = Some(Det::Spo2);
        tr.spo2 = ((91, 93), (82, 88));
    }
    b.vitals(tr);
    let t = b.on_scene_at(0.12);
    b.monitor(t, true);
    let cpap = b.perform("47545007", t + 90);
    b.procs[cpap].response = if det { WORSE } else { IMPROVED };
    if b.chance(0.05) {
        b.procs[cpap].complications = vec!["3907021"];
    }
    let sbp0 = first_sbp(b);
    if sbp0 > 110 {
        let n = b.range(2, 3);
        for k in 0..n {
            let i = b.give(
                "4917",
                SL,
                if b.chance(0.2) { 0.8 } else { 0.4 },
                MG,
                t + 120 + k * 300,
            );
            b.meds[i].response = IMPROVED;
        }
    }
    let route = b.access(t + 240, 0.08, 0.3);
    let pt = b.pt();
    b.say(format!(
        "Found {pt} in tripod position, speaking 2-3 word sentences, rales bilaterally to mid-fields, 2+ pedal edema. Pt reports sleeping upright x3 nights."
    ));
    if det {
        if b.chance(0.5) && route.is_some() {
            let at = b.en_route_at(0.3);
            let r = route.unwrap_or(IV);
            b.give("4177", r, (0.3 * b.weight()).round(), MG, at - 120);
            b.give("68139", r, b.weight().round(), MG, at - 90);
            b.advanced_airway(at, false, 0.12, 0.15, "4001013");
            b.say("Pt fatigued on CPAP with worsening hypoxia and decreasing mental status; RSI performed.");
        } else {
            b.say("Despite CPAP and NTG pt became increasingly hypoxic and fatigued en route.");
        }
    } else {
        b.say("Marked improvement in work of breathing on CPAP.");
    }
    b.protocols = vec!["9914137"];
    b.transport(true, &["4220001"], None, "4219001");
}

// ----- neuro / metabolic -------------------------------------------------------------------

fn stroke(b: &mut B) {
    b.unit(if b.chance(0.92) { "als" } else { "bls" });
    b.dispatch("2301067", true, "28-C-1L");
    b.scene_home();
    b.person(45, 96, 0.48);
    cardiac_history(b);
    let dest =
        *b.r.weighted(&[(50, ST_BRIGID), (35, HARBOR_GENERAL), (15, RIVERSIDE)]);
    b.timeline(Kind::Transport(dest), (8, 15), 0.02, 0.12);
    let lkw = -b.range(15 * 60, 5 * 3600);
    b.sit.last_known_well = Some(lkw);
    let impression = *b.r.weighted(&[(75, "I63.9"), (15, "G45.9"), (10, "I61.9")]);
    let others = some(b, &["R47.81", "R53.1", "R47.01", "R42"], 0.45);
    b.complaint(
        "Slurred speech and facial droop",
        Some((((-lkw) / 60) as u32, MINUTES)),
        "2807015",
        "2808005",
        "R29.810",
        &others,
    );
    let critical = b.chance(0.4);
    b.impression(
        impression,
        &["I10"],
        if critical { CRITICAL } else { EMERGENT },
    );
    let mut tr = b.traj();
    tr.sbp = ((150, 205), (140, 190));
    tr.gcs = ((13, 15), (13, 15));
    tr.glucose = Some((90, 190));
    tr.stroke = Some("3329005");
    tr.reperfusion = true;
    tr.rhythm = *b.r.weighted(&[(70, (SINUS, SINUS)), (30, (AFIB, AFIB))]);
    if b.chance(0.08) {
        tr.det = Some(Det::Gcs);
    }
    let det = tr.det.is_some();
    b.vitals(tr);
    let t = b.on_scene_at(0.2);
    b.glucose_check(t);
    b.monitor(t + 60, b.chance(0.5));
    b.access(t + 180, 0.07, 0.0);
    if b.chance(0.2) {
        b.withhold("1191", "8801001", t + 200);
    }
    let pt = b.pt();
    let lkw_at = hhmm(b, lkw);
    b.say(format!(
        "Found {pt} seated, family reports sudden onset of slurred speech and right-sided weakness. LKW {lkw_at}. BEFAST positive for facial droop, arm drift and speech."
    ));
    let long = match (b.times.get(9), b.times.get(11)) {
        (Some(a), Some(c)) => c - a > 30 * 60,
        _ => false,
    };
    if long {
        b.destination_note = Some(
            "LVO screen positive, transported to comprehensive stroke center per protocol."
                .to_owned(),
        );
    }
    if det {
        b.say("Mental status declined en route with increasing confusion.");
    }
    b.protocols = vec!["9914145"];
    b.transport(
        true,
        &["4220021", "4220019"],
        Some("4224015"),
        if critical { "4219001" } else { "4219003" },
    );
}

fn overdose(b: &mut B) {
    b.unit(if b.chance(0.9) { "als" } else { "bls" });
    let (reason, det) = b.pick(&[
        ("2301053", "23-D-1"),
        ("2301079", "32-D-1"),
        ("2301077", "31-D-2"),
    ]);
    b.dispatch(reason, true, det);
    if b.chance(0.55) {
        b.scene_home();
    } else {
        b.scene_public();
    }
    if b.chance(0.5) {
        b.scene.other_services = vec!["2704009"];
    }
    b.person(16, 62, 0.68);
    b.history(&some(b, &["F11.20", "F32.A", "F41.9"], 0.3), &[]);
    b.hist.alcohol_drugs = some(b, &["3117003", "3117015", "3117007"], 0.5);
    if b.hist.alcohol_drugs.is_empty() {
        b.hist.alcohol_drugs.push("3117013");
    }
    let refuse = b.chance(0.22);
    let dest = nearest(b);
    b.timeline(
        if refuse {
            Kind::NoTransport
        } else {
            Kind::Transport(dest)
        },
        (8, 16),
        0.03,
        0.02,
    );
    let prior_naloxone = b.chance(0.35);
    let awake = prior_naloxone && b.chance(0.5);
    if prior_naloxone {
        let at = b.range(60, (b.t(6) - 30).max(90));
        let who = b.pick(&["9905047", "9905045", "9905051", "9905047"]);
        b.given_before("7242", IN, 4.0, MG, Some(at), who);
    }
    let imp = *b.r.weighted(&[
        (35, "T40.2X1A"),
        (30, "T40.411A"),
        (20, "T40.1X1A"),
        (15, "T40.601A"),
    ]);
    b.complaint(
        "Unresponsive",
        None,
        "2807011",
        "2808005",
        "R40.20",
        &["R06.89"],
    );
    b.impression(imp, &["F11.20"], if awake { EMERGENT } else { CRITICAL });
    let mut tr = b.traj();
    if awake {
        tr.gcs = ((13, 15), (14, 15));
        tr.rr = ((12, 16), (14, 18));
        tr.spo2 = ((92, 97), (95, 99));
    } else {
        tr.gcs = ((3, 7), (14, 15));
        tr.rr = ((2, 8), (14, 18));
        tr.spo2 = ((68, 86), (94, 99));
        tr.hr = ((52, 70), (84, 110));
        tr.effort = ("3315013", "3315007");
    }
    tr.glucose = Some((80, 140));
    tr.etco2 = (!awake).then_some(((52, 72), (36, 44)));
    b.vitals(tr);
    let t = b.on_scene_at(0.1);
    let pt = b.pt();
    if awake {
        b.say(format!(
            "Found {pt} sitting up, drowsy but arousable after naloxone given PTA. Pt admits to using heroin/fentanyl. Pupils 3 mm, respirations adequate."
        ));
        if b.chance(0.45) {
            b.withhold(
                "7242",
                if b.chance(0.5) { "8801019" } else { "8801027" },
                t + 60,
            );
        }
    } else {
        b.say(format!(
            "Found {pt} unresponsive with snoring/agonal respirations, cyanotic, pinpoint pupils. Drug paraphernalia noted."
        ));
        let bvm = b.perform("425447009", t);
        b.procs[bvm].response = IMPROVED;
        if b.chance(0.3) {
            b.perform("7443007", t + 20);
        }
        b.oxygen(t + 30, BVM_ROUTE, 15.0);
        let route = if b.chance(0.5) {
            b.access(t + 90, 0.15, 0.1)
        } else {
            None
        };
        let (r, dose) = match route {
            Some(r) => (r, b.pick(&[0.4, 0.5, 1.0, 2.0])),
            None => (IN, b.pick(&[2.0, 4.0, 4.0])),
        };
        let at = t + b.range(60, 180);
        let i = b.give("7242", r, dose, MG, at);
        b.meds[i].response = IMPROVED;
        if b.chance(0.13) {
            b.meds[i].complications = vec![b.pick(&["3708041", "3708037", "3708033"])];
            b.say("Pt vomited and became agitated/combative upon waking; airway cleared.");
        } else {
            b.say("Pt responded to naloxone with improved respiratory effort and mental status.");
        }
        if b.chance(0.2) {
            b.give("7242", r, dose, MG, at + b.range(180, 300));
        }
        if b.chance(0.03) {
            b.advanced_airway(at + 400, b.chance(0.5), 0.15, 0.1, "4001003");
            b.say("No response to repeated naloxone; suspected polysubstance ingestion, advanced airway placed.");
        }
    }
    b.protocols = vec!["9914219"];
    if refuse {
        b.say("Pt now A&Ox4, ambulatory, educated on risk of re-sedation after naloxone wears off. Leave-behind naloxone kit provided.");
        let how = if b
            .meds
            .iter()
            .any(|m| m.code == "7242" && !m.prior && m.pn.is_none())
        {
            2
        } else {
            0
        };
        b.refuse(how);
    } else {
        b.transport(false, &["4220001"], None, "4219003");
    }
}

fn hypoglycemia(b: &mut B) {
    b.unit(if b.chance(0.9) { "als" } else { "bls" });
    b.dispatch(b.pick(&["2301027", "2301085", "2301077"]), true, "13-C-1");
    b.scene_home();
    b.person(22, 92, 0.5);
    let t1 = b.chance(0.3);
    let (cond, med) = if t1 {
        ("E10.9", "274783")
    } else {
        ("E11.9", "6809")
    };
    b.history(&[cond, "I10"], &[med, "274783"]);
    let outcome = *b.r.weighted(&[(58, 0u8), (24, 1), (18, 2)]);
    let dest = nearest(b);
    b.timeline(
        if outcome == 0 {
            Kind::Transport(dest)
        } else {
            Kind::NoTransport
        },
        (10, 18),
        0.02,
        0.02,
    );
    b.complaint(
        "Altered mental status",
        None,
        "2807011",
        "2808007",
        "R41.82",
        &["R61"],
    );
    let imp = if t1 {
        "E10.649"
    } else {
        b.pick(&["E16.2", "E11.649"])
    };
    b.impression(imp, &[], EMERGENT);
    let mut tr = b.traj();
    tr.gcs = ((8, 13), (15, 15));
    tr.glucose = Some((22, 55));
    tr.glucose_recheck = Some((92, 185));
    tr.n = (2, 3);
    b.vitals(tr);
    let gcs0 = first_gcs(b);
    let t = b.on_scene_at(0.1);
    b.perform("33747003", t);
    let pt = b.pt();
    b.say(format!(
        "Found {pt} diaphoretic and confused per family, GCS {gcs0}. BGL {} mg/dL.",
        b.vitals
            .first()
            .and_then(|v| v.glucose.clone())
            .unwrap_or_default()
    ));
    if gcs0 >= 13 && b.chance(0.5) {
        let i = b.give("4850", PO, 15.0, G, t + 90);
        b.meds[i].response = IMPROVED;
    } else {
        match b.access(t + 90, 0.15, 0.0) {
            Some(r) => {
                let i = b.give("4850", r, 25.0, G, t + 200);
                b.meds[i].response = IMPROVED;
            }
            None => {
                let i = b.give("4832", IM, 1.0, MG, t + 150);
                b.meds[i].response = IMPROVED;
            }
        }
    }
    b.say("Pt returned to baseline mental status, able to eat a meal.");
    b.protocols = vec!["9914125"];
    match outcome {
        0 => b.transport(false, &["4220015"], None, "4219005"),
        1 => {
            refusal_story(b);
            b.refuse(2);
        }
        _ => b.released_after_care(),
    }
}

fn respiratory(b: &mut B, copd: bool) {
    b.unit(if b.chance(0.9) { "als" } else { "bls" });
    b.dispatch("2301013", true, "06-D-2");
    b.scene_home();
    if copd {
        b.person(55, 92, 0.5);
        b.history(&["J44.9", "I10"], &["435", "69120"]);
    } else {
        b.person(12, 55, 0.45);
        b.history(&["J45.909"], &["435", "36437"]);
    }
    let refuse = !copd && b.chance(0.08);
    let dest = nearest(b);
    b.timeline(
        if refuse {
            Kind::NoTransport
        } else {
            Kind::Transport(dest)
        },
        (8, 16),
        0.02,
        0.02,
    );
    let severe = b.chance(0.2);
    let child = b.is_child();
    let imp = if copd {
        b.pick(&["J44.1", "J44.1", "J44.0"])
    } else if severe {
        "J45.902"
    } else {
        "J45.901"
    };
    let secondary: &[&str] = if severe { &["J96.01"] } else { &[] };
    b.complaint(
        "Shortness of breath",
        Some((b.range(1, 24) as u32, HOURS)),
        "2807005",
        "2808019",
        b.pick(&["R06.02", "R06.2"]),
        &["R05.9"],
    );
    b.impression(
        imp,
        secondary,
        if severe && !child { CRITICAL } else { EMERGENT },
    );
    let mut tr = b.traj();
    tr.spo2 = if copd {
        ((82, 90), (89, 94))
    } else if severe {
        ((84, 91), (93, 98))
    } else {
        ((90, 95), (95, 99))
    };
    tr.rr = if severe {
        ((30, 40), (20, 26))
    } else {
        ((22, 30), (16, 22))
    };
    tr.hr = ((100, 128), (90, 112));
    tr.rhythm = (STACH, STACH);
    tr.effort = ("3315003", "3315007");
    tr.etco2 = b.chance(0.6).then_some(((28, 50), (34, 44)));
    let det_p = if copd { 0.06 } else { 0.035 };
    if b.chance(det_p) {
        tr.det = Some(if copd && b.chance(0.4) {
            Det::Gcs
        } else {
            Det::Spo2
        });
    }
    let det = tr.det.is_some();
    b.vitals(tr);
    let t = b.on_scene_at(0.12);
    let n = if severe { b.range(2, 3) } else { b.range(1, 2) };
    for k in 0..n {
        let i = b.give(
            "435",
            NEB,
            if child && b.age_years() < 12.0 {
                2.5
            } else {
                b.pick(&[2.5, 5.0])
            },
            MG,
            t + 60 + k * 420,
        );
        b.meds[i].response = IMPROVED;
        if k == 0 {
            b.give("7213", NEB, 0.5, MG, t + 60);
        }
    }
    let route = if b.als && (severe || b.chance(0.5)) {
        b.access(t + 240, 0.08, 0.2)
    } else {
        None
    };
    if let Some(r) = route {
        let i = b.give(
            if b.chance(0.7) { "6902" } else { "3264" },
            r,
            0.0,
            MG,
            t + 330,
        );
        let dose = if b.meds[i].code == "6902" {
            125.0_f64.min(2.0 * b.weight())
        } else {
            10.0
        };
        b.meds[i].dose = dose_str(dose.round());
        if severe && b.chance(0.5) {
            b.give("6585", r, 2.0, G, t + 420);
        }
    }
    if severe && !copd && b.chance(0.2) {
        b.give("3992", IM, 0.3, MG, t + 200);
    }
    if severe && b.chance(0.4) {
        let p = b.perform("47545007", t + 500);
        b.procs[p].response = if det { WORSE } else { IMPROVED };
    }
    let pt = b.pt();
    b.say(format!(
        "Found {pt} sitting upright with audible wheezing, accessory muscle use, speaking in short sentences. Pt used home inhaler x{} without relief.",
        b.range(2, 6)
    ));
    if det {
        if copd && b.chance(0.4) && route.is_some() {
            let at = b.en_route_at(0.4);
            let r = route.unwrap_or(IV);
            b.give("6130", r, (1.5 * b.weight()).round(), MG, at - 100);
            b.give("68139", r, b.weight().round(), MG, at - 80);
            b.advanced_airway(at, false, 0.1, 0.15, "4001013");
            b.say("Pt tiring with worsening hypoxia and hypercapnia despite treatment; RSI performed en route.");
        } else {
            b.say("Pt became more fatigued and hypoxic en route despite continuous nebulized treatment.");
        }
    } else {
        b.say("Improved air movement and decreased work of breathing after treatment.");
    }
    b.protocols = vec!["9914139"];
    if refuse {
        refusal_story(b);
        b.refuse(2);
    } else {
        b.transport(
            severe,
            &["4220001"],
            None,
            if severe { "4219001" } else { "4219003" },
        );
    }
}

fn seizure(b: &mut B) {
    b.unit(if b.chance(0.9) { "als" } else { "bls" });
    b.dispatch("2301025", true, "12-D-2");
    if b.chance(0.7) {
        b.scene_home();
    } else {
        b.scene_public();
    }
    b.person(18, 82, 0.55);
    let epileptic = b.chance(0.55);
    if epileptic {
        b.history(&["G40.909"], &["114477"]);
    } else {
        generic_history(b);
    }
    let refuse = epileptic && b.chance(0.25);
    let dest = nearest(b);
    b.timeline(
        if refuse {
            Kind::NoTransport
        } else {
            Kind::Transport(dest)
        },
        (8, 16),
        0.02,
        0.02,
    );
    let active = b.chance(0.25);
    b.complaint(
        "Seizure",
        Some((b.range(2, 20) as u32, MINUTES)),
        "2807015",
        "2808005",
        "R56.9",
        &["R41.0"],
    );
    let imp = if epileptic {
        "G40.909"
    } else {
        b.pick(&["R56.9", "R56.9", "F10.239"])
    };
    b.impression(imp, &[], if active { CRITICAL } else { EMERGENT });
    let det = !refuse && b.chance(0.03);
    let mut tr = b.traj();
    tr.gcs = if active {
        ((3, 8), (12, 15))
    } else {
        ((9, 13), (13, 15))
    };
    if refuse {
        tr.gcs = ((14, 15), (15, 15));
    }
    tr.glucose = Some((80, 160));
    tr.hr = ((95, 125), (80, 100));
    if det {
        tr.det = Some(Det::Gcs);
        tr.gcs = ((13, 15), (8, 11));
    }
    b.vitals(tr);
    let t = b.on_scene_at(0.1);
    b.glucose_check(t + 30);
    let pt = b.pt();
    if active {
        b.say(format!("Found {pt} actively seizing, generalized tonic-clonic activity, duration >5 min per bystanders."));
        let (route, dose) = if b.chance(0.6) { (IM, 10.0) } else { (IN, 5.0) };
        let i = b.give("6960", route, dose, MG, t + 60);
        b.meds[i].response = IMPROVED;
        if b.chance(0.05) {
            b.meds[i].complications = vec![b.pick(&["3708009", "3708023"])];
            b.say("Respiratory depression noted after midazolam, assisted ventilations via BVM briefly.");
            b.perform("425447009", t + 200);
        }
    } else {
        b.say(format!(
            "Found {pt} postictal, per witness generalized seizure lasting approx {} min. Tongue laceration noted, incontinent of urine.",
            b.range(1, 4)
        ));
    }
    if det {
        let at = b.en_route_at(0.5);
        let i = b.give("6960", IM, 5.0, MG, at);
        b.meds[i].response = IMPROVED;
        b.say("Second seizure en route, pt remained postictal with decreased GCS.");
    }
    if b.als && !refuse && b.chance(0.5) {
        b.access(t + 240, 0.08, 0.0);
    }
    b.protocols = vec!["9914141"];
    if refuse {
        b.say("Pt back to baseline, known epileptic, missed dose of home medication.");
        refusal_story(b);
        b.refuse(0);
    } else {
        b.transport(false, &["4220001", "4220015"], None, "4219003");
    }
}

fn syncope(b: &mut B) {
    b.unit(if b.chance(0.8) { "als" } else { "bls" });
    b.dispatch("2301077", true, "31-C-1");
    if b.chance(0.7) {
        b.scene_home();
    } else {
        b.scene_public();
    }
    b.person(18, 95, 0.45);
    generic_history(b);
    let refuse = b.chance(0.15);
    let dest = nearest(b);
    b.timeline(
        if refuse {
            Kind::NoTransport
        } else {
            Kind::Transport(dest)
        },
        (8, 16),
        0.02,
        0.02,
    );
    b.complaint(
        "Passed out",
        Some((b.range(10, 60) as u32, MINUTES)),
        "2807011",
        "2808003",
        "R55",
        &["R42", "R11.0"],
    );
    b.impression(
        b.weighted(&[(60, "R55"), (25, "I95.1"), (15, "R42")]),
        &[],
        LOWER,
    );
    let mut tr = b.traj();
    tr.sbp = ((86, 118), (108, 134));
    tr.twelve_lead = b.als;
    tr.glucose = Some((82, 150));
    tr.stroke = Some("3329001");
    b.vitals(tr);
    let t = b.on_scene_at(0.15);
    b.monitor(t, true);
    b.glucose_check(t + 60);
    if !refuse
        && b.chance(0.5)
        && let Some(r) = b.access(t + 240, 0.08, 0.0)
        && first_sbp(b) < 100
    {
        let at = b.en_route_at(0.3);
        let i = b.give("9863", r, 500.0, ML, at);
        b.meds[i].response = IMPROVED;
    }
    let pt = b.pt();
    b.say(format!(
        "{pt} had a witnessed syncopal episode while {}, LOC < 1 min, no seizure activity, no trauma. Now A&Ox4.",
        b.pick(&["standing in line", "getting up from the toilet", "standing at church", "in the shower"])
    ));
    b.protocols = vec!["9914149"];
    if refuse {
        refusal_story(b);
        b.refuse(0);
    } else {
        b.transport(false, &["4220015", "4220001"], None, "4219005");
    }
}

// ----- trauma ------------------------------------------------------------------------------

fn hip_fracture(b: &mut B) {
    b.unit(if b.chance(0.85) { "als" } else { "bls" });
    b.dispatch("2301033", true, "17-B-1");
    if b.chance(0.75) {
        b.scene_home();
    } else {
        b.nursing_home();
    }
    b.person(68, 99, 0.3);
    let anticoag = b.chance(0.25);
    b.history(
        &some(b, &["I10", "M81.0", "F03.90", "I48.91"], 0.4),
        if anticoag {
            &["1364430", "29046"]
        } else {
            &["29046"]
        },
    );
    b.crew_injury_p = 0.025;
    b.crew_injury_kind = "4506023";
    let dest = nearest(b);
    b.timeline(Kind::Transport(dest), (12, 19), 0.06, 0.02);
    let right = b.chance(0.5);
    let cause = b.pick(&["W01.0XXA", "W19.XXXA", "W06.XXXA", "W10.9XXA"]);
    let mut steps34 = Vec::new();
    if anticoag {
        steps34.push("2904019");
    }
    if b.chance(0.15) {
        steps34.push("2904033");
    }
    b.injury = Some(Injury {
        cause,
        mechanism: "2902001",
        steps12: Vec::new(),
        steps34,
        safety: None,
        fall_height_ft: None,
    });
    b.sit.possible_injury = "9922005";
    b.complaint(
        if right {
            "Right hip pain after fall"
        } else {
            "Left hip pain after fall"
        },
        Some((b.range(20, 240) as u32, MINUTES)),
        "2807007",
        "2808015",
        if right { "M25.551" } else { "M25.552" },
        &[],
    );
    b.impression(if right { "S72.001A" } else { "S72.002A" }, &[], EMERGENT);
    b.sit.secondary = if anticoag { vec!["Z79.01"] } else { Vec::new() };
    let mut tr = b.traj();
    tr.pain = Some(((7, 10), (3, 6)));
    tr.glucose = b.chance(0.5).then_some((90, 170));
    b.vitals(tr);
    let t = b.on_scene_at(0.2);
    let pt = b.pt();
    b.say(format!(
        "Found {pt} on floor after mechanical fall from standing, {} leg shortened and externally rotated, CMS intact distally. Denies head strike or LOC.",
        if right { "right" } else { "left" }
    ));
    let route = b.access(t + 60, 0.1, 0.0);
    if b.als {
        let (r, dose) = match route {
            Some(r) => (r, b.pick(&[50.0, 50.0, 75.0, 100.0])),
            None => (IN, 100.0),
        };
        let code = if b.chance(0.85) { "4337" } else { "7052" };
        let (dose, units) = if code == "7052" {
            (4.0, MG)
        } else {
            (dose, MCG)
        };
        let i = b.give(code, r, dose, units, t + 180);
        b.meds[i].response = IMPROVED;
        if b.chance(0.06) {
            b.meds[i].complications = vec![b.pick(&["3708019", "3708029", "3708043"])];
        }
        if b.chance(0.3) {
            b.give("26225", route.unwrap_or(IV), 4.0, MG, t + 240);
        }
    }
    if b.chance(0.5) {
        b.perform("79321009", t + 300);
    }
    b.protocols = vec!["9914097", "9914071"];
    b.say("Pt moved to scoop stretcher with padding, then to stretcher.");
    b.transport(false, &["4220015", "4220001"], None, "4219003");
}

fn fall_minor(b: &mut B) {
    b.unit(if b.chance(0.5) { "als" } else { "bls" });
    b.dispatch("2301033", false, "17-A-1");
    if b.chance(0.8) {
        b.scene_home();
    } else {
        b.nursing_home();
    }
    b.person(65, 99, 0.4);
    generic_history(b);
    b.crew_injury_p = 0.015;
    b.crew_injury_kind = "4506023";
    let outcome = *b.r.weighted(&[(36, 0u8), (28, 1), (36, 2)]);
    let dest = nearest(b);
    b.timeline(
        if outcome == 2 {
            Kind::Transport(dest)
        } else {
            Kind::NoTransport
        },
        (9, 17),
        0.02,
        0.02,
    );
    let injured = outcome == 2 || b.chance(0.3);
    b.injury = Some(Injury {
        cause: b.pick(&["W19.XXXA", "W01.0XXA", "W06.XXXA"]),
        mechanism: "2902001",
        steps12: Vec::new(),
        steps34: if b.chance(0.12) {
            vec!["2904033"]
        } else {
            Vec::new()
        },
        safety: None,
        fall_height_ft: None,
    });
    b.sit.possible_injury = if injured { "9922005" } else { "9922001" };
    if injured {
        let (symptom, imp) = b.pick(&[
            ("M25.561", "S80.812A"),
            ("R51.9", "S00.83XA"),
            ("M25.521", "S50.311A"),
        ]);
        b.complaint(
            "Fall",
            Some((b.range(10, 120) as u32, MINUTES)),
            "2807007",
            "2808015",
            symptom,
            &[],
        );
        b.impression(imp, &[], LOWER);
    } else {
        b.complaint(
            "Fall, unable to get up",
            Some((b.range(10, 120) as u32, MINUTES)),
            "2807011",
            "2808015",
            "R26.81",
            &[],
        );
        b.impression(b.pick(&["R26.81", "Z74.09"]), &[], NON_ACUTE);
    }
    let mut tr = b.traj();
    tr.n = (1, 2);
    tr.pain = Some(((0, 4), (0, 3)));
    tr.glucose = Some((88, 170));
    b.vitals(tr);
    let t = b.on_scene_at(0.3);
    b.glucose_check(t);
    let pt = b.pt();
    b.say(format!(
        "Found {pt} seated on floor next to bed after slipping while walking to the bathroom. Denies head strike, LOC, dizziness or chest pain. Full ROM all extremities."
    ));
    b.protocols = vec!["9914075"];
    match outcome {
        0 => {
            b.say("Pt assisted to chair, ambulated with walker without difficulty.");
            refusal_story(b);
            b.refuse(0);
        }
        1 => {
            b.say("Lift assist provided, pt assisted back to bed, no injuries noted.");
            b.release();
        }
        _ => b.transport(false, &["4220015"], None, "4219005"),
    }
}

fn mvc(b: &mut B) {
    b.unit(if b.chance(0.8) { "als" } else { "bls" });
    b.dispatch("2301069", true, "29-B-1");
    b.scene_road();
    if b.chance(0.08) {
        b.scene_delay = "2210011";
    }
    if b.chance(0.4) {
        b.scene.patients = "2707001";
    }
    b.person(16, 85, 0.55);
    generic_history(b);
    let refuse = b.chance(0.36);
    let dest = nearest(b);
    let p_long = if b.scene_delay == "2210011" {
        0.8
    } else {
        0.02
    };
    b.timeline(
        if refuse {
            Kind::NoTransport
        } else {
            Kind::Transport(dest)
        },
        (9, 18),
        p_long,
        0.02,
    );
    let belted = b.chance(0.85);
    b.injury = Some(Injury {
        cause: b.pick(&["V43.52XA", "V47.5XXA", "V49.40XA", "V43.52XA"]),
        mechanism: "2902001",
        steps12: Vec::new(),
        steps34: Vec::new(),
        safety: Some(if belted { "2907027" } else { "2907015" }),
        fall_height_ft: None,
    });
    b.sit.possible_injury = "9922005";
    let (text, anat, symptom, imp) = b.pick(&[
        ("Neck pain", "2807017", "M54.2", "S13.4XXA"),
        ("Neck pain", "2807017", "M54.2", "S16.1XXA"),
        ("Back pain", "2807003", "M54.9", "S39.012A"),
        ("Chest pain from seatbelt", "2807005", "R07.89", "S20.219A"),
        ("No complaints", "2807011", "R69", "Z04.1"),
    ]);
    b.complaint(
        text,
        Some((b.range(10, 40) as u32, MINUTES)),
        anat,
        "2808015",
        symptom,
        &[],
    );
    b.impression(imp, &[], LOWER);
    let mut tr = b.traj();
    tr.pain = Some(((2, 6), (2, 5)));
    tr.n = (1, 3);
    b.vitals(tr);
    let t = b.on_scene_at(0.25);
    let pt = b.pt();
    b.say(format!(
        "{pt} {} driver of vehicle involved in {} collision at moderate speed, {}airbags deployed. Self-extricated, ambulatory at scene.",
        if belted { "restrained" } else { "unrestrained" },
        b.pick(&["rear-end", "T-bone", "front-end", "sideswipe"]),
        if b.chance(0.5) { "" } else { "no " }
    ));
    if b.scene_delay == "2210011" {
        b.say("Extended extrication by FD due to door intrusion.");
    }
    b.protocols = vec!["9914207"];
    if refuse {
        refusal_story(b);
        b.refuse(if b.chance(0.7) { 0 } else { 1 });
        if b.disp.evaluation == Some("4228007") {
            b.vitals.clear();
        }
    } else {
        if b.chance(0.35) {
            b.perform("398041008", t);
        }
        if b.als && b.chance(0.15) {
            let at = b.en_route_at(0.3);
            let i = b.give("4337", IN, 50.0, MCG, at);
            b.meds[i].response = IMPROVED;
            if b.chance(0.03) {
                b.meds[i].complications = vec!["3708029"];
            }
        }
        b.transport(false, &["4220001", "4220015"], None, "4219005");
    }
}

fn major_trauma(b: &mut B) {
    b.unit("als");
    let kind =
        *b.r.weighted(&[(40, 0u8), (20, 1), (15, 2), (15, 3), (10, 4)]);
    match kind {
        0 | 1 => {
            b.dispatch("2301069", true, "29-D-2");
            b.scene_road();
        }
        2 => {
            b.dispatch("2301033", true, "17-D-3");
            b.scene_public();
        }
        _ => {
            b.dispatch("2301063", true, "27-D-3");
            if b.chance(0.5) {
                b.scene_home();
            } else {
                b.scene_public();
            }
            b.scene.other_services = vec!["2704009"];
        }
    }
    b.person(16, 72, 0.78);
    b.history(&[], &[]);
    let extrication = kind == 0 && b.chance(0.35);
    if extrication {
        b.scene_delay = "2210011";
    }
    let dest = trauma_center(b);
    b.timeline(
        Kind::Transport(dest),
        (8, 15),
        if extrication { 0.85 } else { 0.06 },
        0.15,
    );
    let cause = match kind {
        0 => b.pick(&["V47.5XXA", "V89.2XXA"]),
        1 => "V29.9XXA",
        2 => "W13.9XXA",
        3 => "X95.9XXA",
        _ => "X99.9XXA",
    };
    let penetrating = kind >= 3;
    let needle = b.chance(0.33);
    let det = b.chance(0.35);
    let mut steps12 = vec![];
    if penetrating {
        steps12.push("2903015");
    } else {
        steps12.extend(some(b, &["2903005", "2903013", "2903021", "2903041"], 0.4));
    }
    let steps34 = match kind {
        0 => vec![b.pick(&["2904011", "2904009"])],
        1 => vec!["2904035"],
        2 => vec!["2904031"],
        _ => Vec::new(),
    };
    b.injury = Some(Injury {
        cause,
        mechanism: if penetrating { "2902007" } else { "2902001" },
        steps12,
        steps34,
        safety: (kind == 0).then(|| b.pick(&["2907027", "2907015"])),
        fall_height_ft: (kind == 2).then(|| b.range(12, 35) as u32),
    });
    b.sit.possible_injury = "9922005";
    let (text, anat, symptom) = if penetrating {
        ("Gunshot/stab wound to torso", "2807005", "R07.89")
    } else {
        ("Multiple injuries", "2807011", "R07.89")
    };
    b.complaint(
        text,
        Some((b.range(10, 30) as u32, MINUTES)),
        anat,
        "2808015",
        symptom,
        &["R06.02"],
    );
    let imp = if needle {
        "S27.0XXA"
    } else if penetrating {
        "S21.91XA"
    } else {
        b.pick(&["T07.XXXA", "S06.9X9A", "T07.XXXA"])
    };
    let mut secondary = vec!["T07.XXXA"];
    if det {
        secondary.push("R57.1");
    }
    if imp == "T07.XXXA" {
        secondary.retain(|s| *s != "T07.XXXA");
    }
    b.impression(imp, &secondary, CRITICAL);
    let mut tr = b.traj();
    tr.sbp = ((92, 124), (96, 126));
    tr.hr = ((104, 138), (96, 128));
    tr.rr = ((22, 32), (18, 26));
    tr.spo2 = ((88, 97), (93, 99));
    tr.gcs = ((8, 15), (8, 15));
    tr.rhythm = (STACH, STACH);
    tr.pain = Some(((6, 10), (4, 8)));
    tr.etco2 = Some(((28, 40), (28, 40)));
    if det {
        tr.det = Some(Det::Sbp);
    }
    b.vitals(tr);
    let t = b.on_scene_at(0.1);
    let pt = b.pt();
    b.say(match kind {
        0 => format!(
            "{pt} driver of vehicle in high-speed collision, significant intrusion, {}.",
            if extrication {
                "prolonged extrication by FD"
            } else {
                "removed by FD"
            }
        ),
        1 => {
            format!("{pt} motorcycle operator, separated from bike at high speed, helmet damaged.")
        }
        2 => format!(
            "{pt} fell approx {} ft from ladder/roof onto pavement.",
            b.injury
                .as_ref()
                .and_then(|i| i.fall_height_ft)
                .unwrap_or(15)
        ),
        3 => format!(
            "{pt} with gunshot wound to the {} per PD, scene secured on arrival.",
            b.pick(&["right chest", "abdomen", "left flank"])
        ),
        _ => format!(
            "{pt} with stab wound to the {}, active bleeding controlled with direct pressure.",
            b.pick(&["left chest", "abdomen", "right axilla"])
        ),
    });
    if !penetrating {
        b.perform("398041008", t);
    }
    b.oxygen(t + 20, NRB, 15.0);
    let route = b.access(t + 120, 0.15, 0.6).unwrap_or_else(|| {
        b.io_access(t + 300);
        IO
    });
    if b.chance(0.6) {
        b.access(t + 240, 0.25, 0.0);
    }
    if needle {
        let at = t + b.range(60, 240);
        let p = b.perform("182705007", at);
        b.procs[p].by = Some(0);
        b.procs[p].level = b.crew[0].caregiver_level;
        b.procs[p].size = Some("10ga".to_owned());
        if b.chance(0.1) {
            b.procs[p].success = false;
        } else {
            b.procs[p].response = IMPROVED;
        }
        b.say("Absent breath sounds on the affected side with tracheal deviation and hypotension; needle decompression 2nd ICS MCL with rush of air.");
    }
    if b.chance(0.5) {
        b.give("10691", route, 1.0, G, t + 420);
    }
    if b.chance(0.12) {
        let at = b.en_route_at(0.2);
        let p = b.perform("116859006", at);
        b.procs[p].by = Some(0);
        b.procs[p].level = b.crew[0].caregiver_level;
        b.procs[p].response = IMPROVED;
        b.say("Hemorrhagic shock: 1 unit low-titer O+ whole blood administered per protocol.");
    }
    let gcs0 = first_gcs(b);
    if gcs0 <= 8 && b.chance(0.6) || b.chance(0.08) {
        let at = t + b.range(300, 500);
        b.give("6130", route, (2.0 * b.weight()).round(), MG, at - 60);
        b.give("68139", route, b.weight().round(), MG, at - 45);
        b.advanced_airway(at, false, 0.25, 0.15, "4001009");
    } else if b.chance(0.4) {
        let at = b.en_route_at(0.3);
        let i = b.give("4337", route, 50.0, MCG, at);
        b.meds[i].response = IMPROVED;
    }
    if det {
        b.say("Progressive hypotension and tachycardia en route, suspected internal hemorrhage.");
    }
    b.protocols = vec!["9914207", "9914105"];
    if needle {
        b.protocols.push("9914193");
    }
    let activation = if b.is_child() { "4224011" } else { "4224003" };
    b.destination_note = Some("Trauma alert called from scene.".to_owned());
    b.transport(true, &["4220021", "4220019"], Some(activation), "4219001");
}

fn assault(b: &mut B) {
    b.unit(if b.chance(0.7) { "als" } else { "bls" });
    b.dispatch("2301007", true, "04-B-1");
    if b.chance(0.6) {
        b.scene_public();
    } else {
        b.scene_home();
    }
    b.scene.other_services = vec!["2704009"];
    b.person(16, 60, 0.7);
    b.history(&[], &[]);
    if b.chance(0.4) {
        b.hist.alcohol_drugs = vec!["3117005", "3117013"];
        b.hist.barriers = vec!["3101033"];
    }
    b.crew_injury_p = 0.035;
    b.crew_injury_kind = b.pick(&["4506035", "4506033", "4506031"]);
    let refuse = b.chance(0.4);
    let dest = nearest(b);
    b.timeline(
        if refuse {
            Kind::NoTransport
        } else {
            Kind::Transport(dest)
        },
        (8, 16),
        0.03,
        0.02,
    );
    b.injury = Some(Injury {
        cause: b.pick(&["Y04.0XXA", "Y00.XXXA"]),
        mechanism: "2902001",
        steps12: Vec::new(),
        steps34: Vec::new(),
        safety: None,
        fall_height_ft: None,
    });
    b.sit.possible_injury = "9922005";
    let (symptom, imp) = b.pick(&[
        ("R51.9", "S01.81XA"),
        ("R51.9", "S00.83XA"),
        ("R04.0", "S00.33XA"),
        ("M79.641", "S60.221A"),
    ]);
    b.complaint(
        "Assaulted, facial injury",
        Some((b.range(10, 60) as u32, MINUTES)),
        "2807015",
        "2808015",
        symptom,
        &[],
    );
    b.impression(imp, &[], LOWER);
    let mut tr = b.traj();
    tr.pain = Some(((3, 7), (3, 6)));
    tr.n = (1, 2);
    b.vitals(tr);
    let pt = b.pt();
    b.say(format!(
        "{pt} assaulted with fists per PD, {}. Denies LOC. Bleeding controlled.",
        b.pick(&[
            "laceration above left eye",
            "swelling to right cheek",
            "epistaxis, nose deformity",
            "abrasions to knuckles and face"
        ])
    ));
    b.protocols = vec!["9914207", "9914205"];
    if refuse {
        refusal_story(b);
        b.refuse(0);
    } else {
        b.transport(false, &["4220001"], None, "4219005");
    }
}

fn allergy(b: &mut B, anaphylaxis: bool) {
    b.unit(if anaphylaxis || b.chance(0.6) {
        "als"
    } else {
        "bls"
    });
    b.dispatch(
        "2301003",
        true,
        if anaphylaxis { "02-D-1" } else { "02-A-1" },
    );
    if b.chance(0.6) {
        b.scene_home();
    } else {
        b.scene_public();
    }
    if b.chance(0.2) {
        b.child_months(48, 204);
    } else {
        b.person(18, 70, 0.45);
    }
    b.history(&some(b, &["J45.909", "Z91.010"], 0.3), &[]);
    let child = b.is_child();
    let critical = anaphylaxis && b.chance(if child { 0.3 } else { 0.25 });
    let refuse = !anaphylaxis && b.chance(0.3);
    let dest = if child {
        NORTHFIELD_CHILDRENS
    } else {
        nearest(b)
    };
    b.timeline(
        if refuse {
            Kind::NoTransport
        } else {
            Kind::Transport(dest)
        },
        (8, 15),
        0.02,
        0.02,
    );
    let (cause, what) = b.pick(&[
        ("T78.05XA", "tree nuts"),
        ("T78.01XA", "peanuts"),
        ("T63.441A", "bee sting"),
        ("T78.2XXA", "unknown trigger"),
    ]);
    b.complaint(
        "Allergic reaction",
        Some((b.range(10, 60) as u32, MINUTES)),
        "2807011",
        "2808013",
        if anaphylaxis { "R06.02" } else { "L50.9" },
        &["L50.9", "R22.0"],
    );
    if anaphylaxis {
        b.impression(
            if cause.starts_with("T63") {
                "T63.441A"
            } else {
                "T78.2XXA"
            },
            &[cause, "T78.3XXA"],
            if critical { CRITICAL } else { EMERGENT },
        );
    } else {
        b.impression("T78.40XA", &[], LOWER);
    }
    let mut tr = b.traj();
    if anaphylaxis {
        let base = tr.sbp;
        tr.sbp = if critical {
            ((72, 88), (96, 118))
        } else {
            (base.0, base.1)
        };
        tr.spo2 = if critical {
            ((84, 92), (95, 99))
        } else {
            ((93, 97), (96, 99))
        };
        tr.hr = if child {
            ((130, 160), (110, 135))
        } else {
            ((108, 138), (92, 110))
        };
        tr.rhythm = (STACH, STACH);
    }
    b.vitals(tr);
    let t = b.on_scene_at(0.1);
    let weight = b.weight();
    let pt = b.pt();
    b.say(format!(
        "{pt} with {} after exposure to {what}: hives, {}.",
        if anaphylaxis {
            "acute onset of difficulty breathing"
        } else {
            "itching and rash"
        },
        if anaphylaxis {
            "lip and tongue swelling, wheezing"
        } else {
            "no respiratory or GI symptoms"
        }
    ));
    if anaphylaxis {
        let prior = b.chance(0.4);
        if prior {
            let at = b.range(60, (b.t(6) - 20).max(80));
            let who = if child { "9905049" } else { "9905043" };
            b.given_before(
                "3992",
                AUTOINJ,
                if weight < 30.0 { 0.15 } else { 0.3 },
                MG,
                Some(at),
                who,
            );
        }
        if !prior || b.chance(0.5) {
            let dose = if weight < 30.0 {
                (0.01 * weight).max(0.1)
            } else {
                0.3
            };
            let i = b.give("3992", IM, (dose * 100.0).round() / 100.0, MG, t + 60);
            b.meds[i].response = IMPROVED;
        }
        let route = b.access(t + 180, 0.08, 0.3).unwrap_or(IM);
        b.give("3498", route, (1.0 * weight).min(50.0).round(), MG, t + 300);
        if route != IM {
            b.give(
                "6902",
                route,
                (2.0 * weight).min(125.0).round(),
                MG,
                t + 360,
            );
            if critical {
                let at = b.en_route_at(0.2);
                let i = b.give(
                    "9863",
                    route,
                    if child {
                        (20.0 * weight).round()
                    } else {
                        1000.0
                    },
                    ML,
                    at,
                );
                b.meds[i].response = IMPROVED;
                if !child && b.chance(0.15) {
                    let at = b.en_route_at(0.5);
                    b.give("7512", PUMP, b.range(4, 10) as f64, MCG_MIN, at);
                    b.say("Refractory hypotension despite repeat epinephrine and fluids; norepinephrine infusion started.");
                }
            }
        }
        if b.chance(0.4) {
            b.give("435", NEB, 2.5, MG, t + 240);
        }
    } else if b.chance(0.7) {
        let route = if b.als && b.chance(0.4) { IM } else { PO };
        let i = b.give(
            "3498",
            route,
            if child { 25.0 } else { b.pick(&[25.0, 50.0]) },
            MG,
            t + 120,
        );
        b.meds[i].response = IMPROVED;
    }
    b.protocols = vec!["9914111"];
    if refuse {
        refusal_story(b);
        b.refuse(2);
    } else {
        b.transport(
            anaphylaxis,
            &["4220001"],
            None,
            if critical { "4219001" } else { "4219003" },
        );
    }
}

fn sepsis(b: &mut B) {
    b.unit("als");
    b.dispatch(b.pick(&["2301061", "2301085"]), true, "26-D-1");
    let snf = b.chance(0.4);
    if snf {
        b.nursing_home();
    } else {
        b.scene_home();
    }
    b.person(55, 97, 0.48);
    let mut conditions = some(b, &["E11.9", "N18.30", "F03.90", "I10", "J44.9"], 0.4);
    conditions.push("N39.0");
    b.history(&conditions, &some(b, &["6809", "29046", "83367"], 0.3));
    let dest = nearest(b);
    b.timeline(Kind::Transport(dest), (10, 18), 0.04, 0.02);
    let det = b.chance(0.2);
    let source = b.pick(&["J18.9", "N39.0", "L03.90", "J18.9"]);
    b.complaint(
        "Fever and confusion",
        Some((b.range(1, 3) as u32, DAYS_DUR)),
        "2807011",
        "2808011",
        "R50.9",
        &["R41.0", "R53.1"],
    );
    let hypotensive = b.chance(0.35);
    let imp = if hypotensive { "R65.21" } else { "A41.9" };
    b.impression(
        imp,
        &[source, "R50.9"],
        if hypotensive || det {
            CRITICAL
        } else {
            EMERGENT
        },
    );
    let mut tr = b.traj();
    tr.temp = Some((
        b.range(383, 402) as f64 / 10.0,
        b.range(380, 398) as f64 / 10.0,
    ));
    tr.hr = ((104, 134), (98, 124));
    tr.rr = ((22, 30), (20, 26));
    tr.spo2 = ((88, 95), (92, 97));
    tr.gcs = ((12, 15), (12, 15));
    tr.rhythm = (STACH, STACH);
    tr.glucose = Some((110, 260));
    tr.etco2 = b.chance(0.6).then_some(((22, 30), (22, 32)));
    tr.sbp = if hypotensive {
        ((74, 88), (86, 104))
    } else {
        ((96, 124), (96, 124))
    };
    if det {
        tr.det = Some(Det::Sbp);
    }
    b.vitals(tr);
    let t = b.on_scene_at(0.15);
    b.monitor(t, false);
    let route = b.access(t + 120, 0.12, 0.5);
    if let Some(r) = route {
        let at = b.on_scene_at(0.7);
        let i = b.give("9863", r, b.pick(&[500.0, 1000.0]), ML, at);
        b.meds[i].response = if det { UNCHANGED } else { IMPROVED };
        if (hypotensive || det) && b.chance(0.3) {
            let at = b.en_route_at(0.5);
            let i = b.give("7512", PUMP, b.range(4, 12) as f64, MCG_MIN, at);
            b.meds[i].response = IMPROVED;
        }
    }
    let pt = b.pt();
    b.say(format!(
        "Found {pt} {}, lethargic and confused, febrile to touch, skin hot and flushed. {}",
        if snf {
            "in bed at facility, staff report new confusion and decreased PO intake x2 days"
        } else {
            "in bed, family reports fever and productive cough"
        },
        if det {
            "Pt became progressively hypotensive en route despite fluids."
        } else {
            ""
        }
    ));
    b.protocols = vec!["9914127"];
    let activation = (hypotensive || det || b.chance(0.4)).then_some("4224019");
    b.transport(true, &["4220001"], activation, "4219001");
}

// ----- behavioural -------------------------------------------------------------------------

fn behavioral(b: &mut B) {
    b.unit(if b.chance(0.7) { "als" } else { "bls" });
    b.dispatch("2301059", true, "25-B-6");
    if b.chance(0.7) {
        b.scene_home();
    } else {
        b.scene_public();
    }
    b.scene.other_services = vec!["2704009"];
    b.person(14, 65, 0.55);
    b.history(
        &some(b, &["F32.A", "F41.9", "F20.9", "F31.9"], 0.4),
        &some(b, &["36437", "5093", "51272"], 0.3),
    );
    b.hist.barriers = vec![b.pick(&["3101019", "3101029", "3101031"])];
    b.crew_injury_p = 0.05;
    b.crew_injury_kind = b.pick(&["4506035", "4506033", "4506031"]);
    let refuse = b.chance(0.12);
    let dest = nearest(b);
    b.timeline(
        if refuse {
            Kind::NoTransport
        } else {
            Kind::Transport(dest)
        },
        (10, 18),
        0.05,
        0.02,
    );
    let agitated = b.chance(0.22) && b.als;
    let imp = *b.r.weighted(&[
        (30, "F29"),
        (25, "R45.851"),
        (20, "F32.A"),
        (15, "F41.9"),
        (10, "F31.9"),
    ]);
    b.complaint(
        b.pick(&[
            "Suicidal ideation",
            "Anxiety",
            "Agitation, hearing voices",
            "Depression",
        ]),
        Some((b.range(1, 14) as u32, DAYS_DUR)),
        "2807011",
        "2808001",
        if agitated { "R45.1" } else { "R45.851" },
        &[],
    );
    b.impression(imp, &[], if agitated { EMERGENT } else { LOWER });
    let mut tr = b.traj();
    tr.hr = ((88, 118), (80, 104));
    tr.n = (1, 3);
    b.vitals(tr);
    let t = b.on_scene_at(0.3);
    let pt = b.pt();
    b.say(format!(
        "{pt} {} per family/PD. Pt {}.",
        b.pick(&[
            "expressing suicidal ideation with plan",
            "with bizarre behavior and paranoia",
            "with increasing anxiety and panic symptoms",
            "stopped taking psychiatric medications"
        ]),
        if agitated {
            "extremely agitated, combative, attempting to strike crew and PD"
        } else {
            "calm and cooperative"
        }
    ));
    if !agitated && !refuse && b.als && b.chance(0.15) {
        b.decline("392231009", "8801019", t + 60);
    }
    if agitated {
        let weight = b.weight();
        if b.chance(0.5) {
            let i = b.give("6130", IM, (4.0 * weight).min(500.0).round(), MG, t);
            b.meds[i].response = IMPROVED;
            if b.chance(0.07) {
                b.meds[i].complications = vec![b.pick(&["3708023", "3708035", "3708003"])];
                b.say("Transient desaturation after ketamine, resolved with jaw thrust and supplemental O2.");
            }
        } else {
            let i = b.give("6960", IM, 5.0, MG, t);
            b.meds[i].response = IMPROVED;
            b.give("5093", IM, 5.0, MG, t);
            if b.chance(0.05) {
                b.meds[i].complications = vec!["3708023"];
            }
        }
        b.say("Chemical restraint per protocol, pt secured with soft restraints, continuous monitoring.");
        b.protocols = vec!["9914053"];
    } else {
        b.protocols = vec!["9914075"];
    }
    if refuse {
        b.say("Pt denies SI/HI, has capacity per assessment, PD declines protective custody.");
        b.refuse(0);
    } else {
        b.transport(false, &["4220001", "4220009"], None, "4219005");
    }
}

fn intoxication(b: &mut B) {
    b.unit(if b.chance(0.6) { "als" } else { "bls" });
    b.dispatch(b.pick(&["2301095", "2301079", "2301097"]), true, "32-B-3");
    b.scene_public();
    if b.chance(0.5) {
        b.scene.other_services = vec!["2704009"];
    }
    b.person(18, 70, 0.72);
    b.history(&some(b, &["F10.20", "F32.A"], 0.3), &[]);
    b.hist.alcohol_drugs = vec!["3117005", "3117013"];
    b.hist.barriers = vec!["3101033"];
    b.crew_injury_p = 0.02;
    b.crew_injury_kind = b.pick(&["4506033", "4506035", "4506031"]);
    let refuse = b.chance(0.35);
    let dest = nearest(b);
    b.timeline(
        if refuse {
            Kind::NoTransport
        } else {
            Kind::Transport(dest)
        },
        (8, 17),
        0.04,
        0.02,
    );
    b.complaint(
        "Intoxicated",
        None,
        "2807011",
        "2808001",
        "R41.82",
        &["R11.10"],
    );
    b.impression(b.pick(&["F10.920", "F10.129"]), &[], LOWER);
    let mut tr = b.traj();
    tr.gcs = ((12, 15), (13, 15));
    tr.glucose = Some((75, 140));
    tr.hr = ((88, 112), (80, 104));
    b.vitals(tr);
    let t = b.on_scene_at(0.2);
    b.glucose_check(t);
    let pt = b.pt();
    b.say(format!(
        "Found {pt} {} with odor of alcoholic beverage, slurred speech, unsteady gait.",
        b.pick(&["sitting on curb", "lying on bench", "slumped in doorway"])
    ));
    if b.chance(0.1) && b.als {
        b.withhold("7242", "8801019", t + 60);
        b.say("Naloxone offered for possible co-ingestion, pt refused.");
    }
    if !refuse && b.als && b.chance(0.2) {
        b.give("26225", PO, 4.0, MG, t + 120);
    }
    b.protocols = vec!["9914113"];
    if refuse {
        b.say("Pt ambulatory with steady gait after evaluation, released in care of sober friend.");
        b.refuse(0);
        if b.chance(0.3) {
            b.disp.refusal_reasons = vec!["4231007"];
        }
    } else {
        b.transport(false, &["4220001"], None, "4219005");
    }
}

// ----- pediatric ---------------------------------------------------------------------------

fn ped_fever(b: &mut B) {
    b.unit(if b.chance(0.6) { "als" } else { "bls" });
    b.dispatch("2301061", false, "26-A-1");
    b.scene_home();
    b.child_months(3, 72);
    b.history(&[], &[]);
    let outcome = *b.r.weighted(&[(60, 0u8), (30, 1), (10, 2)]);
    b.timeline(
        if outcome == 0 {
            Kind::Transport(NORTHFIELD_CHILDRENS)
        } else {
            Kind::NoTransport
        },
        (8, 16),
        0.02,
        0.02,
    );
    let infant = b.age_years() < 1.0;
    let others: &[&str] = if infant {
        &["R68.12", "R05.9"]
    } else {
        &["R05.9", "R11.10"]
    };
    b.complaint(
        "Fever",
        Some((b.range(1, 3) as u32, DAYS_DUR)),
        "2807011",
        "2808011",
        "R50.9",
        others,
    );
    b.impression(b.pick(&["R50.9", "J06.9", "H66.90", "B34.9"]), &[], LOWER);
    let mut tr = b.traj();
    tr.temp = Some((
        b.range(385, 402) as f64 / 10.0,
        b.range(380, 398) as f64 / 10.0,
    ));
    let (h0, h1) = tr.hr.0;
    tr.hr = ((h0 + 15, h1 + 20), (h0 + 5, h1 + 10));
    tr.pain = Some(((0, 4), (0, 3)));
    tr.n = (1, 2);
    b.vitals(tr);
    let t = b.on_scene_at(0.3);
    let weight = b.weight();
    if b.chance(0.5) {
        let months = b.age_years() * 12.0;
        let (code, per_kg) = if months >= 6.0 && b.chance(0.4) {
            ("5640", 10.0)
        } else {
            ("161", 15.0)
        };
        let i = b.give(code, PO, (per_kg * weight).round(), MG, t);
        b.meds[i].response = IMPROVED;
    }
    let pt = b.pt();
    b.say(format!("{pt} with fever x{} days per parent, decreased PO intake, {} wet diapers today. Pt alert, consolable, mucous membranes moist.", b.range(1, 3), b.range(2, 5)));
    b.protocols = vec!["9914061"];
    match outcome {
        0 => b.transport(false, &["4220005"], None, "4219005"),
        1 => {
            b.say("Parent declines transport, will follow up with pediatrician today.");
            b.refuse(0);
        }
        _ => b.release(),
    }
}

fn ped_seizure(b: &mut B) {
    b.unit("als");
    b.dispatch("2301025", true, "12-D-2");
    b.scene_home();
    b.child_months(6, 72);
    b.history(&[], &[]);
    let critical = b.chance(0.3);
    let active = b.chance(0.25);
    let refuse = !critical && !active && b.chance(0.15);
    b.timeline(
        if refuse {
            Kind::NoTransport
        } else {
            Kind::Transport(NORTHFIELD_CHILDRENS)
        },
        (8, 15),
        0.02,
        0.02,
    );
    let febrile = b.chance(0.75);
    b.complaint(
        "Seizure",
        Some((b.range(2, 10) as u32, MINUTES)),
        "2807015",
        "2808005",
        "R56.9",
        &["R50.9"],
    );
    b.impression(
        if febrile { "R56.00" } else { "R56.9" },
        if febrile { &["R50.9"] } else { &[] },
        if critical { CRITICAL } else { EMERGENT },
    );
    let mut tr = b.traj();
    tr.gcs = if critical {
        ((7, 11), (12, 15))
    } else {
        ((13, 15), (15, 15))
    };
    tr.temp = febrile.then(|| {
        (
            b.range(386, 403) as f64 / 10.0,
            b.range(380, 400) as f64 / 10.0,
        )
    });
    tr.glucose = Some((80, 140));
    tr.n = (2, 3);
    b.vitals(tr);
    let t = b.on_scene_at(0.1);
    b.glucose_check(t + 30);
    let weight = b.weight();
    let pt = b.pt();
    if active {
        let i = if b.chance(0.7) {
            b.give("6960", IN, (0.2 * weight).min(10.0).round(), MG, t + 60)
        } else {
            b.give("3322", PR, (0.5 * weight).min(20.0).round(), MG, t + 60)
        };
        b.meds[i].response = IMPROVED;
        b.say(format!("Found {pt} actively seizing on arrival, generalized tonic-clonic; benzodiazepine given with cessation of seizure activity."));
    } else {
        b.say(format!(
            "{pt} had a {}-min generalized seizure per parent, now postictal in parent's arms.",
            b.range(1, 5)
        ));
    }
    if febrile && b.chance(0.4) {
        b.give("161", PO, (15.0 * weight).round(), MG, t + 300);
    }
    b.protocols = vec!["9914141"];
    if refuse {
        b.say("Child back to baseline per parent, known history of febrile seizures.");
        b.refuse(0);
    } else {
        b.transport(
            critical,
            &["4220021"],
            None,
            if critical { "4219001" } else { "4219003" },
        );
    }
}

fn ped_respiratory(b: &mut B) {
    b.unit(if b.chance(0.85) { "als" } else { "bls" });
    b.dispatch("2301013", true, "06-D-1");
    b.scene_home();
    let kind = *b.r.weighted(&[(35, 0u8), (30, 1), (35, 2)]);
    match kind {
        0 => b.child_months(6, 48),
        1 => b.child_months(1, 18),
        _ => b.child_months(60, 204),
    }
    b.history(
        if kind == 2 { &["J45.909"] } else { &[] },
        if kind == 2 { &["435"] } else { &[] },
    );
    let critical = b.chance(0.2);
    b.timeline(Kind::Transport(NORTHFIELD_CHILDRENS), (8, 15), 0.02, 0.02);
    let (imp, symptom, text) = match kind {
        0 => ("J05.0", "R06.1", "Barky cough, noisy breathing"),
        1 => ("J21.9", "R06.03", "Difficulty breathing"),
        _ => (
            if critical { "J45.902" } else { "J45.901" },
            "R06.2",
            "Wheezing, trouble breathing",
        ),
    };
    b.complaint(
        text,
        Some((b.range(2, 24) as u32, HOURS)),
        "2807005",
        "2808019",
        symptom,
        &["R05.9"],
    );
    b.impression(imp, &[], if critical { CRITICAL } else { EMERGENT });
    let mut tr = b.traj();
    tr.spo2 = if critical {
        ((84, 89), (92, 96))
    } else {
        ((92, 96), (95, 99))
    };
    let (h0, h1) = tr.hr.0;
    tr.hr = ((h0 + 15, h1 + 20), (h0 + 5, h1 + 10));
    let (r0, r1) = tr.rr.0;
    tr.rr = ((r0 + 10, r1 + 14), (r0 + 4, r1 + 6));
    tr.effort = ("3315003", if critical { "3315003" } else { "3315007" });
    b.vitals(tr);
    let t = b.on_scene_at(0.15);
    let weight = b.weight();
    match kind {
        0 => {
            let i = b.give("3992", NEB, 0.5, ML, t + 60);
            b.meds[i].response = IMPROVED;
            b.give("3264", PO, (0.6 * weight).min(16.0).round(), MG, t + 200);
        }
        1 => {
            b.oxygen(t + 30, "9927001", 2.0);
        }
        _ => {
            let i = b.give(
                "435",
                NEB,
                if weight < 20.0 { 2.5 } else { 5.0 },
                MG,
                t + 60,
            );
            b.meds[i].response = IMPROVED;
            b.give(
                "7213",
                NEB,
                if weight < 20.0 { 0.25 } else { 0.5 },
                MG,
                t + 60,
            );
            b.give("3264", PO, (0.6 * weight).min(16.0).round(), MG, t + 300);
            if critical
                && b.chance(0.4)
                && let Some(r) = b.access(t + 400, 0.2, 0.5)
            {
                b.give("6585", r, (50.0 * weight).min(2000.0).round(), MG, t + 500);
            }
        }
    }
    let pt = b.pt();
    b.say(format!(
        "{pt} with {}, {} retractions, {}.",
        [
            "barky cough and inspiratory stridor at rest",
            "nasal congestion, tachypnea and diffuse wheezes/crackles",
            "diffuse expiratory wheezing, prolonged expiration"
        ][usize::from(kind)],
        if critical {
            "severe intercostal and subcostal"
        } else {
            "mild subcostal"
        },
        if critical {
            "tiring, pale"
        } else {
            "alert and interactive"
        }
    ));
    b.protocols = vec![["9914223", "9914221", "9914139"][usize::from(kind)]];
    b.transport(
        critical,
        &["4220021"],
        None,
        if critical { "4219001" } else { "4219003" },
    );
}

fn ped_critical(b: &mut B) {
    b.unit("als");
    let drowning = b.chance(0.4);
    if drowning {
        b.dispatch("2301081", true, "14-D-1");
        b.scene_public();
        b.scene.location_type = b.pick(&["Y92.016", "Y92.830"]);
    } else {
        b.dispatch(b.pick(&["2301019", "2301013"]), true, "09-E-1");
        b.scene_home();
    }
    b.scene.other_services = vec!["2704003"];
    b.child_months(0, 120);
    b.history(&[], &[]);
    b.sit.acuity = Some(CRITICAL);
    if b.chance(0.5) {
        working_arrest(b, true);
        if drowning {
            b.sit.impression = Some("T75.1XXA");
        }
        return;
    }
    // Respiratory failure with a pulse.
    b.timeline(Kind::Transport(NORTHFIELD_CHILDRENS), (8, 15), 0.05, 0.02);
    b.complaint(
        "Not breathing normally",
        None,
        "2807011",
        "2808019",
        "R06.03",
        &[],
    );
    b.impression(if drowning { "T75.1XXA" } else { "J96.01" }, &[], CRITICAL);
    let mut tr = b.traj();
    tr.spo2 = ((70, 86), (90, 97));
    tr.gcs = ((6, 10), (9, 13));
    tr.effort = ("3315013", "3315005");
    tr.etco2 = Some(((50, 70), (38, 46)));
    b.vitals(tr);
    let t = b.on_scene_at(0.1);
    let weight = b.weight();
    let bvm = b.perform("425447009", t);
    b.procs[bvm].response = IMPROVED;
    b.oxygen(t + 20, BVM_ROUTE, 15.0);
    if b.chance(0.4) {
        b.io_access(t + 180);
        b.give("9863", IO, (20.0 * weight).round(), ML, t + 300);
    } else {
        b.access(t + 180, 0.3, 0.5);
    }
    if b.chance(0.2) {
        b.advanced_airway(t + 360, true, 0.0, 0.1, "4001013");
    }
    let pt = b.pt();
    b.say(format!(
        "{pt} {}, found with poor respiratory effort, cyanotic, minimally responsive. Assisted ventilations via BVM with improvement in color and SpO2.",
        if drowning { "pulled from water by family after unknown submersion time" } else { "with apneic episodes per parent" }
    ));
    b.protocols = vec!["9914001"];
    b.transport(true, &["4220021"], None, "4219001");
}

// ----- other medical -----------------------------------------------------------------------

fn general(b: &mut B) {
    let bls = b.chance(0.3);
    b.unit(if bls { "bls" } else { "als" });
    let sub = *b.r.weighted(&[
        (20, 0u8),
        (15, 1),
        (12, 2),
        (8, 3),
        (8, 4),
        (8, 5),
        (8, 6),
        (6, 7),
        (5, 8),
        (5, 9),
        (5, 10),
    ]);
    let (reason, text, anat, organ, symptom, imp) = match sub {
        0 => (
            "2301001",
            "Abdominal pain",
            "2807001",
            "2808009",
            "R10.9",
            b.pick(&["R10.9", "R10.13", "K92.2", "N39.0"]),
        ),
        1 => (
            "2301061",
            "Generalized weakness",
            "2807011",
            "2808011",
            "R53.1",
            b.pick(&["R53.1", "E86.0", "R53.81"]),
        ),
        2 => (
            "2301089",
            "Nausea and vomiting",
            "2807001",
            "2808009",
            "R11.2",
            b.pick(&["R11.2", "E86.0", "A08.4"]),
        ),
        3 => (
            "2301011",
            "Back pain",
            "2807003",
            "2808015",
            "M54.50",
            "M54.50",
        ),
        4 => (
            "2301037",
            "Headache",
            "2807015",
            "2808005",
            "R51.9",
            b.pick(&["R51.9", "G43.909"]),
        ),
        5 => ("2301061", "Dizziness", "2807015", "2808005", "R42", "R42"),
        6 => (
            "2301061",
            "High blood pressure",
            "2807011",
            "2808003",
            "R51.9",
            b.pick(&["I10", "I16.9"]),
        ),
        7 => (
            "2301027",
            "High blood sugar",
            "2807011",
            "2808007",
            "R73.9",
            "E11.65",
        ),
        8 => (
            "2301061",
            "Flu-like symptoms",
            "2807011",
            "2808019",
            "R50.9",
            b.pick(&["J11.1", "U07.1", "J06.9"]),
        ),
        9 => (
            "2301061",
            "Painful urination, fever",
            "2807001",
            "2808021",
            "R30.0",
            "N39.0",
        ),
        _ => (
            "2301061",
            "Leg redness and swelling",
            "2807007",
            "2808015",
            "R22.41",
            "L03.90",
        ),
    };
    b.dispatch(reason, b.chance(0.6), "26-C-1");
    if b.chance(0.85) {
        b.scene_home();
    } else {
        b.scene_public();
    }
    b.adult();
    generic_history(b);
    let outcome = *b.r.weighted(&[(84, 0u8), (7, 1), (9, 2)]);
    let dest = nearest(b);
    b.timeline(
        if outcome == 0 {
            Kind::Transport(dest)
        } else {
            Kind::NoTransport
        },
        (8, 17),
        0.025,
        0.02,
    );
    b.complaint(
        text,
        Some((b.range(2, 72) as u32, HOURS)),
        anat,
        organ,
        symptom,
        &[],
    );
    b.impression(imp, &[], if b.chance(0.6) { LOWER } else { EMERGENT });
    let det = outcome == 0 && imp == "K92.2" && b.chance(0.4) || outcome == 0 && b.chance(0.01);
    let mut tr = b.traj();
    tr.pain = Some(((2, 8), (1, 6)));
    tr.n = if outcome == 0 { (2, 3) } else { (1, 2) };
    if matches!(sub, 7) {
        tr.glucose = Some((320, 560));
    } else if b.chance(0.3) {
        tr.glucose = Some((85, 180));
    }
    if sub == 8 || sub == 9 {
        tr.temp = Some((
            b.range(377, 395) as f64 / 10.0,
            b.range(372, 392) as f64 / 10.0,
        ));
    }
    if sub == 6 {
        tr.sbp = ((172, 214), (164, 200));
    }
    if det {
        tr.det = Some(Det::Sbp);
    }
    b.vitals(tr);
    let t = b.on_scene_at(0.25);
    let pt = b.pt();
    b.say(format!(
        "Found {pt} {} c/o {} x{} hrs. {}",
        b.pick(&[
            "sitting on couch",
            "lying in bed",
            "seated at kitchen table",
            "ambulatory at door"
        ]),
        text.to_lowercase(),
        b.range(2, 48),
        b.pick(&[
            "Denies chest pain or SOB.",
            "No recent trauma.",
            "Similar episodes in the past.",
            "Decreased PO intake."
        ])
    ));
    if outcome == 0
        && !bls
        && b.chance(0.45)
        && let Some(r) = b.access(t + 60, 0.08, 0.0)
    {
        if matches!(sub, 0 | 2) && b.chance(0.6) {
            let at = b.en_route_at(0.2);
            let i = b.give("26225", r, 4.0, MG, at);
            b.meds[i].response = IMPROVED;
        }
        if matches!(sub, 0 | 3) && b.chance(0.35) {
            let at = b.en_route_at(0.4);
            let i = b.give("4337", r, 50.0, MCG, at);
            b.meds[i].response = IMPROVED;
            if b.chance(0.06) {
                b.meds[i].complications = vec![b.pick(&["3708029", "3708019", "3708043"])];
            }
        }
        if matches!(sub, 1 | 2 | 7) || det {
            let at = b.en_route_at(0.5);
            b.give("9863", r, b.pick(&[250.0, 500.0, 1000.0]), ML, at);
        }
    }
    if det {
        b.say("Pt became pale and hypotensive en route, dark emesis noted.");
    }
    b.protocols = vec!["9914075"];
    match outcome {
        0 => b.transport(
            false,
            &[b.pick(&["4220001", "4220015", "4220017"])],
            None,
            "4219005",
        ),
        1 => {
            refusal_story(b);
            b.refuse(0);
        }
        _ => {
            b.say("Pt evaluated, no acute findings, advised to follow up with PCP.");
            b.release();
        }
    }
}

fn refusal(b: &mut B) {
    b.unit(if b.chance(0.6) { "als" } else { "bls" });
    let sub = *b.r.weighted(&[(40, 0u8), (30, 1), (30, 2)]);
    match sub {
        0 => {
            b.dispatch("2301069", true, "29-B-1");
            b.scene_road();
        }
        1 => {
            b.dispatch("2301033", false, "17-A-2");
            b.scene_home();
        }
        _ => {
            b.dispatch(b.pick(&["2301061", "2301079", "2301049"]), true, "32-B-1");
            if b.chance(0.6) {
                b.scene_home();
            } else {
                b.scene_public();
            }
        }
    }
    b.person(18, 90, 0.55);
    generic_history(b);
    b.timeline(Kind::NoTransport, (7, 17), 0.1, 0.0);
    let how = *b.r.weighted(&[(55, 0u8), (25, 1), (20, 2)]);
    let (imp, text) = match sub {
        0 => ("Z04.1", "Checked after minor motor vehicle crash"),
        1 => ("Z04.3", "Fall without injury"),
        _ => ("Z04.89", "Evaluation requested by family"),
    };
    if how == 1 {
        b.complaint(text, None, "2807011", "2808011", "R69", &[]);
        b.impression("Z53.29", &[], LOWER);
    } else {
        b.complaint(text, None, "2807011", "2808011", "R69", &[]);
        b.impression(imp, &[], LOWER);
        let mut tr = b.traj();
        tr.n = (1, 2);
        tr.pain = Some(((0, 2), (0, 2)));
        b.vitals(tr);
    }
    if sub == 0 {
        b.injury = Some(Injury {
            cause: "V43.52XA",
            mechanism: "2902001",
            steps12: Vec::new(),
            steps34: Vec::new(),
            safety: Some("2907027"),
            fall_height_ft: None,
        });
    }
    let pt = b.pt();
    b.say(match how {
        1 => format!("{pt} declined assessment and vitals, states did not call 911 and does not want EMS evaluation."),
        _ => format!("{pt} A&Ox4, ambulatory, no complaints. Assessment unremarkable."),
    });
    if how == 2 {
        let t = b.on_scene_at(0.5);
        if b.chance(0.5) {
            b.oxygen(t, NC, 2.0);
        } else {
            b.perform("33747003", t);
        }
    }
    if b.times.get(9).unwrap_or(0) - b.times.get(6).unwrap_or(0) > 20 * 60 {
        b.say("Prolonged discussion with pt and family regarding risks of refusal.");
    }
    b.protocols = vec!["9914189"];
    b.refuse(how);
}

fn cancelled(b: &mut B) {
    b.unit(if b.chance(0.7) { "als" } else { "bls" });
    let (reason, det) = b.pick(&[
        ("2301069", "29-B-1"),
        ("2301033", "17-B-1"),
        ("2301061", "26-A-1"),
        ("2301079", "32-B-1"),
        ("2301049", "32-B-2"),
        ("2301077", "31-C-1"),
    ]);
    b.dispatch(reason, true, det);
    if reason == "2301069" {
        b.scene_road();
    } else {
        b.scene_home();
    }
    b.timeline(Kind::Cancelled, (0, 0), 0.0, 0.0);
    b.cancelled();
}

fn no_patient(b: &mut B) {
    b.unit(if b.chance(0.7) { "als" } else { "bls" });
    let (reason, det) = b.pick(&[
        ("2301069", "29-B-1"),
        ("2301079", "32-B-1"),
        ("2301077", "31-C-1"),
        ("2301097", "32-B-3"),
    ]);
    b.dispatch(reason, true, det);
    if reason == "2301069" {
        b.scene_road();
    } else {
        b.scene_public();
    }
    b.scene.patients = "2707003";
    b.timeline(Kind::NoPatient, (0, 0), 0.0, 0.0);
    b.no_patient(b.chance(0.4));
}

fn ift(b: &mut B) {
    let sub = *b.r.weighted(&[(35, 0u8), (35, 1), (20, 2), (10, 3)]);
    b.service_type = ["2205005", "2205015", "2205019", "2205007"][usize::from(sub)];
    b.unit(if b.chance(0.7) { "bls" } else { "als" });
    b.dispatch("2301071", false, "");
    b.person(40, 98, 0.48);
    generic_history(b);
    let origin =
        *b.r.weighted(&[(40, HARBOR_GENERAL), (40, ST_BRIGID), (20, RIVERSIDE)]);
    let (dest, reason, imp, justification) = match sub {
        0 => {
            let far = b.chance(0.3);
            let d = if far {
                MERRIMACK_REGIONAL
            } else if origin.name == ST_BRIGID.name {
                HARBOR_GENERAL
            } else {
                ST_BRIGID
            };
            let (r, i) = b.pick(&[
                ("2820001", "I21.4"),
                ("2820017", "I61.9"),
                ("2820015", "K57.20"),
                ("2820031", "S72.001A"),
            ]);
            (d, r, i, "Higher level of care / specialty services")
        }
        1 => {
            let (r, i) = b.pick(&[
                ("2820011", "Z47.89"),
                ("2820027", "R53.81"),
                ("2820025", "Z74.09"),
            ]);
            (
                MAPLE_GROVE_SNF,
                r,
                i,
                "Discharge to facility, non-ambulatory",
            )
        }
        2 => (
            origin,
            "2820005",
            b.pick(&["R53.81", "N39.0", "R41.82"]),
            "Evaluation at ED per facility physician",
        ),
        _ => (
            GRANITE_DIALYSIS,
            "2820007",
            "N18.6",
            "Scheduled dialysis, bed-confined",
        ),
    };
    match sub {
        0 | 1 => b.scene_facility(origin, "Y92.239"),
        _ => b.nursing_home(),
    }
    b.sit.ift_reason = Some(reason);
    b.sit.ift_justification = Some(justification.to_owned());
    b.timeline(Kind::Transport(dest), (10, 19), 0.05, 0.06);
    b.complaint(
        "Interfacility transfer",
        None,
        "2807011",
        "2808011",
        "R53.81",
        &[],
    );
    b.impression(imp, &[], NON_ACUTE);
    let mut tr = b.traj();
    tr.n = (2, 3);
    b.vitals(tr);
    let t = b.on_scene_at(0.3);
    if b.chance(0.3) {
        b.oxygen(t, NC, 2.0);
    }
    let pt = b.pt();
    b.say(format!(
        "Report received from sending RN at bedside. {pt} {}, A&Ox{}, transferred to stretcher via draw sheet with 4-person assist.",
        b.pick(&["resting comfortably", "in no acute distress", "bed-confined"]),
        b.range(3, 4)
    ));
    b.protocols = vec!["9914181"];
    b.transport(false, &["4220017", "4220013"], None, "4219011");
    if let Some(f) = b.disp.destination
        && f.name == MERRIMACK_REGIONAL.name
    {
        b.destination_note = Some("Accepted by receiving physician for specialty care.".to_owned());
    }
}

fn ift_critical(b: &mut B) {
    b.service_type = "2205005";
    b.unit("cct");
    b.dispatch("2301071", false, "");
    b.person(30, 88, 0.55);
    generic_history(b);
    let origin = *b.r.weighted(&[(60, RIVERSIDE), (40, HARBOR_GENERAL)]);
    b.scene_facility(origin, "Y92.239");
    let dest = if b.chance(0.6) {
        MERRIMACK_REGIONAL
    } else {
        ST_BRIGID
    };
    b.sit.ift_reason = Some(b.pick(&["2820015", "2820001", "2820017", "2820029"]));
    b.sit.ift_justification = Some("ICU-level care not available at sending facility".to_owned());
    b.timeline(Kind::Transport(dest), (14, 19), 0.15, 0.1);
    let kind = *b.r.weighted(&[(45, 0u8), (30, 1), (25, 2)]);
    let (imp, text) = match kind {
        0 => ("R65.21", "Septic shock on vasopressors"),
        1 => ("K92.2", "GI bleed requiring transfusion"),
        _ => ("I46.9", "Post-cardiac arrest, intubated"),
    };
    b.complaint(text, None, "2807011", "2808011", "R57.9", &[]);
    b.impression(imp, &["J96.01"], CRITICAL);
    let intubated = kind == 2 || b.chance(0.3);
    let mut tr = b.traj();
    tr.sbp = ((84, 104), (92, 112));
    tr.hr = ((96, 124), (90, 116));
    tr.spo2 = ((92, 98), (93, 99));
    tr.gcs = if intubated {
        ((3, 3), (3, 3))
    } else {
        ((13, 15), (13, 15))
    };
    tr.etco2 = Some(((32, 42), (33, 42)));
    tr.n = (3, 4);
    tr.rhythm = (STACH, STACH);
    if b.chance(0.08) {
        tr.det = Some(Det::Sbp);
    }
    b.vitals(tr);
    if intubated {
        for v in &mut b.vitals {
            v.gcs_qualifier = "3322009";
            v.pain = None;
        }
    }
    let t = b.on_scene_at(0.5);
    let weight = b.weight();
    if kind != 1 || b.chance(0.3) {
        let code = *b.r.weighted(&[(70, "7512"), (15, "11149"), (15, "3628")]);
        let (dose, units) = match code {
            "7512" => (b.range(4, 20) as f64, MCG_MIN),
            "11149" => (2.4, UNITS_HR),
            _ => (b.range(5, 12) as f64, MCG_KG_MIN),
        };
        let i = b.give(code, PUMP, dose, units, t);
        b.meds[i].response = UNCHANGED;
    }
    if kind == 1 {
        let at = b.en_route_at(0.2);
        let p = b.perform(b.pick(&["5447007", "116859006"]), at);
        b.procs[p].response = IMPROVED;
        b.procs[p].by = Some(0);
        b.procs[p].level = b.crew[0].caregiver_level;
    }
    if intubated {
        b.give("8782", PUMP, b.range(15, 40) as f64, MCG_KG_MIN, t);
        let at = b.en_route_at(0.5);
        b.give("4337", IV, (weight * 0.5).round().min(100.0), MCG, at);
    }
    let pt = b.pt();
    b.say(format!(
        "Bedside report from ICU RN and physician. {pt} {}. Infusions transferred to transport pumps, lines and tubes secured.",
        if intubated { "intubated and sedated, ETT placed at sending facility, confirmed with waveform capnography" } else { "awake, on high-flow O2" }
    ));
    b.protocols = vec!["9914181"];
    b.transport(false, &["4220021"], None, "4219001");
}
