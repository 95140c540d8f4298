//! The checks every item passes before the PSO stores it: sealed to this PSO, complete,
//! its hash as signed, a snapshot that matches its manifest entry, and a body that follows
//! its kind's schema under its profile.

use super::{ApiError, ApiResult};
use axum::http::StatusCode;
use harbor_protocol::SealedItem;
use harbor_protocol::http::WireErrorCode as W;

/// What opens the items of one submission: the PSO's keys, and the submission's keys when
/// its manifest sealed every part under one context.
pub(super) struct ItemOpener<'a> {
    pub(super) keys: &'a harbor_protocol::PsoKeys,
    pub(super) sealing: Option<&'a harbor_protocol::SubmissionKeys>,
    pub(super) submission: &'a str,
}

impl ItemOpener<'_> {
    /// The plaintext of a sealed item (`enc || ciphertext`).
    pub(super) fn open(
        &self,
        item_id: &str,
        bytes: &[u8],
    ) -> Result<Vec<u8>, harbor_protocol::ProtocolError> {
        match self.sealing {
            Some(sealing) => sealing.open_item(item_id, bytes),
            None => harbor_protocol::open(
                self.keys,
                self.submission,
                item_id,
                &SealedItem {
                    enc: hex::encode(&bytes[..32]),
                    ciphertext: bytes[32..].to_vec(),
                },
            ),
        }
    }
}

/// Opens a sealed item (`enc || ciphertext`) and checks it: complete, its hash as the
/// manifest declares, JSON that matches its manifest entry, and a body that follows its
/// kind's schema under its profile.
pub(super) fn check_item(
    opener: &ItemOpener<'_>,
    agency_id: &str,
    it: &harbor_protocol::ManifestItem,
    bytes: &[u8],
) -> ApiResult<crate::store::StoredItem> {
    let id = opener.submission;
    if bytes.len() < 32 || Some(bytes.len() as u64) != harbor_protocol::sealed_item_len(it.size) {
        return Err(ApiError(
            StatusCode::CONFLICT,
            W::Incomplete,
            format!("item {} is not fully uploaded", it.item_id),
        ));
    }
    let plain = opener.open(&it.item_id, bytes).map_err(|e| {
        ApiError(
            StatusCode::UNPROCESSABLE_ENTITY,
            W::SealBroken,
            e.to_string(),
        )
    })?;
    let sha = harbor_core::canonical::sha256_hex(&plain);
    if sha != it.sha256 {
        return Err(ApiError(
            StatusCode::UNPROCESSABLE_ENTITY,
            W::HashMismatch,
            format!("item {} does not match its hash", it.item_id),
        ));
    }
    let invalid = || {
        ApiError(
            StatusCode::UNPROCESSABLE_ENTITY,
            W::InvalidItem,
            format!("item {} does not match its manifest entry", it.item_id),
        )
    };
    let snapshot = harbor_protocol::Snapshot::parse(&plain).map_err(|e| match e {
        harbor_protocol::SnapshotError::NotJson => ApiError(
            StatusCode::UNPROCESSABLE_ENTITY,
            W::NotJson,
            format!("item {} is not JSON", it.item_id),
        ),
        harbor_protocol::SnapshotError::Shape(_) => invalid(),
    })?;
    // The sealed snapshot lists the attachments the signed manifest declares.
    let listed: Vec<(&str, &str, u64)> = snapshot
        .attachments
        .iter()
        .map(|a| (a.attachment_id.as_str(), a.sha256.as_str(), a.size))
        .collect();
    let declared: Vec<(&str, &str, u64)> = it
        .attachments
        .iter()
        .map(|a| (a.attachment_id.as_str(), a.sha256.as_str(), a.size))
        .collect();
    let valid = listed == declared
        && snapshot.record_id == it.record_id
        && snapshot.kind.as_str() == it.kind
        && snapshot.profile == it.profile
        && snapshot.body.is_object()
        && !snapshot.kind.is_original_record();
    if !valid {
        return Err(invalid());
    }
    // Every body follows the schema of its kind under its profile.
    if let Err(errors) = harbor_core::profile_schema::validate_profile_body(
        snapshot.kind,
        &it.profile,
        &snapshot.body,
    ) {
        let fields: Vec<String> = errors
            .iter()
            .map(|e| format!("{} ({})", e.field, e.message))
            .collect();
        return Err(ApiError(
            StatusCode::UNPROCESSABLE_ENTITY,
            W::SchemaInvalid,
            format!(
                "item {} does not follow the {} {} schema: {}",
                it.item_id,
                it.profile,
                it.kind,
                fields.join("; ")
            ),
        ));
    }
    Ok(crate::store::StoredItem {
        submission_id: id.to_owned(),
        agency_id: agency_id.to_owned(),
        item_id: it.item_id.clone(),
        record_id: it.record_id.clone(),
        kind: it.kind.clone(),
        sha256: sha,
        snapshot: String::from_utf8_lossy(&plain).into_owned(),
    })
}
