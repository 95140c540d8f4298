//! The commit: every item and blob checked, the submission stored, the receipt signed.

use super::faults::injected;
use super::intake::{ItemOpener, check_item};
use super::{ApiError, ApiResult, Shared, internal, no_item, owned_submission, with_store};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use harbor_protocol::http::WireErrorCode as W;
use harbor_protocol::{PROTOCOL, Receipt, ReceiptItem};

pub(super) async fn commit(
    State(shared): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<Json<harbor_protocol::SignedReceipt>> {
    injected(&shared, "commit")?;
    // Only the submission's agency waits for (and so takes) its pending checks.
    {
        let (headers, id) = (headers.clone(), id.clone());
        with_store(&shared, move |_, s| {
            owned_submission(s, &headers, &id).map(drop)
        })
        .await?;
    }
    // One commit of a submission at a time: a second one meanwhile would only open the
    // same parts again (an agency calling commit in a loop gets this answer, cheaply).
    let claim = CommitClaim::take(&shared, &id)?;
    let pending = shared
        .checks
        .lock()
        .expect("checks lock")
        .remove(&id)
        .unwrap_or_default();
    for task in pending {
        let _ = task.await;
    }
    let committing = shared.clone();
    // The claim goes with the work: held until it ends, even if this request is dropped.
    let receipt = tokio::task::spawn_blocking(move || {
        let _claim = claim;
        commit_blocking(&committing, &headers, &id)
    })
    .await
    .map_err(internal)??;
    // A server that stored the submission and died before answering.
    injected(&shared, "commit_after_store")?;
    // A man in the middle (or a broken PSO) altering the receipt on the way back.
    let mut receipt = receipt;
    if shared.fault("tamper_receipt").is_some()
        && let Some(first) = receipt.receipt.items.first_mut()
    {
        first.sha256 = "0".repeat(64);
    }
    Ok(Json(receipt))
}

/// A submission's commit running; released on drop.
pub(super) struct CommitClaim(Shared, String);

impl CommitClaim {
    fn take(shared: &Shared, id: &str) -> ApiResult<Self> {
        if !shared
            .committing
            .lock()
            .expect("committing lock")
            .insert(id.to_owned())
        {
            return Err(ApiError(
                StatusCode::TOO_MANY_REQUESTS,
                W::CommitRunning,
                "this submission's commit is already running; ask again shortly".into(),
            ));
        }
        Ok(CommitClaim(shared.clone(), id.to_owned()))
    }
}

impl Drop for CommitClaim {
    fn drop(&mut self) {
        self.0
            .committing
            .lock()
            .expect("committing lock")
            .remove(&self.1);
    }
}

/// The commit's work, on a blocking thread. The store is locked only to look things up
/// and, at the end, to store the result: every item and blob is read, opened and checked
/// with the store unlocked, so that one agency's large or broken submission holds up no
/// other agency's requests.
pub(super) fn commit_blocking(
    shared: &Shared,
    headers: &HeaderMap,
    id: &str,
) -> ApiResult<harbor_protocol::SignedReceipt> {
    let (signed, sealing, keys, parts) = {
        let s = shared.lock();
        let (_, state, receipt) = owned_submission(&s, headers, id)?;
        if state == "committed" {
            // A replay returns the original receipt.
            return Ok(receipt.expect("a committed submission has its receipt"));
        }
        let (_, sealing) = s.sealing(id)?;
        (s.manifest(id)?, sealing, s.keys.clone(), s.parts().clone())
    };
    let m = &signed.manifest;
    let mut stored = Vec::new();
    let mut attachments = Vec::new();
    let mut receipt_items = Vec::new();
    // Taken once every check above has finished.
    let mut opened = {
        let mut o = shared.opened.lock().expect("opened lock");
        let mine = o.by_submission.remove(id).unwrap_or_default();
        let freed: usize = mine
            .values()
            .map(|i| i.as_ref().map_or(0, |i| i.snapshot.len()))
            .sum();
        o.bytes = o.bytes.saturating_sub(freed);
        mine
    };
    for it in &m.items {
        // Opened as it arrived, or now.
        let item = match opened.remove(&it.item_id) {
            Some(checked) => checked?,
            None => {
                let part = shared.lock().part(id, &it.item_id)?;
                let bytes = match part {
                    Some(p) => parts
                        .read_all(id, p.start, p.received)
                        .map_err(crate::store::StoreError::from)?,
                    None => Vec::new(),
                };
                let opener = ItemOpener {
                    keys: &keys,
                    sealing: sealing.as_deref(),
                    submission: id,
                };
                check_item(&opener, &m.agency_id, it, &bytes)?
            }
        };
        receipt_items.push(ReceiptItem {
            item_id: it.item_id.clone(),
            sha256: item.sha256.clone(),
        });
        stored.push(item);
        for a in &it.attachments {
            let (have, sha, opening) = {
                let s = shared.lock();
                let sha = s.opened_sha256(id, &a.blob_id)?;
                let opening = match sha {
                    Some(_) => None,
                    None => s.blob_opening(id, &a.blob_id)?,
                };
                (s.received(id, &a.blob_id)?, sha, opening)
            };
            if Some(have) != harbor_protocol::checked_sealed_len(a.size) {
                return Err(ApiError(
                    StatusCode::CONFLICT,
                    W::Incomplete,
                    format!("attachment {} is not fully uploaded", a.blob_id),
                ));
            }
            // Opened when its last byte arrived, or now (unlocked).
            let sha = match (sha, opening) {
                (Some(sha), _) => sha,
                (None, Some(opening)) => opening.open()?.map_err(|e| {
                    ApiError(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        W::SealBroken,
                        e.to_string(),
                    )
                })?,
                (None, None) => return Err(no_item()),
            };
            if sha != a.sha256 {
                return Err(ApiError(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    W::HashMismatch,
                    format!("attachment {} does not match its hash", a.blob_id),
                ));
            }
            attachments.push(crate::store::StoredAttachment {
                submission_id: id.to_owned(),
                item_id: it.item_id.clone(),
                blob_id: a.blob_id.clone(),
                attachment_id: a.attachment_id.clone(),
                media_type: a.media_type.clone(),
                size: a.size,
                sha256: sha.clone(),
            });
            receipt_items.push(ReceiptItem {
                item_id: a.blob_id.clone(),
                sha256: sha,
            });
        }
    }
    // The long flush of the parts to disk before the lock; the store's own flush then
    // finds little left.
    parts.sync(id).map_err(crate::store::StoreError::from)?;
    let mut s = shared.lock();
    let receipt = Receipt {
        protocol: PROTOCOL.into(),
        submission_id: id.to_owned(),
        received_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        items: receipt_items,
        audit_head: m.audit_head.clone(),
    }
    .sign(s.signing());
    s.commit(id, &stored, &attachments, &receipt)?;
    drop(s);
    shared.arriving.forget(id);
    Ok(receipt)
}
