//! Enrolment, a submission's signed manifest, and what the server holds of it.

use super::faults::injected;
use super::{ApiError, ApiResult, Shared, agency, owned_submission, with_store};
use crate::store::Store;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use harbor_protocol::http::{
    EnrolReply, EnrolRequest, KeysReply, ReceivedReply, SubmissionReply, WireErrorCode as W,
};
use harbor_protocol::{PROTOCOL, SignedManifest, SigningPublicKey};

pub(super) async fn keys(State(s): State<Shared>) -> Json<KeysReply> {
    // The keys never change while the server runs: no need for the store's lock.
    let keys = &s.keys;
    Json(KeysReply {
        protocol: PROTOCOL.into(),
        signing_key: keys.signing.public().to_hex(),
        receive_key: keys.receive_public_hex(),
    })
}

pub(super) async fn enroll(
    State(s): State<Shared>,
    headers: HeaderMap,
    Json(body): Json<EnrolRequest>,
) -> ApiResult<Json<EnrolReply>> {
    with_store(&s, move |_, s| {
        let agency = agency(s, &headers)?;
        let key = SigningPublicKey::from_hex(&body.signing_key)
            .map_err(|e| ApiError(StatusCode::BAD_REQUEST, W::BadKey, e.to_string()))?;
        if !s.enroll(&agency.id, &key)? {
            return Err(ApiError(
                StatusCode::CONFLICT,
                W::AlreadyEnrolled,
                "this agency enrolled another signing key".into(),
            ));
        }
        Ok(Json(EnrolReply {
            agency_id: agency.id,
            name: agency.name,
        }))
    })
    .await
}

pub(super) async fn create_submission(
    State(s): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(signed): Json<SignedManifest>,
) -> ApiResult<(StatusCode, Json<SubmissionReply>)> {
    injected(&s, "manifest")?;
    with_store(&s, move |shared, s| {
        store_manifest(shared.limits(), s, &headers, id, signed)
    })
    .await
}

/// Verifies and stores a new submission's manifest (see [`create_submission`]).
pub(super) fn store_manifest(
    limits: &crate::limits::Limits,
    s: &Store,
    headers: &HeaderMap,
    id: String,
    signed: SignedManifest,
) -> ApiResult<(StatusCode, Json<SubmissionReply>)> {
    let agency = agency(s, headers)?;
    let key = agency
        .signing_key
        .as_deref()
        .map(SigningPublicKey::from_hex)
        .transpose()
        .map_err(|e| ApiError(StatusCode::INTERNAL_SERVER_ERROR, W::BadKey, e.to_string()))?
        .ok_or_else(|| {
            ApiError(
                StatusCode::FORBIDDEN,
                W::NotEnrolled,
                "enrol a signing key first".into(),
            )
        })?;
    if signed.manifest.submission_id != id {
        return Err(ApiError(
            StatusCode::BAD_REQUEST,
            W::IdMismatch,
            "the path and the manifest name different submissions".into(),
        ));
    }
    let manifest = signed.verify(&key).map_err(|e| {
        let code = match e {
            // Signed, but an id is not a UUID: never stored, so never a file name here.
            harbor_protocol::ProtocolError::BadId { .. } => W::InvalidId,
            _ => W::BadSignature,
        };
        ApiError(StatusCode::UNPROCESSABLE_ENTITY, code, e.to_string())
    })?;
    if manifest.agency_id != agency.id {
        return Err(ApiError(
            StatusCode::FORBIDDEN,
            W::WrongAgency,
            "the manifest names another agency".into(),
        ));
    }
    // One context for the whole submission: its encapsulated key must be one.
    if let Some(enc) = &manifest.encapsulated_key {
        harbor_protocol::SubmissionKeys::for_receiver(&s.keys, &id, manifest.blob_cipher, enc)
            .map_err(|e| ApiError(StatusCode::BAD_REQUEST, W::BadManifest, e.to_string()))?;
    }
    let hash = harbor_core::canonical::canonical_hash(&signed);
    match s.submission(&id)? {
        None => {
            let declared = limits
                .check_manifest(manifest)
                .map_err(|e| ApiError(StatusCode::PAYLOAD_TOO_LARGE, W::TooLarge, e.to_string()))?;
            // What one agency may hold open at once (429: retry once some are committed).
            let (open, open_bytes) = s.open_load(&agency.id)?;
            if open >= limits.max_open_submissions {
                return Err(ApiError(
                    StatusCode::TOO_MANY_REQUESTS,
                    W::QuotaExceeded,
                    format!(
                        "this agency has {open} submissions open, the most this PSO allows; commit one first"
                    ),
                ));
            }
            if open_bytes.saturating_add(declared.sealed_bytes) > limits.max_open_bytes {
                return Err(ApiError(
                    StatusCode::TOO_MANY_REQUESTS,
                    W::QuotaExceeded,
                    format!(
                        "this agency's open submissions would declare more than the {} bytes this PSO allows; commit one first",
                        limits.max_open_bytes
                    ),
                ));
            }
            s.create_submission(&agency.id, &signed, &hash)?;
            Ok((
                StatusCode::CREATED,
                Json(SubmissionReply {
                    state: "open".into(),
                    receipt: None,
                    new: true,
                }),
            ))
        }
        Some(info) if info.agency_id == agency.id && info.manifest_sha256 == hash => Ok((
            StatusCode::OK,
            Json(SubmissionReply {
                state: info.state,
                receipt: info.receipt,
                new: false,
            }),
        )),
        Some(_) => Err(ApiError(
            StatusCode::CONFLICT,
            W::SubmissionExists,
            "a different submission has this id".into(),
        )),
    }
}

pub(super) async fn submission_state(
    State(s): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<Json<SubmissionReply>> {
    with_store(&s, move |_, s| {
        let (_, state, receipt) = owned_submission(s, &headers, &id)?;
        Ok(Json(SubmissionReply {
            state,
            receipt,
            new: false,
        }))
    })
    .await
}

pub(super) async fn item_state(
    State(s): State<Shared>,
    headers: HeaderMap,
    Path((id, item)): Path<(String, String)>,
) -> ApiResult<Json<ReceivedReply>> {
    with_store(&s, move |_, s| {
        owned_submission(s, &headers, &id)?;
        Ok(Json(ReceivedReply {
            received: s.received(&id, &item)?,
        }))
    })
    .await
}

pub(super) async fn feedback(
    State(s): State<Shared>,
    headers: HeaderMap,
) -> ApiResult<Json<harbor_protocol::Feedback>> {
    let s = s.lock();
    let agency = agency(&s, &headers)?;
    Ok(Json(s.feedback(&agency.id)?))
}
