//! Made-up places, people and facilities of the synthetic service area, and the labels the
//! narratives use for codes. Everything here is fictional (names, addresses, facilities); codes
//! are NEMSIS 3.5.1 / ICD-10-CM / RxNorm / SNOMED CT.

use super::model::Facility;

/// ANSI state code of the service area (New Hampshire).
pub(crate) const STATE: &str = "33";
/// Agency name written in eResponse.02.
pub(crate) const AGENCY_NAME: &str = "Harbor County Emergency Medical Services";

/// (city GNIS code, county ANSI code, ZIP, city name).
pub(crate) const PLACES: [(&str, &str, &str, &str); 8] = [
    ("869231", "33011", "03101", "Harbor City"),
    ("869231", "33011", "03102", "Harbor City"),
    ("869231", "33011", "03103", "Harbor City"),
    ("869231", "33011", "03104", "Harbor City"),
    ("873507", "33011", "03110", "Bedford Falls"),
    ("871604", "33015", "03053", "Londonderry Mills"),
    ("870316", "33013", "03301", "Concordia"),
    ("872220", "33011", "03060", "Nashwood"),
];

pub(crate) const STREETS: [&str; 24] = [
    "Elm St",
    "Maple Ave",
    "Hanover St",
    "Union St",
    "Bridge St",
    "Chestnut St",
    "Pine St",
    "Lake Ave",
    "Mammoth Rd",
    "River Rd",
    "Front St",
    "Beech St",
    "Webster St",
    "Cypress St",
    "Harbor Rd",
    "Granite St",
    "Spruce St",
    "Orchard Ln",
    "Birch Hill Rd",
    "Summer St",
    "Wellington Rd",
    "Candia Rd",
    "Old Falls Rd",
    "Kelley St",
];

pub(crate) const CROSS_STREETS: [&str; 8] = [
    "Elm St",
    "Bridge St",
    "Lake Ave",
    "Union St",
    "Hanover St",
    "Mammoth Rd",
    "River Rd",
    "Granite St",
];

pub(crate) const HIGHWAYS: [&str; 4] = ["I-293 NB", "I-93 SB", "Route 101 EB", "Route 3A"];

pub(crate) const FIRST_MALE: [&str; 24] = [
    "James", "Robert", "John", "Michael", "David", "William", "Richard", "Joseph", "Thomas",
    "Charles", "Daniel", "Matthew", "Anthony", "Mark", "Paul", "Steven", "Kevin", "Brian", "Jose",
    "Luis", "Tyler", "Ethan", "Noah", "Liam",
];

pub(crate) const FIRST_FEMALE: [&str; 24] = [
    "Mary",
    "Patricia",
    "Jennifer",
    "Linda",
    "Elizabeth",
    "Barbara",
    "Susan",
    "Jessica",
    "Sarah",
    "Karen",
    "Nancy",
    "Lisa",
    "Betty",
    "Margaret",
    "Sandra",
    "Ashley",
    "Emily",
    "Donna",
    "Maria",
    "Rosa",
    "Olivia",
    "Emma",
    "Ava",
    "Sophia",
];

pub(crate) const LAST: [&str; 32] = [
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Thompson",
    "White",
    "Harris",
    "Clark",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Nguyen",
    "Tremblay",
];

/// Hospitals and facilities of the area (fictional).
pub(crate) const HARBOR_GENERAL: Facility = Facility {
    name: "Harbor General Hospital",
    code: "HGH-330101",
    street: "100 Hospital Dr",
    city_gnis: "869231",
    county: "33011",
    zip: "03103",
    designations: &["9908007", "9908023", "9908033", "9908039"],
    minutes: (5, 16),
};
pub(crate) const ST_BRIGID: Facility = Facility {
    name: "St. Brigid Medical Center",
    code: "SBMC-330102",
    street: "2200 Bridge St",
    city_gnis: "869231",
    county: "33011",
    zip: "03104",
    designations: &["9908007", "9908021", "9908033", "9908043"],
    minutes: (8, 22),
};
pub(crate) const RIVERSIDE: Facility = Facility {
    name: "Riverside Community Hospital",
    code: "RCH-330103",
    street: "45 River Rd",
    city_gnis: "873507",
    county: "33011",
    zip: "03110",
    designations: &["9908007", "9908037"],
    minutes: (4, 14),
};
pub(crate) const NORTHFIELD_CHILDRENS: Facility = Facility {
    name: "Northfield Children's Hospital",
    code: "NCH-330104",
    street: "8 Children's Way",
    city_gnis: "869231",
    county: "33011",
    zip: "03102",
    designations: &["9908011", "9908009", "9908007"],
    minutes: (9, 24),
};
pub(crate) const MERRIMACK_REGIONAL: Facility = Facility {
    name: "Merrimack Valley Regional Medical Center",
    code: "MVRMC-330201",
    street: "1 Medical Center Dr",
    city_gnis: "870316",
    county: "33013",
    zip: "03301",
    designations: &["9908007", "9908021", "9908043", "9908033", "9908003"],
    minutes: (34, 70),
};
pub(crate) const MAPLE_GROVE_SNF: Facility = Facility {
    name: "Maple Grove Rehabilitation & Nursing",
    code: "MGRN-330301",
    street: "300 Maple Ave",
    city_gnis: "869231",
    county: "33011",
    zip: "03101",
    designations: &[],
    minutes: (6, 18),
};
pub(crate) const GRANITE_DIALYSIS: Facility = Facility {
    name: "Granite State Dialysis Center",
    code: "GSDC-330401",
    street: "77 Granite St",
    city_gnis: "872220",
    county: "33011",
    zip: "03060",
    designations: &[],
    minutes: (8, 20),
};

/// Units: (vehicle number, call sign, capability).
pub(crate) const ALS_UNITS: [(&str, &str); 8] = [
    ("1201", "Medic 1"),
    ("1202", "Medic 2"),
    ("1203", "Medic 3"),
    ("1204", "Medic 4"),
    ("1205", "Medic 5"),
    ("1206", "Medic 6"),
    ("1207", "Medic 7"),
    ("1208", "Medic 8"),
];
pub(crate) const BLS_UNITS: [(&str, &str); 3] = [
    ("1221", "Ambulance 21"),
    ("1222", "Ambulance 22"),
    ("1223", "Ambulance 23"),
];
pub(crate) const CCT_UNITS: [(&str, &str); 2] = [("1231", "CCT 31"), ("1232", "CCT 32")];

pub(crate) const STATIONS: [&str; 5] = [
    "Station 1 - Central",
    "Station 2 - West Side",
    "Station 3 - Bedford Falls",
    "Station 4 - Airport Rd",
    "Station 5 - North End",
];

pub(crate) const NURSES: [&str; 10] = [
    "RN Alvarez",
    "RN Becker",
    "RN Chen",
    "RN Dubois",
    "RN Ellis",
    "RN Fournier",
    "RN Gallagher",
    "RN Haddad",
    "RN Iverson",
    "RN Kowalski",
];

/// Narrative label of a medication code.
pub(crate) fn med_name(code: &str) -> &'static str {
    match code {
        "7242" => "Naloxone",
        "1191" => "Aspirin",
        "4917" => "Nitroglycerin",
        "3992" => "Epinephrine",
        "703" => "Amiodarone",
        "435" => "Albuterol",
        "7213" => "Ipratropium",
        "6902" => "Methylprednisolone",
        "6585" => "Magnesium sulfate",
        "4850" => "Dextrose",
        "4832" => "Glucagon",
        "26225" => "Ondansetron",
        "4337" => "Fentanyl",
        "7052" => "Morphine",
        "6130" => "Ketamine",
        "6960" => "Midazolam",
        "6470" => "Lorazepam",
        "3322" => "Diazepam",
        "7512" => "Norepinephrine",
        "3628" => "Dopamine",
        "11149" => "Vasopressin",
        "8163" => "Phenylephrine",
        "3498" => "Diphenhydramine",
        "1223" => "Atropine",
        "296" => "Adenosine",
        "9863" => "Normal saline",
        "161" => "Acetaminophen",
        "5640" => "Ibuprofen",
        "3264" => "Dexamethasone",
        "5093" => "Haloperidol",
        "4177" => "Etomidate",
        "68139" => "Rocuronium",
        "36676" => "Sodium bicarbonate",
        "1901" => "Calcium chloride",
        "10691" => "Tranexamic acid",
        "7806" => "Oxygen",
        "8782" => "Propofol",
        "3443" => "Diltiazem",
        "10154" => "Succinylcholine",
        _ => "medication",
    }
}

/// Narrative abbreviation of a route code.
pub(crate) fn route_abbr(code: &str) -> &'static str {
    match code {
        "9927023" => "IV",
        "9927021" => "IO",
        "9927015" => "IM",
        "9927017" => "IN",
        "9927035" => "PO",
        "9927047" => "SL",
        "9927071" => "via neb",
        "9927025" => "via NC",
        "9927031" => "via NRB",
        "9927065" => "via BVM",
        "9927067" => "via CPAP",
        "9927069" => "via IV pump",
        "9927043" => "PR",
        "9927063" => "via auto-injector",
        "9927005" => "via ETT",
        _ => "",
    }
}

/// Narrative abbreviation of a dose units code.
pub(crate) fn units_abbr(code: &str) -> &'static str {
    match code {
        "3706001" => "g",
        "3706015" => "mcg",
        "3706021" => "mg",
        "3706025" => "mL",
        "3706035" => "LPM",
        "3706037" => "mcg/min",
        "3706017" => "mcg/kg/min",
        "3706019" => "mEq",
        "3706045" => "units/hr",
        "3706039" => "mg/kg",
        _ => "",
    }
}

/// Narrative label of a procedure code.
pub(crate) fn proc_name(code: &str) -> &'static str {
    match code {
        "89666000" => "CPR",
        "268400002" => "12-lead ECG",
        "46825001" => "cardiac monitoring",
        "392231009" => "IV access",
        "430824005" => "IO access",
        "112798008" => "endotracheal intubation",
        "232674004" => "orotracheal intubation",
        "424979004" => "supraglottic airway",
        "250980009" => "synchronized cardioversion",
        "18590009" => "transcutaneous pacing",
        "182705007" => "needle decompression",
        "116859006" => "blood product transfusion",
        "5447007" => "transfusion",
        "79321009" => "splinting",
        "398041008" => "spinal motion restriction",
        "47545007" => "CPAP",
        "425447009" => "BVM ventilation",
        "33747003" => "blood glucose check",
        "56251003" => "nebulizer therapy",
        "7443007" => "OPA insertion",
        _ => "procedure",
    }
}
