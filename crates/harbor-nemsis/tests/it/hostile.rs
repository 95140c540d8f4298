//! Hostile and broken input: each refused with its own error, naming where.

use harbor_nemsis::{Limits, ReadError, read_document};

const OK: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<EMSDataSet xmlns="http://www.nemsis.org" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <Header>
    <PatientCareReport UUID="6f1c2f0e-8a4b-4d7c-9e2a-1b3c4d5e6f70">
      <eRecord><eRecord.01>PCR-1</eRecord.01></eRecord>
      <eNarrative><eNarrative.01>Pt &amp; crew ok &#x263A;</eNarrative.01></eNarrative>
    </PatientCareReport>
  </Header>
</EMSDataSet>
"#;

fn read(xml: &str) -> Result<usize, ReadError> {
    read_document(xml.as_bytes(), &Limits::default()).map(|r| r.len())
}

#[test]
fn a_small_valid_document_reads_with_predefined_and_character_references() {
    let reports = read_document(OK.as_bytes(), &Limits::default()).unwrap();
    assert_eq!(reports.len(), 1);
    assert_eq!(
        reports[0]
            .reference
            .narrative
            .as_ref()
            .unwrap()
            .value
            .as_deref(),
        Some("Pt & crew ok \u{263A}")
    );
}

#[test]
fn doctypes_and_entities_are_refused() {
    let xxe = OK.replacen(
        "<EMSDataSet",
        "<!DOCTYPE x [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n<EMSDataSet",
        1,
    );
    assert!(
        matches!(read(&xxe), Err(ReadError::Doctype { line: 2 })),
        "{:?}",
        read(&xxe)
    );
    let laughs = OK.replacen(
        "<EMSDataSet",
        "<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;\">]>\n<EMSDataSet",
        1,
    );
    assert!(matches!(read(&laughs), Err(ReadError::Doctype { .. })));
    let undefined = OK.replace("Pt &amp; crew", "Pt &lol; crew");
    assert!(
        matches!(read(&undefined), Err(ReadError::UndefinedEntity { line: 6, ref name }) if name == "lol"),
        "{:?}",
        read(&undefined)
    );
}

#[test]
fn wrong_root_and_namespace_are_refused() {
    let root = OK
        .replace("<EMSDataSet", "<DEMDataSet")
        .replace("</EMSDataSet>", "</DEMDataSet>");
    assert!(
        matches!(read(&root), Err(ReadError::WrongRoot { ref found, .. }) if found == "DEMDataSet")
    );
    let ns = OK.replace("http://www.nemsis.org", "http://example.com/nemsis");
    assert!(
        matches!(read(&ns), Err(ReadError::WrongNamespace { .. })),
        "{:?}",
        read(&ns)
    );
    let none = OK.replace(" xmlns=\"http://www.nemsis.org\"", "");
    assert!(matches!(read(&none), Err(ReadError::WrongNamespace { .. })));
}

#[test]
fn truncated_and_malformed_files_are_refused() {
    for cut in [OK.len() - 20, OK.len() / 2, 120] {
        let err = read(&OK[..cut]).unwrap_err();
        assert!(
            matches!(
                err,
                ReadError::Truncated { .. } | ReadError::Malformed { .. }
            ),
            "cut at {cut}: {err:?}"
        );
    }
    assert!(matches!(
        read(&OK[..OK.len() - 20]),
        Err(ReadError::Truncated { .. })
    ));
    let mismatched = OK.replace("</eRecord.01>", "</eRecord.02>");
    assert!(
        matches!(read(&mismatched), Err(ReadError::Malformed { line: 5, .. })),
        "{:?}",
        read(&mismatched)
    );
    assert!(matches!(read(""), Err(ReadError::Empty)));
}

#[test]
fn invalid_utf8_is_refused_with_its_line() {
    let mut bytes = OK.as_bytes().to_vec();
    let at = OK.find("PCR-1").unwrap();
    bytes[at] = 0xff;
    let err = read_document(&bytes, &Limits::default()).unwrap_err();
    assert_eq!(err, ReadError::NotUtf8 { line: 5 });
}

#[test]
fn limits_are_enforced() {
    let limits = Limits::default();
    let big = format!("{OK}{}", " ".repeat(2000));
    let small = Limits {
        max_file_bytes: 1000,
        ..limits
    };
    assert!(matches!(
        read_document(big.as_bytes(), &small),
        Err(ReadError::TooLarge { .. })
    ));

    let deep = OK
        .replace(
            "<eRecord>",
            &format!("<eRecord>{}", "<eX.Group>".repeat(30)),
        )
        .replace(
            "</eRecord>",
            &format!("{}</eRecord>", "</eX.Group>".repeat(30)),
        );
    assert!(
        matches!(read(&deep), Err(ReadError::TooDeep { .. })),
        "{:?}",
        read(&deep)
    );

    let attrs: String = (0..40).map(|i| format!(" a{i}=\"x\"")).collect();
    let many = OK.replace("<eRecord>", &format!("<eRecord{attrs}>"));
    assert!(matches!(
        read(&many),
        Err(ReadError::TooManyAttributes { .. })
    ));

    let long_attr = OK.replace(
        "<eRecord>",
        &format!("<eRecord a=\"{}\">", "x".repeat(10_000)),
    );
    assert!(matches!(
        read(&long_attr),
        Err(ReadError::AttributeTooLong { .. })
    ));

    let long_text = OK.replace("Pt &amp; crew", &"x".repeat(300 * 1024));
    assert!(
        matches!(read(&long_text), Err(ReadError::TextTooLong { ref element, .. }) if element == "eNarrative.01")
    );
}

#[test]
fn a_report_without_identifiers_is_refused_and_a_missing_pcr_number_is_a_warning() {
    let no_pcr = OK.replace("<eRecord><eRecord.01>PCR-1</eRecord.01></eRecord>", "");
    let r = read_document(no_pcr.as_bytes(), &Limits::default()).unwrap();
    assert_eq!(
        r[0].reference.pcr_number,
        "6f1c2f0e-8a4b-4d7c-9e2a-1b3c4d5e6f70"
    );
    assert!(
        r[0].reference
            .warnings
            .iter()
            .any(|w| w.contains("eRecord.01"))
    );
    let nothing = no_pcr.replace(" UUID=\"6f1c2f0e-8a4b-4d7c-9e2a-1b3c4d5e6f70\"", "");
    assert!(matches!(
        read(&nothing),
        Err(ReadError::NoIdentifier { line: 4 })
    ));
}

#[test]
fn unknown_codes_and_times_out_of_order_are_warnings() {
    let xml = OK.replace(
        "<eNarrative>",
        "<eTimes><eTimes.06>2026-11-02T14:10:00-05:00</eTimes.06><eTimes.09>2026-11-02T14:00:00-05:00</eTimes.09></eTimes>\
         <eArrest><eArrest.01>1234567</eArrest.01></eArrest><eNarrative>",
    );
    let r = &read_document(xml.as_bytes(), &Limits::default()).unwrap()[0].reference;
    assert!(
        r.warnings
            .iter()
            .any(|w| w.contains("eTimes.09 is earlier than eTimes.06")),
        "{:?}",
        r.warnings
    );
    assert!(
        r.warnings.iter().any(|w| w.contains("eArrest.01")),
        "{:?}",
        r.warnings
    );
    assert_eq!(r.call_date, None);
}
