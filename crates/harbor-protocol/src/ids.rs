//! The ids that travel on the wire: every submission, item, record, blob and attachment id
//! is a UUID in its canonical text form (36 characters: lower-case hexadecimal digits in
//! groups of 8-4-4-4-12 separated by hyphens; any version: Harbor sends UUIDv7 for most and
//! random ones where an id must not encode a time). Anything else is refused when a
//! manifest or receipt is verified, so an id can never be a path, a path separator, a
//! control character or a gigabyte of text at the other end.

use crate::ProtocolError;

/// The pattern of a wire id, as the JSON Schemas state it.
pub const WIRE_ID_PATTERN: &str = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$";

/// Whether `id` is a wire id: a UUID in canonical lower-case hyphenated form.
pub fn is_wire_id(id: &str) -> bool {
    let b = id.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_digit() || (b'a'..=b'f').contains(c),
        })
}

/// Refuses `id` unless it is a wire id; `what` names the field in the error (the value is
/// never repeated: it is the sender's choice and may be anything).
pub fn check_wire_id(what: &'static str, id: &str) -> Result<(), ProtocolError> {
    if is_wire_id(id) {
        Ok(())
    } else {
        Err(ProtocolError::BadId { what })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_canonical_uuids_are_wire_ids() {
        assert!(is_wire_id(&uuid::Uuid::now_v7().to_string()));
        assert!(is_wire_id(&uuid::Uuid::new_v4().to_string()));
        for bad in [
            "",
            "../../x",
            "/etc/passwd",
            "blob-1",
            "0190c0de-0000-7000-8000-00000000000",
            "0190c0de-0000-7000-8000-0000000000000",
            "0190C0DE-0000-7000-8000-000000000000",
            "0190c0de-0000-7000-8000/000000000000",
            "{0190c0de-0000-7000-8000-00000000000}",
            "0190c0de00007000800000000000000000000",
            "0190c0de-0000-7000-8000-00000000000\0",
        ] {
            assert!(!is_wire_id(bad), "{bad:?}");
            assert_eq!(
                check_wire_id("blob_id", bad),
                Err(ProtocolError::BadId { what: "blob_id" })
            );
        }
    }
}
