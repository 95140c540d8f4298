//! Attachments: stored whole in chunks, exported byte for byte, limited, names sanitised.

use crate::support::*;
use harbor::RecordKind;
use harbor_core::canonical::sha256_hex;

/// `len` bytes that start like a PDF and do not repeat in any short period.
fn pdf_like(len: usize) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    while out.len() < len {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.extend_from_slice(&x.to_le_bytes());
    }
    out.truncate(len);
    out
}

#[test]
fn an_attachment_comes_back_byte_for_byte() {
    let (tv, mut s, _code) = new_vault();
    let review = ok(s.create_record(RecordKind::CallReview, &call_review("24-0300"))).id;
    // Over two chunks of 256 KiB.
    let content = pdf_like(600 * 1024 + 17);
    let file = tv.path("monitor-strip.pdf");
    std::fs::write(&file, &content).unwrap();

    let att = ok(s.attach(&review, &file));
    assert_eq!(att.record_id, review);
    assert_eq!(att.name, "monitor-strip.pdf");
    assert_eq!(att.media_type, "application/pdf");
    assert_eq!(att.size, content.len() as u64);
    assert_eq!(att.sha256, sha256_hex(&content));
    assert_eq!(att.created_by, ADMIN);
    assert_eq!(ok(s.attachments(&review)), vec![att.clone()]);

    let out = tv.path("exported.pdf");
    let exported = ok(s.export_attachment(&att.id, &out));
    assert_eq!(exported, att);
    let back = std::fs::read(&out).unwrap();
    assert!(back == content, "the exported bytes differ");
    assert_eq!(sha256_hex(&back), att.sha256);
    // An export never overwrites a file.
    assert_eq!(err_code(s.export_attachment(&att.id, &out)), "io");
    assert_eq!(std::fs::read(&out).unwrap(), content);

    let log = all_audit(&mut s);
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert!(actions.contains(&"attachment.add"), "{actions:?}");
    assert!(actions.contains(&"attachment.export"), "{actions:?}");
}

#[test]
fn an_attachment_over_the_limit_is_refused() {
    let (tv, mut s, _code) = new_vault();
    let review = ok(s.create_record(RecordKind::CallReview, &call_review("24-0301"))).id;
    ok(s.set_setting("attachment_max_bytes", "1000"));
    assert!(
        ok(s.settings()).contains(&("attachment_max_bytes".to_owned(), "1000".to_owned())),
        "the setting reads back"
    );
    let big = tv.path("big.pdf");
    std::fs::write(&big, pdf_like(1001)).unwrap();
    assert_eq!(err_code(s.attach(&review, &big)), "attachment_too_large");
    let fits = tv.path("fits.pdf");
    std::fs::write(&fits, pdf_like(1000)).unwrap();
    ok(s.attach(&review, &fits));
    let list = ok(s.attachments(&review));
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].name, "fits.pdf");
    assert_eq!(
        err_code(s.set_setting("attachment_max_bytes", "0")),
        "bad_setting"
    );
    assert_eq!(err_code(s.set_setting("colour", "blue")), "bad_setting");
}

#[test]
fn attachment_names_are_sanitised_and_types_sniffed() {
    let (tv, mut s, _code) = new_vault();
    let review = ok(s.create_record(RecordKind::CallReview, &call_review("24-0302"))).id;
    let file = tv.path("..scan\u{7}<1>|x?.pdf");
    std::fs::write(&file, b"plain words, not a PDF").unwrap();
    let att = ok(s.attach(&review, &file));
    assert_eq!(att.name, "scan__1__x_.pdf");
    assert_eq!(
        att.media_type, "text/plain",
        "the type comes from the content"
    );
    assert_eq!(ok(s.attachments(&review))[0].name, "scan__1__x_.pdf");
}
