//! Code tables: the NEMSIS v3.5.1 codes of the elements Harbor reads (generated from the
//! data dictionary by `scripts/gen-nemsis-codes.py`), the NV and PN attribute codes, and a
//! short list of common clinical codes (ICD-10-CM, RxNorm, SNOMED CT). Compiled into the
//! binary; looked up without allocation.

use std::collections::HashMap;
use std::sync::OnceLock;

const NEMSIS: &str = include_str!("nemsis_codes.tsv");
const CLINICAL: &str = include_str!("clinical_codes.tsv");

/// Which table a code is looked up in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table<'a> {
    /// The codes of one NEMSIS element, e.g. `eArrest.01`.
    Element(&'a str),
    /// NV ("not value") attribute codes.
    NotValue,
    /// PN (pertinent negative) attribute codes.
    PertinentNegative,
    /// ICD-10-CM.
    Icd10,
    /// RxNorm.
    RxNorm,
    /// SNOMED CT.
    Snomed,
}

struct Tables {
    by_key: HashMap<(&'static str, &'static str), &'static str>,
    elements: std::collections::HashSet<&'static str>,
}

fn tables() -> &'static Tables {
    static T: OnceLock<Tables> = OnceLock::new();
    T.get_or_init(|| {
        let mut by_key = HashMap::new();
        let mut elements = std::collections::HashSet::new();
        for line in NEMSIS.lines().chain(CLINICAL.lines()) {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let mut f = line.splitn(3, '\t');
            let (Some(table), Some(code), Some(label)) = (f.next(), f.next(), f.next()) else {
                continue;
            };
            by_key.insert((table, code), label);
            if table.starts_with('e') {
                elements.insert(table);
            }
        }
        Tables { by_key, elements }
    })
}

fn table_name<'a>(t: Table<'a>) -> &'a str {
    match t {
        Table::Element(e) => e,
        Table::NotValue => "NV",
        Table::PertinentNegative => "PN",
        Table::Icd10 => "icd10",
        Table::RxNorm => "rxnorm",
        Table::Snomed => "snomed",
    }
}

/// The label of `code` in `table`, if Harbor knows it.
pub fn label(table: Table<'_>, code: &str) -> Option<&'static str> {
    tables().by_key.get(&(table_name(table), code)).copied()
}

/// Whether Harbor carries the code list of `element` (so an unknown code there is worth a
/// warning).
pub fn has_code_list(element: &str) -> bool {
    tables().elements.contains(element)
}

/// Every (table, code, label) row of the NEMSIS table, for the dictionary check.
pub fn nemsis_rows() -> impl Iterator<Item = (&'static str, &'static str, &'static str)> {
    NEMSIS.lines().filter_map(|line| {
        if line.starts_with('#') {
            return None;
        }
        let mut f = line.splitn(3, '\t');
        Some((f.next()?, f.next()?, f.next()?))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_resolve_to_labels() {
        assert_eq!(
            label(Table::Element("eArrest.01"), "3001005"),
            Some("Yes, After Any EMS Arrival (includes Transport EMS & Medical First Responders)")
        );
        assert_eq!(label(Table::PertinentNegative, "8801019"), Some("Refused"));
        assert_eq!(label(Table::NotValue, "7701003"), Some("Not Recorded"));
        assert_eq!(label(Table::RxNorm, "7242"), Some("Naloxone"));
        assert_eq!(label(Table::Element("eArrest.01"), "7242"), None);
        assert!(has_code_list("eDisposition.28"));
        assert!(!has_code_list("eNarrative.01"));
    }
}
