//! Builds one call: picks a scenario and fills the model with a plausible, internally
//! consistent story (times, patient, vitals, interventions, disposition, narrative), deciding
//! deliberately which review triggers it fires.

use chrono::NaiveDate;

use super::model::{
    Airway, Arrest, Call, Clock, Confirmation, CrewMember, Disposition, Facility, History, Injury,
    Med, NA, NR, Other, Patient, Proc, Reading, Response, Scene, Situation, Times, Vital,
};
use super::rng::Rng;
use super::rules::{AIRWAY_PROCEDURES, TRANSFUSIONS, TRIGGER_RULE_IDS, VASOPRESSORS};
use super::tables::*;
use super::{CallFacts, GeneratorOptions, MedicationFacts, ProcedureFacts, VitalFacts};

mod narrative;
mod scenarios;

/// The kinds of call the generator builds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sc {
    ArrestBefore,
    ArrestAfter,
    ChestPain,
    Stemi,
    Brady,
    Tachy,
    Chf,
    Stroke,
    Overdose,
    Hypoglycemia,
    Asthma,
    Copd,
    Seizure,
    Syncope,
    HipFracture,
    FallMinor,
    Mvc,
    MajorTrauma,
    Assault,
    Anaphylaxis,
    Allergic,
    Sepsis,
    Behavioral,
    Intoxication,
    PedFever,
    PedSeizure,
    PedResp,
    PedCritical,
    General,
    Refusal,
    CancelledPrior,
    NoPatient,
    Ift,
    IftCritical,
}

/// Relative frequency of each scenario.
const SCENARIOS: [(u32, Sc); 34] = [
    (22, Sc::ArrestBefore),
    (6, Sc::ArrestAfter),
    (55, Sc::ChestPain),
    (14, Sc::Stemi),
    (8, Sc::Brady),
    (12, Sc::Tachy),
    (16, Sc::Chf),
    (28, Sc::Stroke),
    (38, Sc::Overdose),
    (28, Sc::Hypoglycemia),
    (20, Sc::Asthma),
    (28, Sc::Copd),
    (32, Sc::Seizure),
    (42, Sc::Syncope),
    (28, Sc::HipFracture),
    (55, Sc::FallMinor),
    (45, Sc::Mvc),
    (16, Sc::MajorTrauma),
    (18, Sc::Assault),
    (10, Sc::Anaphylaxis),
    (10, Sc::Allergic),
    (28, Sc::Sepsis),
    (42, Sc::Behavioral),
    (30, Sc::Intoxication),
    (14, Sc::PedFever),
    (10, Sc::PedSeizure),
    (16, Sc::PedResp),
    (4, Sc::PedCritical),
    (95, Sc::General),
    (30, Sc::Refusal),
    (40, Sc::CancelledPrior),
    (12, Sc::NoPatient),
    (60, Sc::Ift),
    (12, Sc::IftCritical),
];

impl Sc {
    fn name(self) -> &'static str {
        match self {
            Sc::ArrestBefore => "cardiac_arrest",
            Sc::ArrestAfter => "witnessed_arrest",
            Sc::ChestPain => "chest_pain",
            Sc::Stemi => "stemi",
            Sc::Brady => "symptomatic_bradycardia",
            Sc::Tachy => "tachydysrhythmia",
            Sc::Chf => "chf_pulmonary_edema",
            Sc::Stroke => "stroke",
            Sc::Overdose => "opioid_overdose",
            Sc::Hypoglycemia => "hypoglycemia",
            Sc::Asthma => "asthma",
            Sc::Copd => "copd",
            Sc::Seizure => "seizure",
            Sc::Syncope => "syncope",
            Sc::HipFracture => "hip_fracture",
            Sc::FallMinor => "fall_minor",
            Sc::Mvc => "mvc",
            Sc::MajorTrauma => "major_trauma",
            Sc::Assault => "assault",
            Sc::Anaphylaxis => "anaphylaxis",
            Sc::Allergic => "allergic_reaction",
            Sc::Sepsis => "sepsis",
            Sc::Behavioral => "behavioral",
            Sc::Intoxication => "intoxication",
            Sc::PedFever => "pediatric_fever",
            Sc::PedSeizure => "pediatric_seizure",
            Sc::PedResp => "pediatric_respiratory",
            Sc::PedCritical => "pediatric_critical",
            Sc::General => "general_illness",
            Sc::Refusal => "refusal",
            Sc::CancelledPrior => "cancelled",
            Sc::NoPatient => "no_patient_found",
            Sc::Ift => "interfacility_transfer",
            Sc::IftCritical => "critical_care_transfer",
        }
    }
}

// Frequently used codes.
pub(crate) const YES: &str = "9923003";
pub(crate) const NO: &str = "9923001";
pub(crate) const IMPROVED: &str = "9916001";
pub(crate) const UNCHANGED: &str = "9916003";
pub(crate) const WORSE: &str = "9916005";
pub(crate) const MED_NONE: &str = "3708031";
pub(crate) const PROC_NONE: &str = "3907033";
pub(crate) const CRITICAL: &str = "2813001";
pub(crate) const EMERGENT: &str = "2813003";
pub(crate) const LOWER: &str = "2813005";
pub(crate) const NON_ACUTE: &str = "2813009";
pub(crate) const YEARS: &str = "2516009";
pub(crate) const MONTHS: &str = "2516007";
pub(crate) const DAYS: &str = "2516001";
pub(crate) const MINUTES: &str = "2806003";
pub(crate) const HOURS: &str = "2806005";
pub(crate) const DAYS_DUR: &str = "2806007";

// Routes.
pub(crate) const IV: &str = "9927023";
pub(crate) const IO: &str = "9927021";
pub(crate) const IM: &str = "9927015";
pub(crate) const IN: &str = "9927017";
pub(crate) const PO: &str = "9927035";
pub(crate) const SL: &str = "9927047";
pub(crate) const NEB: &str = "9927071";
pub(crate) const NC: &str = "9927025";
pub(crate) const NRB: &str = "9927031";
pub(crate) const PUMP: &str = "9927069";
pub(crate) const PR: &str = "9927043";
pub(crate) const BVM_ROUTE: &str = "9927065";
pub(crate) const AUTOINJ: &str = "9927063";

// Units.
pub(crate) const G: &str = "3706001";
pub(crate) const MCG: &str = "3706015";
pub(crate) const MG: &str = "3706021";
pub(crate) const ML: &str = "3706025";
pub(crate) const LPM: &str = "3706035";
pub(crate) const MCG_MIN: &str = "3706037";
pub(crate) const MCG_KG_MIN: &str = "3706017";
pub(crate) const MEQ: &str = "3706019";
pub(crate) const UNITS_HR: &str = "3706045";

// Rhythms.
pub(crate) const SINUS: &str = "9901047";
pub(crate) const STACH: &str = "9901049";
pub(crate) const SBRADY: &str = "9901045";
pub(crate) const AFIB: &str = "9901007";
pub(crate) const VF: &str = "9901067";
pub(crate) const ASYSTOLE: &str = "9901003";
pub(crate) const PEA: &str = "9901035";

/// Review trigger ids by name, as bits of `B::planned`.
fn bit(id: &str) -> u32 {
    let i = TRIGGER_RULE_IDS
        .iter()
        .position(|x| *x == id)
        .unwrap_or(TRIGGER_RULE_IDS.len());
    1u32 << i
}

/// Where the call ends.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Kind {
    Transport(Facility),
    NoTransport,
    Cancelled,
    NoPatient,
}

/// Deterioration of one parameter between the first and the last vital sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Det {
    Sbp,
    Spo2,
    Gcs,
}

type R = (i64, i64);

/// How the vital signs evolve over the call: (start range, end range) per parameter.
#[derive(Debug, Clone)]
pub(crate) struct Traj {
    pub(crate) n: (usize, usize),
    pub(crate) sbp: (R, R),
    pub(crate) hr: (R, R),
    pub(crate) rr: (R, R),
    pub(crate) spo2: (R, R),
    pub(crate) gcs: (R, R),
    pub(crate) pain: Option<(R, R)>,
    pub(crate) glucose: Option<R>,
    pub(crate) glucose_recheck: Option<R>,
    pub(crate) etco2: Option<(R, R)>,
    pub(crate) temp: Option<(f64, f64)>,
    pub(crate) rhythm: (&'static str, &'static str),
    pub(crate) twelve_lead: bool,
    pub(crate) stroke: Option<&'static str>,
    pub(crate) reperfusion: bool,
    pub(crate) effort: (&'static str, &'static str),
    pub(crate) det: Option<Det>,
}

/// The call under construction.
pub(crate) struct B<'a> {
    pub(crate) opts: &'a GeneratorOptions,
    pub(crate) r: Rng,
    pub(crate) index: usize,
    pub(crate) sc: Sc,
    pub(crate) clock: Clock,
    pub(crate) unit: (&'static str, &'static str),
    pub(crate) capability: &'static str,
    pub(crate) als: bool,
    pub(crate) crew: Vec<CrewMember>,
    pub(crate) service_type: &'static str,
    pub(crate) dispatch_reason: &'static str,
    pub(crate) priority: &'static str,
    pub(crate) determinant: Option<String>,
    pub(crate) emd: &'static str,
    pub(crate) emergent: bool,
    pub(crate) times: Times,
    pub(crate) patient: Option<Patient>,
    pub(crate) payment: Option<&'static str>,
    pub(crate) sit: Situation,
    pub(crate) injury: Option<Injury>,
    pub(crate) arrest: Option<Arrest>,
    pub(crate) hist: History,
    pub(crate) vitals: Vec<Vital>,
    pub(crate) protocols: Vec<&'static str>,
    pub(crate) meds: Vec<Med>,
    pub(crate) procs: Vec<Proc>,
    pub(crate) airway: Option<Airway>,
    pub(crate) disp: Disposition,
    pub(crate) scene: Scene,
    pub(crate) scene_delay: &'static str,
    pub(crate) transport_delay: &'static str,
    pub(crate) turnaround_delay: &'static str,
    pub(crate) response_delay: &'static str,
    /// Assessment sentences of the narrative.
    pub(crate) story: Vec<String>,
    /// Triggers deliberately built in (bits by [`TRIGGER_RULE_IDS`] index).
    pub(crate) planned: u32,
    pub(crate) crew_injury_p: f64,
    pub(crate) crew_injury_kind: &'static str,
    /// A phrase about the destination choice or activation, for the narrative.
    pub(crate) destination_note: Option<String>,
    pub(crate) transported: bool,
    /// Odometer readings: start, at scene, at destination, end.
    pub(crate) odometer: (f64, f64, f64, f64),
    /// Deliberate documentation gaps.
    pub(crate) missing_narrative: bool,
    pub(crate) missing_times: bool,
}

/// Builds report number `index` of a run.
pub(crate) fn build_call(opts: &GeneratorOptions, index: usize) -> Call {
    let r = Rng::for_stream(opts.seed, index as u64);
    let sc = *r.weighted(&SCENARIOS);
    let mut b = B::new(opts, index, r, sc);
    scenarios::run(&mut b);
    b.finish()
}

impl<'a> B<'a> {
    fn new(opts: &'a GeneratorOptions, index: usize, r: Rng, sc: Sc) -> Self {
        // Calls are spread in index order over ~90 days.
        let count = opts.count.max(1) as f64;
        let span = 90.0 * 86_400.0;
        let offset = ((index as f64 + r.f64()) * span / count) as i64;
        let start = opts.start_date.and_hms_opt(0, 0, 0).unwrap_or_default();
        let mut base = start + chrono::Duration::seconds(offset);
        // Fewer calls at night: move some night calls into the day.
        let hour = chrono::Timelike::hour(&base);
        if hour < 7 && r.chance(0.5) {
            base += chrono::Duration::hours(r.range(7, 12));
        }
        let clock = Clock {
            base,
            offset_minutes: opts.utc_offset_minutes.clamp(-14 * 60, 14 * 60),
        };
        let place = *r.pick(&PLACES);
        let scene = Scene {
            location_type: "Y92.009",
            facility_name: None,
            street: format!("{} {}", r.range(1, 2999), r.pick(&STREETS)),
            apartment: None,
            city_gnis: place.0,
            county: place.1,
            zip: place.2,
            cross_street: None,
            gps: format!(
                "{:.6},{:.6}",
                42.93 + r.f64() * 0.12,
                -71.52 + r.f64() * 0.14
            ),
            other_services: Vec::new(),
            patients: "2707005",
        };
        B {
            opts,
            r,
            index,
            sc,
            clock,
            unit: ALS_UNITS[0],
            capability: "2207015",
            als: true,
            crew: Vec::new(),
            service_type: "2205001",
            dispatch_reason: "2301061",
            priority: "2305003",
            determinant: None,
            emd: "2302005",
            emergent: true,
            times: Times {
                t: [None; 18],
                nv: [NA; 18],
            },
            patient: None,
            payment: None,
            sit: Situation {
                possible_injury: "9922001",
                ..Situation::default()
            },
            injury: None,
            arrest: None,
            hist: History::default(),
            vitals: Vec::new(),
            protocols: Vec::new(),
            meds: Vec::new(),
            procs: Vec::new(),
            airway: None,
            disp: Disposition {
                destination: None,
                destination_type: None,
                unit: "4227001",
                evaluation: None,
                crew: None,
                transport: None,
                refusal_reasons: Vec::new(),
                position: None,
                method: None,
                mode: None,
                mode_descriptor: None,
                release_acuity: None,
                reasons: Vec::new(),
                inpatient: None,
                activation: None,
                instructions: Vec::new(),
                level_of_care: None,
            },
            scene,
            scene_delay: "2210017",
            transport_delay: "2211011",
            turnaround_delay: "2212015",
            response_delay: "2209011",
            story: Vec::new(),
            planned: 0,
            crew_injury_p: 0.006,
            crew_injury_kind: "4506023",
            destination_note: None,
            transported: false,
            odometer: (0.0, 0.0, 0.0, 0.0),
            missing_narrative: false,
            missing_times: false,
        }
    }

    pub(crate) fn plan(&mut self, id: &str) {
        self.planned |= bit(id);
    }

    pub(crate) fn say(&mut self, s: impl Into<String>) {
        self.story.push(s.into());
    }

    pub(crate) fn chance(&self, p: f64) -> bool {
        self.r.chance(p)
    }

    pub(crate) fn range(&self, lo: i64, hi: i64) -> i64 {
        self.r.range(lo, hi)
    }

    pub(crate) fn weighted<T: Copy>(&self, items: &[(u32, T)]) -> T {
        *self.r.weighted(items)
    }

    pub(crate) fn pick<T: Copy>(&self, items: &[T]) -> T {
        *self.r.pick(items)
    }

    // ----- unit, crew, dispatch -------------------------------------------------------------

    /// Assigns the unit and its crew: `"als"`, `"bls"` or `"cct"`.
    pub(crate) fn unit(&mut self, kind: &str) {
        let seed = self.opts.seed;
        let member = |k: u64, level: &'static str, caregiver: &'static str, role: &'static str| {
            let n = 1000 + (k * 7919 + seed % 4001) % 9000;
            CrewMember {
                id: format!("HC{n:04}"),
                level,
                caregiver_level: caregiver,
                role,
            }
        };
        let medic = self.r.range(0, 23) as u64;
        let emt = 24 + self.r.range(0, 27) as u64;
        let emt2 = 24 + (emt - 24 + 1 + self.r.range(0, 25) as u64) % 28;
        let primary_role = if self.service_type == "2205001" {
            "2403011"
        } else {
            "2403013"
        };
        match kind {
            "bls" => {
                self.unit = *self.r.pick(&BLS_UNITS);
                self.capability = "2207017";
                self.als = false;
                self.crew
                    .push(member(emt, "9925005", "9905005", primary_role));
                self.crew
                    .push(member(emt2, "9925005", "9905005", "2403001"));
            }
            "cct" => {
                self.unit = *self.r.pick(&CCT_UNITS);
                self.capability = "2207019";
                self.als = true;
                let ccp = 52 + self.r.range(0, 7) as u64;
                self.crew.push(member(ccp, "9925033", "9905031", "2403013"));
                if self.r.chance(0.4) {
                    let rn = 60 + self.r.range(0, 3) as u64;
                    self.crew.push(member(rn, "9925043", "9905041", "2403009"));
                }
                self.crew.push(member(emt, "9925005", "9905005", "2403003"));
            }
            _ => {
                self.unit = *self.r.pick(&ALS_UNITS);
                self.capability = "2207015";
                self.als = true;
                self.crew
                    .push(member(medic, "9925007", "9905007", primary_role));
                self.crew.push(member(emt, "9925005", "9905005", "2403001"));
                if self.r.chance(0.25) {
                    if self.r.chance(0.5) {
                        let s = 64 + self.r.range(0, 3) as u64;
                        self.crew.push(member(s, "9925031", "9905029", "2403007"));
                    } else {
                        self.crew
                            .push(member(emt2, "9925005", "9905005", "2403007"));
                    }
                }
            }
        }
    }

    /// Dispatch complaint, priority and an MPDS-style determinant.
    pub(crate) fn dispatch(&mut self, reason: &'static str, emergent: bool, determinant: &str) {
        self.dispatch_reason = reason;
        self.emergent = emergent;
        self.priority = if !emergent {
            if self.service_type == "2205001" {
                "2305005"
            } else {
                "2305007"
            }
        } else if determinant.contains("-E-") || determinant.contains("-D-") {
            "2305001"
        } else {
            "2305003"
        };
        if self.service_type == "2205001" {
            self.emd = if self.r.chance(0.55) {
                "2302003"
            } else {
                "2302005"
            };
            if !determinant.is_empty() && self.r.chance(0.9) {
                self.determinant = Some(determinant.to_owned());
            }
        } else {
            self.emd = "2302001";
        }
    }

    // ----- scene ------------------------------------------------------------------------------

    pub(crate) fn scene_home(&mut self) {
        self.scene.location_type = self.pick(&["Y92.009", "Y92.019", "Y92.039", "Y92.009"]);
        if self.scene.location_type == "Y92.039" {
            self.scene.apartment = Some(format!("{}", self.range(1, 4) * 100 + self.range(1, 12)));
        }
        if self.chance(0.3) {
            self.scene.cross_street = Some(self.pick(&CROSS_STREETS));
        }
    }

    pub(crate) fn scene_public(&mut self) {
        let (code, _) = self.pick(&[
            ("Y92.512", "store"),
            ("Y92.480", "sidewalk"),
            ("Y92.830", "park"),
            ("Y92.59", "business"),
            ("Y92.89", "public place"),
        ]);
        self.scene.location_type = code;
        self.scene.cross_street = Some(self.pick(&CROSS_STREETS));
    }

    pub(crate) fn scene_road(&mut self) {
        if self.chance(0.3) {
            self.scene.location_type = "Y92.411";
            self.scene.street = format!("{} near exit {}", self.pick(&HIGHWAYS), self.range(1, 12));
        } else {
            self.scene.location_type = "Y92.410";
            self.scene.cross_street = Some(self.pick(&CROSS_STREETS));
        }
        self.scene.other_services = vec!["2704003", "2704009"];
    }

    pub(crate) fn scene_facility(&mut self, f: Facility, location_type: &'static str) {
        self.scene.location_type = location_type;
        self.scene.facility_name = Some(f.name);
        self.scene.street = f.street.to_owned();
        self.scene.city_gnis = f.city_gnis;
        self.scene.county = f.county;
        self.scene.zip = f.zip;
        self.scene.cross_street = None;
    }

    pub(crate) fn nursing_home(&mut self) {
        self.scene_facility(MAPLE_GROVE_SNF, "Y92.129");
    }

    // ----- patient ------------------------------------------------------------------------------

    fn make_patient(&mut self, age: u32, units: &'static str, age_years: f64, male: bool) {
        let first = if male {
            self.pick(&FIRST_MALE)
        } else {
            self.pick(&FIRST_FEMALE)
        };
        let last = self.pick(&LAST);
        let today = self.clock.base.date();
        let dob = match units {
            YEARS => {
                let d = today
                    .checked_sub_signed(chrono::Duration::days(
                        i64::from(age) * 365 + i64::from(age) / 4 + self.r.range(1, 360),
                    ))
                    .unwrap_or(today);
                d.max(NaiveDate::from_ymd_opt(1891, 1, 1).unwrap_or(d))
            }
            MONTHS => today
                .checked_sub_signed(chrono::Duration::days(
                    i64::from(age) * 30 + self.r.range(0, 28),
                ))
                .unwrap_or(today),
            _ => today
                .checked_sub_signed(chrono::Duration::days(i64::from(age)))
                .unwrap_or(today),
        };
        let race = *self.r.weighted(&[
            (70, "2514011"),
            (9, "2514005"),
            (12, "2514007"),
            (5, "2514003"),
            (2, "2514013"),
            (1, "2514001"),
            (1, "2514009"),
        ]);
        let home = self.scene.location_type.starts_with("Y92.0");
        let place = *self.r.pick(&PLACES);
        let street = if home {
            let mut s = self.scene.street.clone();
            if let Some(a) = &self.scene.apartment {
                s.push_str(" Apt ");
                s.push_str(a);
            }
            s
        } else {
            format!("{} {}", self.r.range(1, 2999), self.r.pick(&STREETS))
        };
        let (city_gnis, county, zip) = if home {
            (self.scene.city_gnis, self.scene.county, self.scene.zip)
        } else {
            (place.0, place.1, place.2)
        };
        let weight_kg = if age_years < 1.0 {
            3.5 + age_years * 12.0 * 0.6
        } else if age_years < 12.0 {
            age_years * 2.5 + 8.0
        } else if age_years < 18.0 {
            35.0 + (age_years - 12.0) * 6.0
        } else {
            self.r.range(55, 115) as f64
        };
        self.patient = Some(Patient {
            first,
            last,
            name_unknown: false,
            age,
            age_units: units,
            age_years,
            sex: if male { "9919003" } else { "9919001" },
            race,
            dob,
            street,
            city_gnis,
            county,
            zip,
            weight_kg,
        });
        self.payment = Some(if age_years >= 65.0 {
            "2601005"
        } else if age_years < 18.0 {
            *self.r.weighted(&[(55, "2601003"), (45, "2601001")])
        } else {
            *self.r.weighted(&[
                (50, "2601001"),
                (25, "2601003"),
                (10, "2601011"),
                (10, "2601021"),
                (5, "2601013"),
            ])
        });
    }

    /// An adult (or teenager when `lo` < 18) patient, `p_male` chance of male.
    pub(crate) fn person(&mut self, lo: i64, hi: i64, p_male: f64) {
        let age = self.r.bell(lo, hi).clamp(1, 110) as u32;
        let male = self.r.chance(p_male);
        self.make_patient(age, YEARS, f64::from(age), male);
    }

    /// A typical adult: skewed older.
    pub(crate) fn adult(&mut self) {
        let (lo, hi) = *self
            .r
            .weighted(&[(25, (18, 39)), (35, (40, 64)), (40, (65, 96))]);
        self.person(lo, hi, 0.5);
    }

    /// A child aged `lo_months..=hi_months`; written in days, months or years as EMS do.
    pub(crate) fn child_months(&mut self, lo_months: i64, hi_months: i64) {
        let m = self.r.range(lo_months, hi_months);
        let male = self.r.chance(0.52);
        if m == 0 {
            let days = self.r.range(2, 28) as u32;
            self.make_patient(days, DAYS, f64::from(days) / 365.0, male);
        } else if m < 24 {
            self.make_patient(m as u32, MONTHS, m as f64 / 12.0, male);
        } else {
            let y = (m / 12) as u32;
            self.make_patient(y, YEARS, f64::from(y), male);
        }
    }

    pub(crate) fn age_years(&self) -> f64 {
        self.patient.as_ref().map_or(40.0, |p| p.age_years)
    }

    pub(crate) fn is_child(&self) -> bool {
        self.patient.as_ref().is_some_and(Patient::is_child)
    }

    pub(crate) fn weight(&self) -> f64 {
        self.patient.as_ref().map_or(80.0, |p| p.weight_kg)
    }

    /// "67 y/o M", "8 m/o F", "12 d/o M".
    pub(crate) fn pt(&self) -> String {
        match &self.patient {
            Some(p) => {
                let unit = match p.age_units {
                    YEARS => "y/o",
                    MONTHS => "m/o",
                    DAYS => "d/o",
                    _ => "h/o",
                };
                let sex = if p.sex == "9919003" { "M" } else { "F" };
                format!("{} {unit} {sex}", p.age)
            }
            None => "pt".to_owned(),
        }
    }

    // ----- situation ---------------------------------------------------------------------------

    /// Chief complaint and its anatomy, primary symptom and associated symptoms.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn complaint(
        &mut self,
        text: &str,
        duration: Option<(u32, &'static str)>,
        anatomic: &'static str,
        organ: &'static str,
        symptom: &'static str,
        others: &[&'static str],
    ) {
        self.sit.complaint = Some(text.to_owned());
        self.sit.duration = duration;
        self.sit.anatomic = Some(anatomic);
        self.sit.organ = Some(organ);
        self.sit.symptom = Some(symptom);
        self.sit.other_symptoms = others.to_vec();
        if let Some((n, u)) = duration {
            let secs = i64::from(n)
                * match u {
                    MINUTES => 60,
                    HOURS => 3600,
                    DAYS_DUR => 86_400,
                    _ => 60,
                };
            self.sit.onset = Some(-secs);
            self.sit.onset_approx = self.r.chance(0.5);
        }
    }

    /// Primary impression, secondary impressions and initial acuity.
    pub(crate) fn impression(
        &mut self,
        primary: &'static str,
        secondary: &[&'static str],
        acuity: &'static str,
    ) {
        self.sit.impression = Some(primary);
        self.sit.secondary = secondary.to_vec();
        self.sit.acuity = Some(acuity);
    }

    /// Past medical history, current medications (RxNorm) and allergies.
    pub(crate) fn history(&mut self, conditions: &[&'static str], meds: &[&'static str]) {
        self.hist.conditions = conditions.to_vec();
        self.hist.meds = meds.to_vec();
        let roll = self.r.f64();
        if roll < 0.72 {
            self.hist.nkda = true;
        } else {
            let a = *self.r.pick(&["7980", "10180", "2670", "7980", "1191"]);
            self.hist.allergies.push(a);
        }
        self.hist.history_from = Some(if self.is_child() {
            "3109003"
        } else {
            "3109007"
        });
        if self.hist.barriers.is_empty() {
            self.hist.barriers.push("3101009");
        }
    }

    // ----- timeline -----------------------------------------------------------------------------

    /// Decides the call's times. `scene_min` is the usual scene time (minutes, clipped to stay
    /// within 20); `p_long_scene` and `p_long_transport` are the chances of a deliberately long
    /// scene or transport time (only for calls with patient contact / transport).
    pub(crate) fn timeline(
        &mut self,
        kind: Kind,
        scene_min: R,
        p_long_scene: f64,
        p_long_transport: f64,
    ) {
        let t = &mut self.times;
        let r = &mut self.r;
        let ift = self.service_type != "2205001";
        t.t[1] = Some(0);
        let notified = r.range(15, 70);
        t.t[2] = Some(notified);
        let unit_notified = notified
            + if ift {
                r.range(120, 900)
            } else if self.emergent {
                r.range(20, 80)
            } else {
                r.range(60, 360)
            };
        t.t[3] = Some(unit_notified);
        t.t[4] = Some(unit_notified + r.range(5, 25));
        let enroute = unit_notified + r.range(30, 110);
        t.t[5] = Some(enroute);
        let response = if self.emergent {
            if r.chance(0.08) {
                r.range(840, 1260)
            } else {
                r.bell(210, 780)
            }
        } else {
            r.bell(420, 1500)
        };
        if response > 840 && !ift {
            self.response_delay = *r.pick(&["2209005", "2209023", "2209003"]);
        }
        let on_scene = enroute + response;
        let miles_to_scene = response as f64 / 60.0 * 0.55;
        let odo0 = 20_000.0 + (self.index % 7000) as f64 * 3.7 + r.range(0, 900) as f64 / 10.0;
        let mut odo = (
            odo0,
            odo0 + miles_to_scene,
            odo0 + miles_to_scene,
            odo0 + miles_to_scene,
        );
        match kind {
            Kind::Cancelled => {
                let cancel = enroute + r.range(40, response.max(60) - 20);
                t.t[14] = Some(cancel);
                t.t[13] = Some(cancel + r.range(5, 90));
                for n in [6, 7, 9, 11, 12] {
                    t.t[n] = None;
                    t.nv[n] = NA;
                }
                let partial = (cancel - enroute) as f64 / 60.0 * 0.55;
                odo = (odo0, odo0 + partial, odo0 + partial, odo0 + partial * 2.0);
                self.scene_delay = "2210017";
            }
            Kind::NoPatient => {
                t.t[6] = Some(on_scene);
                t.t[7] = None;
                t.nv[7] = NA;
                let left = on_scene + r.range(180, 900);
                t.t[9] = Some(left);
                t.t[11] = None;
                t.t[12] = None;
                t.t[13] = Some(left + r.range(30, 180));
                odo.3 = odo.1 + miles_to_scene;
            }
            Kind::NoTransport | Kind::Transport(_) => {
                t.t[6] = Some(on_scene);
                let at_patient = on_scene
                    + if self.scene.location_type == "Y92.039" {
                        r.range(90, 260)
                    } else {
                        r.range(25, 150)
                    };
                t.t[7] = Some(at_patient);
                let long_scene = r.chance(p_long_scene);
                let scene_secs = if long_scene {
                    r.range(21 * 60 + 30, 44 * 60)
                } else {
                    let lo = (scene_min.0 * 60).clamp(240, 17 * 60);
                    let hi = (scene_min.1 * 60).clamp(lo, 19 * 60 + 20);
                    r.range(lo, hi)
                }
                .max(at_patient - on_scene + 150);
                let left = on_scene + scene_secs;
                t.t[9] = Some(left);
                if long_scene && self.scene_delay == "2210017" {
                    self.scene_delay = *r.pick(&["2210021", "2210019", "2210025", "2210015"]);
                }
                match kind {
                    Kind::Transport(f) => {
                        let long_transport = f.minutes.0 > 30 || r.chance(p_long_transport);
                        let dest = if long_transport && f.minutes.0 <= 30 && r.chance(0.5) {
                            // Bypassing to the regional center.
                            MERRIMACK_REGIONAL
                        } else {
                            f
                        };
                        let transport = if long_transport {
                            if dest.minutes.0 <= 30 {
                                self.transport_delay =
                                    *r.pick(&["2211023", "2211029", "2211007", "2211017"]);
                            }
                            r.range(31 * 60 + 30, 72 * 60).max(dest.minutes.0 * 60)
                        } else {
                            r.range(dest.minutes.0 * 60, (dest.minutes.1 * 60).min(28 * 60))
                        };
                        let at_dest = left + transport;
                        t.t[11] = Some(at_dest);
                        let offload = if r.chance(0.045) {
                            self.turnaround_delay = "2212009";
                            r.range(26 * 60, 52 * 60)
                        } else {
                            r.range(150, 14 * 60)
                        };
                        let mut transfer = at_dest + offload;
                        // Keep patient contact to transfer of care clear of the 60-minute
                        // threshold, so whole-minute and to-the-second readings agree.
                        let contact_to_transfer = transfer - at_patient;
                        if (59 * 60..=61 * 60 + 30).contains(&contact_to_transfer) {
                            transfer += 61 * 60 + 30 - contact_to_transfer + r.range(0, 90);
                        }
                        t.t[12] = Some(transfer);
                        t.t[13] = Some(transfer + r.range(6 * 60, 28 * 60));
                        let miles = transport as f64 / 60.0 * 0.7;
                        odo.2 = odo.1 + miles;
                        odo.3 = odo.2 + miles * 0.8;
                        self.disp.destination = Some(dest);
                        self.transported = true;
                    }
                    _ => {
                        t.t[11] = None;
                        t.t[12] = None;
                        t.t[13] = Some(left + r.range(45, 300));
                        odo.3 = odo.1 + miles_to_scene;
                    }
                }
            }
        }
        self.odometer = odo;
    }

    pub(crate) fn t(&self, n: usize) -> i64 {
        self.times.get(n).unwrap_or(0)
    }

    /// A moment on scene, `frac` of the way from patient contact to leaving the scene.
    pub(crate) fn on_scene_at(&mut self, frac: f64) -> i64 {
        let a = self.t(7);
        let b = self.times.get(9).unwrap_or(a + 600);
        let x = a + ((b - a) as f64 * frac.clamp(0.02, 0.98)) as i64;
        x + self.r.range(-20, 20).clamp(a - x + 5, b - x - 5)
    }

    /// A moment during transport (or late on scene when not transporting).
    pub(crate) fn en_route_at(&mut self, frac: f64) -> i64 {
        match (self.times.get(9), self.times.get(11)) {
            (Some(a), Some(b)) => a + ((b - a) as f64 * frac.clamp(0.05, 0.95)) as i64,
            _ => self.on_scene_at(0.85),
        }
    }

    /// End of patient care: transfer of care, or leaving the scene.
    pub(crate) fn care_end(&self) -> i64 {
        self.times
            .get(12)
            .or(self.times.get(9))
            .unwrap_or_else(|| self.t(7) + 600)
    }
}

/// A dose as written: up to three decimals, no trailing zeros.
pub(crate) fn dose_str(x: f64) -> String {
    let s = format!("{:.3}", x.clamp(0.001, 999_999.0));
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_owned()
}

fn gcs_parts(total: i64) -> (i64, i64, i64) {
    match total.clamp(3, 15) {
        15 => (4, 5, 6),
        14 => (4, 4, 6),
        13 => (3, 4, 6),
        12 => (3, 3, 6),
        11 => (3, 3, 5),
        10 => (2, 3, 5),
        9 => (2, 2, 5),
        8 => (2, 2, 4),
        7 => (2, 1, 4),
        6 => (1, 1, 4),
        5 => (1, 1, 3),
        4 => (1, 1, 2),
        _ => (1, 1, 1),
    }
}

fn avpu(gcs: i64) -> &'static str {
    match gcs {
        14.. => "3326001",
        11..=13 => "3326003",
        7..=10 => "3326005",
        _ => "3326007",
    }
}

/// Once a value at or above `limit` has been seen, later values stay at or above it.
fn guard_floor(v: &mut [i64], limit: i64, r: &Rng) {
    let mut seen = false;
    for x in v.iter_mut() {
        if seen && *x < limit {
            *x = limit + r.range(0, 4);
        }
        if *x >= limit {
            seen = true;
        }
    }
}

/// No value falls 2 or more below an earlier one.
fn guard_gcs(v: &mut [i64]) {
    let mut max = 0;
    for x in v.iter_mut() {
        if *x < max - 1 {
            *x = max - 1;
        }
        max = max.max(*x);
    }
}

impl B<'_> {
    /// Normal vital signs for the patient's age, stable over the call.
    pub(crate) fn traj(&self) -> Traj {
        let age = self.age_years();
        let (sbp, hr, rr) = if age < 1.0 {
            ((80, 95), (115, 150), (30, 44))
        } else if age < 6.0 {
            ((90, 106), (92, 128), (22, 30))
        } else if age < 13.0 {
            ((96, 116), (72, 108), (18, 24))
        } else if age < 65.0 {
            ((112, 146), (64, 96), (14, 20))
        } else {
            ((118, 166), (60, 90), (14, 20))
        };
        Traj {
            n: (2, 3),
            sbp: (sbp, sbp),
            hr: (hr, hr),
            rr: (rr, rr),
            spo2: ((95, 99), (95, 99)),
            gcs: ((15, 15), (15, 15)),
            pain: None,
            glucose: None,
            glucose_recheck: None,
            etco2: None,
            temp: None,
            rhythm: (SINUS, SINUS),
            twelve_lead: false,
            stroke: None,
            reperfusion: false,
            effort: ("3315007", "3315007"),
            det: None,
        }
    }

    fn series(&mut self, spec: (R, R), n: usize, noise: i64) -> Vec<i64> {
        let a = self.r.range(spec.0.0, spec.0.1);
        let b = self.r.range(spec.1.0, spec.1.1);
        (0..n)
            .map(|i| {
                if n == 1 {
                    return a;
                }
                let f = i as f64 / (n - 1) as f64;
                let v = (a as f64 + (b - a) as f64 * f).round() as i64;
                if i == 0 || i == n - 1 {
                    v
                } else {
                    v + self.r.range(-noise, noise)
                }
            })
            .collect()
    }

    /// Evenly spread times for `n` readings between patient contact and the end of care.
    pub(crate) fn reading_times(&mut self, n: usize) -> Vec<i64> {
        let lo = self.t(7) + 30;
        let hi = (self.care_end() - 30).max(lo + 30);
        let len = hi - lo;
        let start = lo + self.r.range(20, 200).min(len / 4);
        let end = hi - self.r.range(30, 150).min(len / 4);
        if n <= 1 {
            return vec![start];
        }
        let step = (end - start) / (n as i64 - 1);
        (0..n).map(|i| start + step * i as i64).collect()
    }

    /// Generates the vital sign sets of a patient with a pulse.
    pub(crate) fn vitals(&mut self, tr: Traj) {
        let child = self.is_child();
        let critical_child = child && self.sit.acuity == Some(CRITICAL);
        let mut n = self.r.range(tr.n.0 as i64, tr.n.1 as i64).max(1) as usize;
        let long_transport = match (self.times.get(9), self.times.get(11)) {
            (Some(a), Some(b)) => b - a > 30 * 60,
            _ => false,
        };
        if long_transport {
            n += 1;
        }
        let mut det = tr.det;
        if det.is_some() {
            n = n.max(3);
        }
        if child && !critical_child && det == Some(Det::Spo2) {
            det = Some(Det::Gcs);
        }
        let mut sbp = self.series(tr.sbp, n, 6);
        let mut hr = self.series(tr.hr, n, 5);
        let mut rr = self.series(tr.rr, n, 2);
        let mut spo2 = self.series(tr.spo2, n, 1);
        let mut gcs = self.series(tr.gcs, n, 0);
        let last = n - 1;
        match det {
            Some(Det::Sbp) => {
                sbp[0] = sbp[0].max(self.r.range(98, 124));
                sbp[last] = self.r.range(66, 86);
            }
            Some(Det::Spo2) => {
                spo2[0] = spo2[0].max(self.r.range(92, 97));
                spo2[last] = self.r.range(80, 88);
            }
            Some(Det::Gcs) => {
                if child && !critical_child {
                    gcs[0] = 15;
                    gcs[last] = 13;
                } else {
                    gcs[0] = gcs[0].max(self.r.range(12, 15));
                    gcs[last] = gcs[last].min(gcs[0] - self.r.range(2, 5)).max(3);
                }
            }
            None => {}
        }
        for v in sbp.iter_mut() {
            *v = (*v).clamp(40, 250);
        }
        for v in hr.iter_mut() {
            *v = (*v).clamp(20, 230);
        }
        for v in rr.iter_mut() {
            *v = (*v).clamp(0, 70);
        }
        for v in spo2.iter_mut() {
            *v = (*v).clamp(40, 100);
        }
        for v in gcs.iter_mut() {
            *v = (*v).clamp(3, 15);
        }
        if det != Some(Det::Sbp) {
            guard_floor(&mut sbp, 90, &self.r);
        }
        if det != Some(Det::Spo2) {
            guard_floor(&mut spo2, 90, &self.r);
        }
        if det != Some(Det::Gcs) {
            guard_gcs(&mut gcs);
        }
        if child && !critical_child {
            for v in spo2.iter_mut() {
                *v = (*v).max(92);
            }
            for v in gcs.iter_mut() {
                *v = (*v).max(13);
            }
        }
        if det.is_some() {
            self.plan("deterioration");
        }
        let pain = tr.pain.map(|p| self.series(p, n, 1));
        let etco2 = tr.etco2.map(|p| self.series(p, n, 2));
        let at = self.reading_times(n);
        let age = self.age_years();
        let pain_type = if age < 4.0 {
            "3328001"
        } else if age < 8.0 {
            "3328007"
        } else {
            "3328003"
        };
        let stroke_type = self.pick(&["3330001", "3330029", "3330013"]);
        for i in 0..n {
            let g = gcs[i];
            let s = sbp[i];
            let rhythm = if i == 0 { tr.rhythm.0 } else { tr.rhythm.1 };
            let glucose = match (i, tr.glucose, tr.glucose_recheck) {
                (0, Some((lo, hi)), _) => Some(self.r.range(lo, hi).to_string()),
                (i, _, Some((lo, hi))) if i == last && n > 1 => {
                    Some(self.r.range(lo, hi).to_string())
                }
                _ => None,
            };
            let dbp = (s as f64 * 0.62) as i64 + self.r.range(-6, 6);
            self.vitals_push(Vital {
                at: at[i],
                rhythm: self.als.then_some(rhythm),
                ecg_type: self.als.then_some(if i == 0 && tr.twelve_lead {
                    "3304007"
                } else {
                    "3304003"
                }),
                ecg_method: self.als.then_some(if i == 0 && tr.twelve_lead {
                    "3305001"
                } else {
                    "3305003"
                }),
                sbp: Reading::Value(s),
                dbp: Some(dbp.clamp(20, s - 12)),
                bp_method: Some(if self.als { "3308005" } else { "3308007" }),
                hr: Reading::Value(hr[i]),
                hr_method: Some(if self.als { "3311005" } else { "3311011" }),
                spo2: Reading::Value(spo2[i]),
                rr: Reading::Value(rr[i]),
                resp_effort: Some(if i == 0 { tr.effort.0 } else { tr.effort.1 }),
                etco2: etco2.as_ref().map(|e| e[i].clamp(5, 90)),
                glucose,
                gcs: Some(gcs_parts(g)),
                gcs_qualifier: "3322003",
                temp_c: if i == 0 {
                    tr.temp.map(|t| t.0)
                } else if i == last {
                    tr.temp.map(|t| t.1)
                } else {
                    None
                },
                avpu: avpu(g),
                pain: if g >= 9 {
                    Some(pain.as_ref().map_or(0, |p| p[i].clamp(0, 10)))
                } else {
                    None
                },
                pain_type,
                stroke: tr
                    .stroke
                    .filter(|_| i == 0 || i == last)
                    .map(|x| (x, stroke_type)),
                reperfusion: (tr.reperfusion && i == 0).then_some("3331003"),
            });
        }
    }

    fn vitals_push(&mut self, v: Vital) {
        self.vitals.push(v);
    }

    /// A vital set without a pulse (during CPR).
    pub(crate) fn pulseless_vital(&mut self, at: i64, rhythm: &'static str, etco2: Option<i64>) {
        self.vitals.push(Vital {
            at,
            rhythm: Some(rhythm),
            ecg_type: Some("3304000"),
            ecg_method: Some("3305003"),
            sbp: Reading::Pn("8801005"),
            dbp: None,
            bp_method: None,
            hr: Reading::Pn("8801005"),
            hr_method: None,
            spo2: Reading::Pn("8801023"),
            rr: Reading::Value(0),
            resp_effort: Some("3315001"),
            etco2,
            glucose: None,
            gcs: Some((1, 1, 1)),
            gcs_qualifier: "3322003",
            temp_c: None,
            avpu: "3326007",
            pain: None,
            pain_type: "3328003",
            stroke: None,
            reperfusion: None,
        });
    }

    /// A vital set after return of spontaneous circulation (or peri-arrest), GCS 3.
    pub(crate) fn rosc_vital(
        &mut self,
        at: i64,
        rhythm: &'static str,
        sbp: i64,
        hr: i64,
        spo2: i64,
        etco2: i64,
    ) {
        let intubated = self.airway.is_some();
        self.vitals.push(Vital {
            at,
            rhythm: Some(rhythm),
            ecg_type: Some("3304003"),
            ecg_method: Some("3305003"),
            sbp: Reading::Value(sbp),
            dbp: Some((sbp as f64 * 0.6) as i64),
            bp_method: Some("3308005"),
            hr: Reading::Value(hr),
            hr_method: Some("3311005"),
            spo2: Reading::Value(spo2),
            rr: Reading::Value(if intubated { 12 } else { 8 }),
            resp_effort: Some("3315005"),
            etco2: Some(etco2),
            glucose: None,
            gcs: Some((1, 1, 1)),
            gcs_qualifier: if intubated { "3322009" } else { "3322003" },
            temp_c: None,
            avpu: "3326007",
            pain: None,
            pain_type: "3328003",
            stroke: None,
            reperfusion: None,
        });
    }

    // ----- medications and procedures ---------------------------------------------------------

    /// The crew member who gives an ALS intervention (index 0 on ALS units).
    fn provider(&mut self, bls_ok: bool) -> usize {
        if bls_ok && self.crew.len() > 1 && self.r.chance(0.3) {
            1
        } else {
            0
        }
    }

    /// A medication given by this crew; returns its index.
    pub(crate) fn give(
        &mut self,
        code: &'static str,
        route: &'static str,
        dose: f64,
        units: &'static str,
        at: i64,
    ) -> usize {
        let bls_ok = matches!(code, "7806" | "1191" | "435" | "4850" | "4832");
        let by = self.provider(bls_ok);
        let level = self.crew[by].caregiver_level;
        self.meds.push(Med {
            at: Some(at),
            prior: false,
            code,
            pn: None,
            route,
            dose: dose_str(dose),
            units,
            response: UNCHANGED,
            complications: vec![MED_NONE],
            by: Some(by),
            level,
        });
        self.meds.len() - 1
    }

    /// A medication given before this unit's care (by the patient, a bystander, police...).
    pub(crate) fn given_before(
        &mut self,
        code: &'static str,
        route: &'static str,
        dose: f64,
        units: &'static str,
        at: Option<i64>,
        level: &'static str,
    ) -> usize {
        self.meds.push(Med {
            at,
            prior: true,
            code,
            pn: None,
            route,
            dose: dose_str(dose),
            units,
            response: IMPROVED,
            complications: vec![MED_NONE],
            by: None,
            level,
        });
        self.meds.len() - 1
    }

    /// A medication considered and not given (pertinent negative).
    pub(crate) fn withhold(&mut self, code: &'static str, pn: &'static str, at: i64) {
        let level = self.crew[0].caregiver_level;
        self.meds.push(Med {
            at: Some(at),
            prior: false,
            code,
            pn: Some(pn),
            route: "",
            dose: String::new(),
            units: "",
            response: UNCHANGED,
            complications: Vec::new(),
            by: Some(0),
            level,
        });
    }

    /// Oxygen.
    pub(crate) fn oxygen(&mut self, at: i64, route: &'static str, lpm: f64) {
        let i = self.give("7806", route, lpm, LPM, at);
        self.meds[i].response = IMPROVED;
    }

    /// A procedure performed successfully on the first attempt; returns its index.
    pub(crate) fn perform(&mut self, code: &'static str, at: i64) -> usize {
        let bls_ok = matches!(
            code,
            "89666000"
                | "79321009"
                | "398041008"
                | "425447009"
                | "33747003"
                | "7443007"
                | "47545007"
        );
        let by = self.provider(bls_ok);
        let level = self.crew[by].caregiver_level;
        self.procs.push(Proc {
            at: Some(at),
            prior: false,
            code,
            pn: None,
            size: None,
            attempts: 1,
            success: true,
            complications: vec![PROC_NONE],
            response: UNCHANGED,
            by: Some(by),
            level,
            location: None,
            technique: None,
        });
        self.procs.len() - 1
    }

    /// A procedure done before this unit's care.
    pub(crate) fn performed_before(
        &mut self,
        code: &'static str,
        at: Option<i64>,
        level: &'static str,
    ) {
        self.procs.push(Proc {
            at,
            prior: true,
            code,
            pn: None,
            size: None,
            attempts: 1,
            success: true,
            complications: vec![PROC_NONE],
            response: UNCHANGED,
            by: None,
            level,
            location: None,
            technique: None,
        });
    }

    /// A procedure considered and not done (pertinent negative).
    pub(crate) fn decline(&mut self, code: &'static str, pn: &'static str, at: i64) {
        let level = self.crew[0].caregiver_level;
        self.procs.push(Proc {
            at: Some(at),
            prior: false,
            code,
            pn: Some(pn),
            size: None,
            attempts: 1,
            success: false,
            complications: Vec::new(),
            response: UNCHANGED,
            by: Some(0),
            level,
            location: None,
            technique: None,
        });
    }

    /// Cardiac monitoring and, if asked, a 12-lead.
    pub(crate) fn monitor(&mut self, at: i64, twelve_lead: bool) {
        if !self.als {
            return;
        }
        if self.chance(0.6) {
            self.perform("46825001", at);
        }
        if twelve_lead {
            self.perform("268400002", at + self.r.range(60, 240));
        }
    }

    /// Blood glucose check.
    pub(crate) fn glucose_check(&mut self, at: i64) {
        if self.chance(0.7) {
            self.perform("33747003", at);
        }
    }

    /// Vascular access. Returns the drug route obtained (IV or IO), or `None`.
    pub(crate) fn access(
        &mut self,
        at: i64,
        p_fail: f64,
        p_io_after_fail: f64,
    ) -> Option<&'static str> {
        if !self.als {
            return None;
        }
        let child = self.is_child();
        let size = if child {
            self.pick(&["22ga", "24ga", "22ga"])
        } else {
            self.pick(&["18ga", "20ga", "18ga", "16ga", "20ga"])
        };
        let location = self.pick(&[
            "3913001", "3913003", "3913001", "3913003", "3913017", "3913019", "3913021", "3913023",
        ]);
        if self.chance(p_fail) {
            let i = self.perform("392231009", at);
            self.procs[i].success = false;
            self.procs[i].attempts = self.range(1, 2);
            self.procs[i].size = Some(size.to_owned());
            self.procs[i].location = Some(location);
            self.procs[i].by = Some(0);
            self.procs[i].level = self.crew[0].caregiver_level;
            if self.chance(p_io_after_fail) {
                self.io_access(at + self.range(60, 180));
                return Some(IO);
            }
            if self.chance(0.65) {
                let j = self.perform("392231009", at + self.range(60, 180));
                self.procs[j].size = Some("20ga".to_owned());
                self.procs[j].location = Some(self.pick(&["3913021", "3913023", "3913005"]));
                self.procs[j].by = Some(0);
                self.procs[j].level = self.crew[0].caregiver_level;
                return Some(IV);
            }
            return None;
        }
        let i = self.perform("392231009", at);
        self.procs[i].size = Some(size.to_owned());
        self.procs[i].location = Some(location);
        self.procs[i].by = Some(0);
        self.procs[i].level = self.crew[0].caregiver_level;
        if self.chance(0.022) {
            self.procs[i].complications = vec![self.pick(&["3907015", "3907005"])];
        }
        Some(IV)
    }

    /// Intraosseous access.
    pub(crate) fn io_access(&mut self, at: i64) {
        let child = self.is_child();
        let i = self.perform("430824005", at);
        self.procs[i].by = Some(0);
        self.procs[i].level = self.crew[0].caregiver_level;
        self.procs[i].size = Some(
            if child {
                "15mm"
            } else {
                self.pick(&["25mm", "45mm"])
            }
            .to_owned(),
        );
        self.procs[i].location = Some(if child {
            "3913049"
        } else {
            self.pick(&["3913049", "3913047", "3913039", "3913037"])
        });
    }

    /// Advanced airway management: endotracheal intubation (possibly failed and rescued with a
    /// supraglottic airway) or a supraglottic airway first.
    pub(crate) fn advanced_airway(
        &mut self,
        at: i64,
        prefer_sad: bool,
        p_fail: f64,
        p_complication: f64,
        indication: &'static str,
    ) {
        let child = self.is_child();
        let by = 0;
        let level = self.crew[0].caregiver_level;
        let mut airway = Airway {
            indications: vec![indication],
            confirmations: Vec::new(),
            complications: Vec::new(),
            failures: Vec::new(),
            decision_at: at - self.range(60, 180),
            abandoned_at: None,
        };
        let methods = |r: &Rng| {
            let mut m = vec!["4004019", "4004001"];
            if r.chance(0.5) {
                m.push("4004021");
            }
            m
        };
        let mut t = at;
        let mut need_sad = prefer_sad;
        if !prefer_sad {
            let code = self.pick(&["112798008", "232674004"]);
            let failed = self.chance(p_fail);
            let attempts = if failed {
                self.range(2, 3)
            } else if self.chance(0.2) {
                2
            } else {
                1
            };
            self.procs.push(Proc {
                at: Some(t),
                prior: false,
                code,
                pn: None,
                size: Some(
                    if child {
                        "5.0"
                    } else {
                        self.pick(&["7.0", "7.5", "8.0"])
                    }
                    .to_owned(),
                ),
                attempts,
                success: !failed,
                complications: vec![PROC_NONE],
                response: if failed { UNCHANGED } else { IMPROVED },
                by: Some(by),
                level,
                location: None,
                technique: Some(self.pick(&["3914011", "3914011", "3914005"])),
            });
            if failed {
                airway
                    .failures
                    .push(self.pick(&["4009017", "4009001", "4009007", "4009009", "4009011"]));
                if self.chance(0.5) {
                    airway.complications.push("4008011");
                }
                airway.abandoned_at = Some(t + 60 * attempts);
                need_sad = true;
                t += 60 * attempts + 60;
            } else {
                airway.confirmations.push(Confirmation {
                    at: t + 60,
                    device: "4003003",
                    methods: methods(&self.r),
                    depth_cm: Some(if child { 14 } else { self.range(21, 24) }),
                    by,
                });
            }
        }
        if need_sad {
            let failed = self.chance(0.1);
            self.procs.push(Proc {
                at: Some(t),
                prior: false,
                code: "424979004",
                pn: None,
                size: Some(
                    if child {
                        "2"
                    } else {
                        self.pick(&["3", "4", "5"])
                    }
                    .to_owned(),
                ),
                attempts: 1,
                success: !failed,
                complications: vec![PROC_NONE],
                response: if failed { UNCHANGED } else { IMPROVED },
                by: Some(by),
                level,
                location: None,
                technique: None,
            });
            if failed {
                airway.failures.push("4009013");
                airway.abandoned_at = Some(t + 120);
            } else {
                airway.confirmations.push(Confirmation {
                    at: t + 60,
                    device: self.pick(&["4003011", "4003009", "4003013"]),
                    methods: methods(&self.r),
                    depth_cm: None,
                    by,
                });
            }
        }
        if self.chance(p_complication) {
            let c = self.pick(&["4008017", "4008019", "4008017", "4008003"]);
            airway.complications.push(c);
            if let Some(p) = self.procs.last_mut() {
                p.complications = vec![match c {
                    "4008019" => "3907045",
                    "4008003" => "3907047",
                    _ => "3907025",
                }];
            }
        }
        self.airway = Some(airway);
    }
}

impl B<'_> {
    // ----- disposition -------------------------------------------------------------------------

    /// Transport by this unit to the destination chosen by the timeline.
    pub(crate) fn transport(
        &mut self,
        emergent: bool,
        reasons: &[&'static str],
        activation: Option<&'static str>,
        release_acuity: &'static str,
    ) {
        let activation_at = match (self.times.get(9), self.times.get(11)) {
            (Some(a), Some(b)) => a + (b - a) / 3,
            _ => self.t(9),
        };
        let level_of_care = if self.capability == "2207019" {
            "4232009"
        } else if self.als_care() {
            "4232005"
        } else {
            "4232001"
        };
        let d = &mut self.disp;
        d.unit = "4227001";
        d.evaluation = Some("4228001");
        d.crew = Some("4229001");
        d.transport = Some(if self.crew.len() > 2 && self.r.chance(0.1) {
            "4230003"
        } else {
            "4230001"
        });
        d.method = Some("4216005");
        d.mode = Some(if emergent { "4217001" } else { "4217005" });
        d.mode_descriptor = Some(if emergent { "4218011" } else { "4218015" });
        d.release_acuity = Some(release_acuity);
        d.reasons = reasons.to_vec();
        d.destination_type = Some("4221003");
        d.position = Some(*self.r.pick(&["4214003", "4214013", "4214017", "4214015"]));
        if let Some(code) = activation {
            d.activation = Some((code, activation_at));
        }
        d.level_of_care = Some(level_of_care);
        let f = d.destination;
        if let Some(f) = f
            && f.designations.is_empty()
        {
            d.destination_type = Some(if f.code.starts_with("GSDC") {
                "4221025"
            } else {
                "4221041"
            });
        }
    }

    /// Whether any ALS-level care was given.
    fn als_care(&self) -> bool {
        self.meds
            .iter()
            .any(|m| m.pn.is_none() && !m.prior && !matches!(m.code, "7806" | "1191" | "4850"))
            || self.procs.iter().any(|p| {
                p.pn.is_none()
                    && !p.prior
                    && !matches!(
                        p.code,
                        "89666000"
                            | "79321009"
                            | "398041008"
                            | "425447009"
                            | "33747003"
                            | "7443007"
                    )
            })
    }

    /// The patient refuses: 0 = evaluated and refused care, 1 = refused evaluation, 2 = care
    /// given, transport refused.
    pub(crate) fn refuse(&mut self, how: u8) {
        let als_care = self.als_care();
        let reason = *self
            .r
            .weighted(&[(60, "4231001"), (25, "4231003"), (15, "4231009")]);
        let d = &mut self.disp;
        d.unit = "4227001";
        let (eval, crew) = match how {
            1 => ("4228007", "4229013"),
            2 => ("4228001", "4229001"),
            _ => ("4228003", "4229013"),
        };
        d.evaluation = Some(eval);
        d.crew = Some(crew);
        d.transport = Some("4230009");
        d.refusal_reasons = vec![reason];
        d.release_acuity = Some(LOWER_RELEASE);
        d.instructions = vec!["4226001", "4226003"];
        d.level_of_care = Some(if als_care {
            "4232005"
        } else if how == 1 {
            "4232013"
        } else {
            "4232001"
        });
    }

    /// Evaluated, no care needed, not transported.
    pub(crate) fn release(&mut self) {
        let d = &mut self.disp;
        d.unit = "4227001";
        d.evaluation = Some("4228005");
        d.crew = Some("4229011");
        d.transport = Some("4230013");
        d.release_acuity = Some(LOWER_RELEASE);
        d.instructions = vec!["4226001"];
        d.level_of_care = Some("4232001");
    }

    /// Treated on scene and released per protocol (e.g. lift assist, hypoglycaemia treat and
    /// release with a physician order) -- not a refusal.
    pub(crate) fn released_after_care(&mut self) {
        let als_care = self.als_care();
        let d = &mut self.disp;
        d.unit = "4227001";
        d.evaluation = Some("4228001");
        d.crew = Some("4229001");
        d.transport = Some("4230013");
        d.refusal_reasons = vec!["4231005"];
        d.release_acuity = Some(LOWER_RELEASE);
        d.instructions = vec!["4226001", "4226011"];
        d.level_of_care = Some(if als_care { "4232005" } else { "4232001" });
    }

    /// Death on scene (with or without resuscitation).
    pub(crate) fn dead_on_scene(&mut self, resuscitation: bool) {
        let d = &mut self.disp;
        d.unit = "4227001";
        d.evaluation = Some(if resuscitation { "4228001" } else { "4228005" });
        d.crew = Some("4229001");
        d.transport = Some("4230013");
        d.release_acuity = Some(if resuscitation { "4219009" } else { "4219007" });
        d.level_of_care = Some(if resuscitation { "4232005" } else { "4232013" });
    }

    /// Cancelled before arrival.
    pub(crate) fn cancelled(&mut self) {
        let d = &mut self.disp;
        d.unit = "4227005";
        d.evaluation = None;
        d.crew = Some("4229011");
        d.transport = Some("4230013");
    }

    /// Arrived, no patient found (or cancelled on scene).
    pub(crate) fn no_patient(&mut self, cancelled_on_scene: bool) {
        let d = &mut self.disp;
        d.unit = if cancelled_on_scene {
            "4227003"
        } else {
            "4227009"
        };
        d.evaluation = None;
        d.crew = Some("4229011");
        d.transport = Some("4230013");
    }

    // ----- finishing ---------------------------------------------------------------------------

    pub(crate) fn finish(mut self) -> Call {
        let contact = self.disp.unit == "4227001";
        // Everything this crew did happened between patient contact and the end of care.
        if let Some(lo) = self.times.get(7) {
            let hi = self.care_end().max(lo + 20);
            let clamp = |t: &mut Option<i64>| {
                if let Some(x) = t {
                    *x = (*x).clamp(lo + 5, hi - 5);
                }
            };
            for m in self.meds.iter_mut().filter(|m| !m.prior) {
                clamp(&mut m.at);
            }
            for p in self.procs.iter_mut().filter(|p| !p.prior) {
                clamp(&mut p.at);
            }
            if let Some(a) = &mut self.airway {
                a.decision_at = a.decision_at.clamp(lo + 5, hi - 5);
                for c in &mut a.confirmations {
                    c.at = c.at.clamp(lo + 5, hi - 5);
                }
                if let Some(t) = &mut a.abandoned_at {
                    *t = (*t).clamp(lo + 5, hi - 5);
                }
            }
        }
        // Deliberate documentation gaps.
        if contact && self.r.chance(0.016) {
            self.missing_times = true;
            let which = *self.r.weighted(&[(30, 6usize), (50, 7), (20, 67)]);
            for n in [6usize, 7] {
                if which == n || which == 67 {
                    self.times.t[n] = None;
                    self.times.nv[n] = NR;
                }
            }
        }
        self.missing_narrative = self.r.chance(0.034);
        let narrative_omitted = self.missing_narrative && self.r.chance(0.4);
        // Crew injury and eOther.
        let injured = self.crew_injury_p > 0.0 && self.r.chance(self.crew_injury_p);
        let other = if injured || self.r.chance(0.9) {
            let who = if injured {
                self.r.below(self.crew.len())
            } else {
                0
            };
            Some(Other {
                crew_member: Some((who, injured, injured.then_some(self.crew_injury_kind))),
                refusal_signature: self.disp.transport == Some("4230009"),
                transfer_signature: (self.transported && self.r.chance(0.7))
                    .then(|| *self.r.pick(&NURSES)),
            })
        } else {
            None
        };
        // What the call was built to fire.
        self.plan_from_content(injured);
        let narrative = (!self.missing_narrative).then(|| self.narrative());
        let facts = self.facts(narrative, other.as_ref());
        let scene = std::mem::replace(
            &mut self.scene,
            Scene {
                location_type: "",
                facility_name: None,
                street: String::new(),
                apartment: None,
                city_gnis: "",
                county: "",
                zip: "",
                cross_street: None,
                gps: String::new(),
                other_services: Vec::new(),
                patients: "",
            },
        );
        let year = chrono::Datelike::year(&self.clock.base);
        Call {
            clock: self.clock,
            agency_name: AGENCY_NAME,
            response: Response {
                unit_capability: self.capability,
                dispatch_delay: if self.r.chance(0.04) {
                    "2208005"
                } else {
                    "2208013"
                },
                response_delay: self.response_delay,
                scene_delay: self.scene_delay,
                transport_delay: self.transport_delay,
                turnaround_delay: self.turnaround_delay,
                station: STATIONS[self.index % STATIONS.len()],
                odometer: self.odometer,
                mode: if self.emergent { "2223001" } else { "2223005" },
                mode_descriptor: if self.emergent { "2224015" } else { "2224019" },
                emd: self.emd,
                determinant: self.determinant.take(),
                priority: self.priority,
                cad_id: format!("CAD{:02}{:07}", year % 100, 3_000_000 + self.index),
            },
            crew_members: std::mem::take(&mut self.crew),
            times_full: self.times.clone(),
            patient: self.patient.take(),
            payment: self.payment.or(Some("2601007")).filter(|_| contact),
            cms_level: self.cms_level(),
            scene,
            situation: std::mem::take(&mut self.sit),
            injury: self.injury.take(),
            arrest: self.arrest.take(),
            history: std::mem::take(&mut self.hist),
            narrative_omitted,
            vital_sets: std::mem::take(&mut self.vitals),
            protocols: std::mem::take(&mut self.protocols),
            meds: std::mem::take(&mut self.meds),
            procs: std::mem::take(&mut self.procs),
            airway: self.airway.take(),
            disposition: self.disp.clone(),
            other,
            facts,
        }
    }

    fn cms_level(&self) -> Option<&'static str> {
        if !self.transported {
            return None;
        }
        if self.capability == "2207019" {
            return Some("2650015");
        }
        let als_meds = self
            .meds
            .iter()
            .filter(|m| m.pn.is_none() && !m.prior && m.code != "7806")
            .count();
        let big = self.procs.iter().any(|p| {
            p.pn.is_none()
                && (AIRWAY_PROCEDURES.contains(&p.code)
                    || matches!(p.code, "430824005" | "250980009" | "18590009" | "182705007"))
        });
        Some(if big || als_meds >= 3 {
            "2650005"
        } else if self.als_care() {
            if self.emergent { "2650003" } else { "2650001" }
        } else if self.emergent {
            "2650009"
        } else {
            "2650007"
        })
    }

    /// Marks the triggers that the call's content was deliberately built to fire.
    fn plan_from_content(&mut self, crew_injured: bool) {
        if let Some(a) = &self.arrest {
            self.plan(if a.when == "3001003" {
                "cardiac_arrest_before_ems"
            } else {
                "cardiac_arrest_after_ems"
            });
        }
        let done: Vec<&Proc> = self.procs.iter().filter(|p| p.pn.is_none()).collect();
        let mut bits = 0u32;
        let has = |codes: &[&str]| done.iter().any(|p| codes.contains(&p.code));
        let airway = has(&AIRWAY_PROCEDURES)
            || self
                .airway
                .as_ref()
                .is_some_and(|a| !a.confirmations.is_empty());
        if airway {
            bits |= bit("advanced_airway");
        }
        if self.airway.as_ref().is_some_and(|a| !a.failures.is_empty())
            || done
                .iter()
                .any(|p| AIRWAY_PROCEDURES.contains(&p.code) && !p.success)
        {
            bits |= bit("airway_failure");
        }
        let io = has(&["430824005"]);
        if io {
            bits |= bit("io_access");
        }
        if has(&["250980009", "18590009"]) {
            bits |= bit("cardioversion_or_pacing");
        }
        if has(&["182705007"]) {
            bits |= bit("needle_decompression");
        }
        let given: Vec<&Med> = self.meds.iter().filter(|m| m.pn.is_none()).collect();
        if given.iter().any(|m| m.code == "7242" && !m.prior) {
            bits |= bit("naloxone");
        }
        if given.iter().any(|m| VASOPRESSORS.contains(&m.code)) || has(&TRANSFUSIONS) {
            bits |= bit("vasopressors_or_blood");
        }
        if crew_injured {
            bits |= bit("crew_injury");
        }
        if done
            .iter()
            .any(|p| p.complications.iter().any(|c| *c != PROC_NONE))
            || given
                .iter()
                .any(|m| m.complications.iter().any(|c| *c != MED_NONE))
            || self
                .airway
                .as_ref()
                .is_some_and(|a| !a.complications.is_empty())
        {
            bits |= bit("care_complication");
        }
        if done.iter().any(|p| !p.success) {
            bits |= bit("failed_intervention");
        }
        let t = &self.times;
        if let (Some(a), Some(b)) = (t.get(6), t.get(9))
            && b - a > 20 * 60
        {
            bits |= bit("long_scene_time");
        }
        if let (Some(a), Some(b)) = (t.get(9), t.get(11))
            && b - a > 30 * 60
        {
            bits |= bit("long_transport_time");
        }
        if let (Some(a), Some(b)) = (t.get(7), t.get(12))
            && b - a > 60 * 60
        {
            bits |= bit("long_contact_to_transfer");
        }
        if matches!(self.disp.evaluation, Some("4228003" | "4228007"))
            || self.disp.transport == Some("4230009")
        {
            bits |= bit("refusal_of_care");
        }
        if self.is_child()
            && (self.sit.acuity == Some(CRITICAL) || self.arrest.is_some() || airway || io)
        {
            bits |= bit("pediatric_high_acuity");
        }
        if self.missing_narrative || (self.disp.unit == "4227001" && self.missing_times) {
            bits |= bit("missing_documentation");
        }
        self.planned |= bits;
    }

    fn facts(&mut self, narrative: Option<String>, other: Option<&Other>) -> CallFacts {
        let clock = self.clock;
        let year = chrono::Datelike::year(&clock.base);
        let run = self.opts.seed % 900 + 100;
        let uuid = self.r.uuid_v4();
        let fmt = |t: Option<i64>| t.map(|s| clock.fmt(s));
        let times = (1..=17usize)
            .filter_map(|n| {
                self.times
                    .get(n)
                    .map(|s| (format!("eTimes.{n:02}"), clock.fmt(s)))
            })
            .collect();
        let vitals = self
            .vitals
            .iter()
            .map(|v| {
                let (e, vb, m) = match v.gcs {
                    Some((e, vb, m)) => (
                        Some(e.to_string()),
                        Some(vb.to_string()),
                        Some(m.to_string()),
                    ),
                    None => (None, None, None),
                };
                VitalFacts {
                    taken_at: Some(clock.fmt(v.at)),
                    systolic: v.sbp.value().map(|x| x.to_string()),
                    diastolic: v.dbp.map(|x| x.to_string()),
                    heart_rate: v.hr.value().map(|x| x.to_string()),
                    spo2: v.spo2.value().map(|x| x.to_string()),
                    respiratory_rate: v.rr.value().map(|x| x.to_string()),
                    etco2: v.etco2.map(|x| x.to_string()),
                    glucose: v.glucose.clone(),
                    gcs_eye: e,
                    gcs_verbal: vb,
                    gcs_motor: m,
                    gcs_total: v.gcs_total().map(|x| x.to_string()),
                    avpu: Some(v.avpu.to_owned()),
                    pain: v.pain.map(|x| x.to_string()),
                }
            })
            .collect();
        let medications = self
            .meds
            .iter()
            .map(|m| {
                let given = m.pn.is_none();
                MedicationFacts {
                    given_at: fmt(m.at),
                    prior_to_ems: Some(if m.prior { YES } else { NO }.to_owned()),
                    medication: Some(m.code.to_owned()),
                    medication_pn: m.pn.map(str::to_owned),
                    route: given.then(|| m.route.to_owned()),
                    dose: given.then(|| m.dose.clone()),
                    dose_units: given.then(|| m.units.to_owned()),
                    response: given.then(|| m.response.to_owned()),
                    complications: m.complications.iter().map(|c| (*c).to_owned()).collect(),
                }
            })
            .collect();
        let procedures = self
            .procs
            .iter()
            .map(|p| {
                let done = p.pn.is_none();
                ProcedureFacts {
                    performed_at: fmt(p.at),
                    prior_to_ems: Some(if p.prior { YES } else { NO }.to_owned()),
                    procedure: Some(p.code.to_owned()),
                    procedure_pn: p.pn.map(str::to_owned),
                    attempts: done.then(|| p.attempts.to_string()),
                    successful: done.then(|| if p.success { YES } else { NO }.to_owned()),
                    complications: p.complications.iter().map(|c| (*c).to_owned()).collect(),
                }
            })
            .collect();
        let airway = self.airway.as_ref();
        let intended_triggers = TRIGGER_RULE_IDS
            .iter()
            .enumerate()
            .filter(|(i, _)| self.planned & (1 << i) != 0)
            .map(|(_, id)| (*id).to_owned())
            .collect();
        CallFacts {
            report_uuid: uuid,
            pcr_number: format!("PCR{:02}{run:03}{:06}", year % 100, self.index + 1),
            agency_number: super::render::agency_number(self.opts),
            incident_number: format!("{year}-{:06}", 10_000 + self.index),
            response_number: format!("R{:02}-{:06}", year % 100, 20_000 + self.index),
            unit: self.unit.0.to_owned(),
            call_sign: self.unit.1.to_owned(),
            service_type: self.service_type.to_owned(),
            dispatch_complaint: self.dispatch_reason.to_owned(),
            crew: self
                .crew
                .iter()
                .map(|m| (m.id.clone(), m.level.to_owned(), m.role.to_owned()))
                .collect(),
            times,
            age: self.patient.as_ref().map(|p| p.age.to_string()),
            age_units: self.patient.as_ref().map(|p| p.age_units.to_owned()),
            sex: self.patient.as_ref().map(|p| p.sex.to_owned()),
            chief_complaint: self.sit.complaint.clone(),
            primary_symptom: self.sit.symptom.map(str::to_owned),
            primary_impression: self.sit.impression.map(str::to_owned),
            secondary_impressions: self.sit.secondary.iter().map(|s| (*s).to_owned()).collect(),
            initial_acuity: self.sit.acuity.map(str::to_owned),
            vitals,
            medications,
            procedures,
            airway_devices: airway
                .map(|a| {
                    a.confirmations
                        .iter()
                        .map(|c| c.device.to_owned())
                        .collect()
                })
                .unwrap_or_default(),
            airway_complications: airway
                .map(|a| a.complications.iter().map(|c| (*c).to_owned()).collect())
                .unwrap_or_default(),
            airway_failure_reasons: airway
                .map(|a| a.failures.iter().map(|c| (*c).to_owned()).collect())
                .unwrap_or_default(),
            cardiac_arrest: self
                .arrest
                .as_ref()
                .map_or("3001001", |a| a.when)
                .to_owned(),
            unit_disposition: self.disp.unit.to_owned(),
            patient_evaluation_care: self.disp.evaluation.map(str::to_owned),
            crew_disposition: self.disp.crew.map(str::to_owned),
            transport_disposition: self.disp.transport.map(str::to_owned),
            crew_injury: other
                .and_then(|o| o.crew_member)
                .map(|(_, injured, _)| if injured { YES } else { NO }.to_owned()),
            narrative,
            intended_triggers,
            scenario: self.sc.name().to_owned(),
        }
    }
}

const LOWER_RELEASE: &str = "4219005";
