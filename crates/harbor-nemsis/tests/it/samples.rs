//! The 40 official NEMSIS sample files (synthetic values that exercise every element, NV,
//! PN and nil) all read without error.

use crate::support::shared_nemsis;
use harbor_nemsis::{Limits, read_document};

#[test]
fn every_official_sample_reads() {
    let Some(dir) = shared_nemsis() else { return };
    let mut files: Vec<_> = std::fs::read_dir(dir.join("samples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "xml"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 40, "the samples folder changed");
    let mut with_pn = 0;
    let mut with_nv = 0;
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        let reports = read_document(&bytes, &Limits::default())
            .unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        assert_eq!(reports.len(), 1, "{}", f.display());
        let r = &reports[0].reference;
        assert!(r.report_uuid.is_some());
        assert!(!r.pcr_number.is_empty());
        assert!(reports[0].xml.starts_with("<PatientCareReport"));
        assert!(reports[0].xml.ends_with("</PatientCareReport>"));
        let json = serde_json::to_string(r).unwrap();
        with_pn += usize::from(json.contains("pertinent_negative"));
        with_nv += usize::from(json.contains("not_value"));
        // The stored reference validates against the epcr schema.
        harbor_core::schema::validate(
            harbor_core::RecordKind::Epcr,
            &serde_json::to_value(r).unwrap(),
        )
        .unwrap_or_else(|e| panic!("{}: {e}", f.display()));
    }
    assert!(
        with_pn >= 10,
        "pertinent negatives are kept ({with_pn} files)"
    );
    assert!(with_nv >= 10, "NV attributes are kept ({with_nv} files)");
}

#[test]
fn a_pertinent_negative_is_not_a_missing_value() {
    let Some(dir) = shared_nemsis() else { return };
    let bytes = std::fs::read(dir.join("samples/EMSDataset-PNs-1.xml")).unwrap();
    let r = &read_document(&bytes, &Limits::default()).unwrap()[0].reference;
    let pns: Vec<_> = r
        .medications
        .iter()
        .filter_map(|m| m.medication.as_ref())
        .chain(r.procedures.iter().filter_map(|p| p.procedure.as_ref()))
        .filter(|v| v.pertinent_negative.is_some())
        .collect();
    assert!(
        !pns.is_empty(),
        "the PN sample has pertinent negatives on medications or procedures"
    );
    for v in pns {
        let pn = v.pertinent_negative.as_ref().unwrap();
        assert!(pn.label.is_some(), "PN code {} has a label", pn.code);
    }
}

/// The compiled code table agrees with the data dictionary.
#[test]
fn codes_match_the_dictionary() {
    let Some(dir) = shared_nemsis() else { return };
    let text =
        std::fs::read_to_string(dir.join("dictionary/EMSDataSet_ElementEnumerations.txt")).unwrap();
    let mut dictionary = std::collections::HashMap::new();
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split('|').map(|s| s.trim_matches('\'')).collect();
        if f.len() >= 5 {
            dictionary.insert((f[1].to_owned(), f[3].to_owned()), f[4].to_owned());
        }
    }
    let mut checked = 0;
    let mut elements = std::collections::HashSet::new();
    for (element, code, label) in harbor_nemsis::codes::nemsis_rows() {
        if element == "NV" || element == "PN" {
            continue;
        }
        elements.insert(element.to_owned());
        assert_eq!(
            dictionary
                .get(&(element.to_owned(), code.to_owned()))
                .map(String::as_str),
            Some(label),
            "{element} {code}"
        );
        checked += 1;
    }
    // And nothing of those elements is missing from the table.
    let missing: Vec<_> = dictionary
        .keys()
        .filter(|(e, c)| {
            elements.contains(e)
                && harbor_nemsis::codes::label(harbor_nemsis::codes::Table::Element(e), c).is_none()
        })
        .collect();
    assert!(missing.is_empty(), "{missing:?}");
    assert!(checked > 300);
}
