//! The bodies of the PSO intake API (`schemas/pso-intake.openapi.json`): what `harbor-pso`
//! answers and `harbor-sync` reads, both from these types. The signed messages
//! (manifest, receipt, feedback) are in `messages`.

use crate::SignedReceipt;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Why the PSO refused a request: the `code` of an [`ErrorReply`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum WireErrorCode {
    /// The agency's key is enrolled already (under another token).
    AlreadyEnrolled,
    /// A batch of frames does not parse; nothing of it was stored.
    BadBatch,
    /// A request body that is not the JSON the route takes.
    BadBody,
    /// A key that is not a key.
    BadKey,
    /// A manifest whose form is wrong.
    BadManifest,
    /// A manifest whose signature does not verify with the agency's key.
    BadSignature,
    /// Another commit of this submission is running.
    CommitRunning,
    /// The submission is committed: it takes no more bytes.
    Committed,
    /// A part does not match the hash its manifest declares.
    HashMismatch,
    /// An id in the manifest that does not match its route.
    IdMismatch,
    /// A commit of a submission whose parts have not all arrived.
    Incomplete,
    /// A fault the tests asked for.
    InjectedFault,
    /// The server failed.
    Internal,
    /// An id that is not a canonical UUID.
    InvalidId,
    /// An item that does not match its manifest entry.
    InvalidItem,
    /// No such item in the submission.
    NoItem,
    /// The token names no enrolled agency.
    NotEnrolled,
    /// No such submission (or not this agency's).
    NotFound,
    /// An item that is not JSON.
    NotJson,
    /// A chunk at an offset the server does not hold: ask what it has and go on from there.
    OffsetMismatch,
    /// Over a limit that clears (open bytes, submissions): retry later.
    QuotaExceeded,
    /// The request body could not be read.
    Read,
    /// An item that does not follow its kind's schema under its profile.
    SchemaInvalid,
    /// A sealed part that does not open.
    SealBroken,
    /// The server's store failed.
    Storage,
    /// A different submission has this id.
    SubmissionExists,
    /// The request took too long: what arrived stays.
    Timeout,
    /// Over a size limit.
    TooLarge,
    /// No or an unknown bearer token.
    Unauthorized,
    /// The submission belongs to another agency.
    WrongAgency,
    /// A code this Harbor does not know (from a newer PSO).
    #[serde(other)]
    Unknown,
}

impl std::fmt::Display for WireErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = serde_json::to_value(self).expect("a unit variant serialises");
        f.write_str(name.as_str().unwrap_or("unknown"))
    }
}

/// A refusal: `{"error": {"code", "message"}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ErrorReply {
    /// What was refused.
    pub error: WireError,
}

/// The refusal itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct WireError {
    /// Why, as a stable code.
    pub code: WireErrorCode,
    /// What happened, for a person (never record content).
    pub message: String,
}

/// `GET /v1/health`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct HealthReply {
    /// Always true.
    #[schemars(extend("const" = true))]
    pub ok: bool,
    /// The protocol it speaks.
    #[schemars(extend("const" = crate::PROTOCOL))]
    pub protocol: String,
}

/// `GET /v1/keys`: the PSO's public keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct KeysReply {
    /// The protocol it speaks.
    #[schemars(extend("const" = crate::PROTOCOL))]
    pub protocol: String,
    /// Its receipt-signing key (Ed25519, hex).
    #[schemars(pattern(r"^[0-9a-f]{64}$"))]
    pub signing_key: String,
    /// Its receiving key (X25519, hex).
    #[schemars(pattern(r"^[0-9a-f]{64}$"))]
    pub receive_key: String,
}

/// `POST /v1/enroll`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnrolRequest {
    /// The agency's Ed25519 public key (hex).
    #[schemars(pattern(r"^[0-9a-f]{64}$"))]
    pub signing_key: String,
}

/// The answer to [`EnrolRequest`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct EnrolReply {
    /// The agency's id at the PSO.
    pub agency_id: String,
    /// Its name there.
    pub name: String,
}

/// `PUT /v1/submissions/{id}` and `GET /v1/submissions/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SubmissionReply {
    /// `open` or `committed`.
    #[schemars(extend("enum" = ["open", "committed"]))]
    pub state: String,
    /// The signed receipt, once committed.
    #[serde(default)]
    pub receipt: Option<SignedReceipt>,
    /// Whether this request created it.
    #[serde(default)]
    pub new: bool,
}

/// How many bytes of one part the server holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ReceivedReply {
    /// Bytes held.
    pub received: u64,
}

/// How many bytes of each part of a batch the server holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct BatchReply {
    /// Bytes held, by part id.
    pub received: BTreeMap<String, u64>,
}

/// The JSON Schemas of the intake API's bodies by name, as the OpenAPI description's
/// `components/schemas` holds them: `schemas/pso-intake.openapi.json` refers to these for
/// every JSON body, and a test keeps that section in step with the types. The signed
/// receipt inside [`SubmissionReply`] refers to its own schema file.
pub fn openapi_components() -> serde_json::Map<String, serde_json::Value> {
    // As the server sends them (a `#[serde(default)]` field is always there).
    let mut settings = schemars::generate::SchemaSettings::draft2020_12().for_serialize();
    settings.definitions_path = "/components/schemas".into();
    let mut generator = settings.into_generator();
    generator.subschema_for::<ErrorReply>();
    generator.subschema_for::<HealthReply>();
    generator.subschema_for::<KeysReply>();
    generator.subschema_for::<EnrolRequest>();
    generator.subschema_for::<EnrolReply>();
    generator.subschema_for::<SubmissionReply>();
    generator.subschema_for::<ReceivedReply>();
    generator.subschema_for::<BatchReply>();
    let mut defs = generator.take_definitions(true);
    // The receipt has a schema file of its own (see `schema_files`); its parts with it.
    for own_file in ["SignedReceipt", "Receipt", "ReceiptItem"] {
        defs.remove(own_file);
    }
    let mut text = serde_json::to_string(&defs).expect("schemas serialise");
    text = text.replace(
        "\"#/components/schemas/SignedReceipt\"",
        "\"submission-receipt.schema.json\"",
    );
    let defs: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&text).expect("the schemas parse again");
    assert!(
        !text.contains("#/components/schemas/Receipt"),
        "only the signed receipt is referred to"
    );
    defs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_from_a_newer_pso_reads_as_unknown_and_known_ones_keep_their_names() {
        let e: ErrorReply =
            serde_json::from_str(r#"{"error":{"code":"shiny_new","message":"m"}}"#).unwrap();
        assert_eq!(e.error.code, WireErrorCode::Unknown);
        let text = serde_json::to_string(&WireErrorCode::OffsetMismatch).unwrap();
        assert_eq!(text, r#""offset_mismatch""#);
    }
}
