//! Canonical JSON: the one byte form of a value that Harbor hashes and signs.
//!
//! Object keys sorted by their UTF-8 bytes, no insignificant whitespace, strings escaped as
//! `serde_json` escapes them, integers in plain decimal. Harbor's record types hold no
//! floating-point numbers, so the form is stable across platforms.

use serde::Serialize;
use sha2::{Digest, Sha256};

/// Serialises `value` in canonical form.
pub fn to_canonical_bytes<T: Serialize + ?Sized>(value: &T) -> Vec<u8> {
    // `serde_json::Value` keeps object keys in a BTreeMap (the `preserve_order` feature is
    // not enabled in this workspace), so a round trip through it sorts every object.
    let value = serde_json::to_value(value).expect("record types always serialise to JSON");
    serde_json::to_vec(&value).expect("a JSON value always serialises")
}

/// The SHA-256 of `bytes`, as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The SHA-256 of the canonical form of `value`, as lowercase hex.
pub fn canonical_hash<T: Serialize + ?Sized>(value: &T) -> String {
    sha256_hex(&to_canonical_bytes(value))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_are_sorted_and_whitespace_removed() {
        let v = json!({"b": 1, "a": {"d": [1, 2], "c": "x y"}});
        assert_eq!(
            String::from_utf8(to_canonical_bytes(&v)).unwrap(),
            r#"{"a":{"c":"x y","d":[1,2]},"b":1}"#
        );
    }

    #[test]
    fn equal_values_hash_equal_whatever_the_key_order() {
        let a: serde_json::Value = serde_json::from_str(r#"{"x":1,"y":[true,null]}"#).unwrap();
        let b: serde_json::Value =
            serde_json::from_str(r#"{ "y": [true, null], "x": 1 }"#).unwrap();
        assert_eq!(canonical_hash(&a), canonical_hash(&b));
        assert_ne!(
            canonical_hash(&a),
            canonical_hash(&json!({"x": 2, "y": [true, null]}))
        );
    }
}
