//! The pieces of a submission's parts: one per request, or several in a batch; each
//! written where its part lies in the submission's file, and checked as soon as it can be.

use super::faults::{injected, stall_if_asked};
use super::intake::{ItemOpener, check_item};
use super::{
    ApiError, ApiResult, MAX_CHUNK, OPENED_ITEMS_MAX, Shared, internal, no_item, owned_submission,
    too_large, with_store,
};
use crate::store::Store;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use harbor_protocol::http::{BatchReply, ReceivedReply, WireErrorCode as W};
use serde::Deserialize;

#[derive(Deserialize)]
pub(super) struct Offset {
    offset: u64,
}

pub(super) async fn upload_chunk(
    State(shared): State<Shared>,
    headers: HeaderMap,
    Path((id, item)): Path<(String, String)>,
    Query(q): Query<Offset>,
    body: axum::body::Body,
) -> ApiResult<Json<ReceivedReply>> {
    injected(&shared, "chunk")?;
    let part = {
        let (headers, id, item) = (headers.clone(), id.clone(), item.clone());
        with_store(&shared, move |_, s| {
            open_submission(s, &headers, &id)?;
            s.part(&id, &item)?.ok_or_else(no_item)
        })
        .await?
    };
    let mut bytes = read_piece(body, &headers, &part, q.offset).await?;
    // Written off the async workers and outside the store's lock: a piece of a blob goes
    // to the disk directly, and the server goes on with other requests while it does.
    let appending = shared.clone();
    let appended = tokio::task::spawn_blocking(move || {
        write_piece(&appending, &id, &item, q.offset, &mut bytes)
    })
    .await
    .map_err(|e| {
        ApiError(
            StatusCode::INTERNAL_SERVER_ERROR,
            W::Internal,
            e.to_string(),
        )
    })??;
    if let Some(check) = appended.blob_check {
        check_in_background(&shared, check, appended.opened);
    }
    stall_if_asked(&shared).await;
    match appended.result {
        Ok(received) => Ok(Json(ReceivedReply { received })),
        Err(have) => Err(offset_mismatch(&appended.part, have)),
    }
}

/// Appends `piece` at `offset` to a part of the open submission `id`, as [`append_piece`]
/// does, but writes it with the store unlocked: the part is marked as being written
/// (a second piece for it meanwhile is answered with the offset the store holds), then
/// written, opened as it arrived if it is a blob's (which overwrites the buffer), then
/// counted. The caller checked the agency's token and that the submission is open.
pub(super) fn write_piece(
    shared: &Shared,
    id: &str,
    item: &str,
    offset: u64,
    piece: &mut crate::parts::AlignedBuf,
) -> ApiResult<Appended> {
    let len = piece.as_slice().len() as u64;
    let key = (id.to_owned(), item.to_owned());
    let (mut part, parts, sealing) = {
        let s = shared.lock();
        // Still declared: a submission committed meanwhile has no parts left.
        let part = s.part(id, item)?.ok_or_else(no_item)?;
        if offset.saturating_add(len) > part.sealed_len {
            return Err(too_large(part.sealed_len));
        }
        let free = offset == part.received
            && shared
                .writing
                .lock()
                .expect("writing lock")
                .insert(key.clone());
        if !free {
            return Ok(Appended {
                part: item.to_owned(),
                result: Err(part.received),
                blob_check: None,
                opened: None,
                whole_item: false,
            });
        }
        let sealing = match part.blob_plain_len {
            Some(_) => s.sealing(id)?.1,
            None => None,
        };
        (part, s.parts().clone(), sealing)
    };
    // Unmarks the part however this ends.
    struct Writing<'a>(&'a Shared, (String, String));
    impl Drop for Writing<'_> {
        fn drop(&mut self) {
            self.0.writing.lock().expect("writing lock").remove(&self.1);
        }
    }
    let writing = Writing(shared, key);
    parts
        .write_at(id, part.start + offset, piece.as_slice())
        .map_err(crate::store::StoreError::from)?;
    // Once written, and while the part is still marked, so that its pieces reach the
    // opener in order.
    let opened = shared
        .arriving
        .push(sealing.as_deref(), &part, offset, piece.as_mut_slice());
    let s = shared.lock();
    s.count_received(&mut part, offset + len)?;
    // Unmarked with the store still locked, so that no one sees the count and the mark.
    drop(writing);
    Ok(Appended {
        part: item.to_owned(),
        result: Ok(part.received),
        blob_check: s.blob_to_check(&part)?,
        opened,
        whole_item: false,
    })
}

/// Reads the body of a piece for `part` at `offset` into a buffer placed for where it goes
/// in the submission's file (see [`crate::parts::AlignedBuf`]); refused past the part's
/// declared end or [`MAX_CHUNK`], before it is all read.
pub(super) async fn read_piece(
    body: axum::body::Body,
    headers: &HeaderMap,
    part: &crate::store::Part,
    offset: u64,
) -> ApiResult<crate::parts::AlignedBuf> {
    use http_body_util::BodyExt;
    let room = part.sealed_len.saturating_sub(offset);
    let declared = headers
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok())
        .unwrap_or(0);
    let capacity = declared.min(room).min(MAX_CHUNK as u64) as usize;
    let mut buf = crate::parts::AlignedBuf::for_offset(part.start + offset, capacity);
    let mut body = body;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| {
            ApiError(
                StatusCode::BAD_REQUEST,
                W::BadBody,
                format!("the upload's body could not be read: {e}"),
            )
        })?;
        let Some(data) = frame.data_ref() else {
            continue;
        };
        let len = (buf.as_slice().len() + data.len()) as u64;
        if len > room {
            return Err(too_large(part.sealed_len));
        }
        if len > MAX_CHUNK as u64 {
            return Err(ApiError(
                StatusCode::PAYLOAD_TOO_LARGE,
                W::TooLarge,
                format!("a piece is limited to {MAX_CHUNK} bytes"),
            ));
        }
        buf.extend_from_slice(data);
    }
    Ok(buf)
}

/// `PATCH /v1/submissions/{id}/items`: several pieces in one body (see
/// [`harbor_protocol::parse_batch`]), appended in order as [`upload_chunk`] appends one.
/// At the first piece whose offset is not what the server holds it stops, keeps what came
/// before, and answers 409 naming that part.
pub(super) async fn upload_batch(
    State(shared): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Json<BatchReply>> {
    injected(&shared, "chunk")?;
    let batch_of = id.clone();
    let (received, mismatch, done) = with_store(&shared, move |_, s| {
        let id = batch_of;
        let frames = harbor_protocol::parse_batch(&body)
            .map_err(|e| ApiError(StatusCode::BAD_REQUEST, W::BadBatch, e.to_string()))?;
        let mut received = std::collections::BTreeMap::new();
        let mut done = Vec::new();
        let mut mismatch = None;
        open_submission(s, &headers, &id)?;
        // One transaction for the batch's bookkeeping rather than one per piece.
        let batch = s.batch()?;
        for f in &frames {
            let appended = append_piece(s, &id, f.part, f.offset, f.bytes)?;
            match appended.result {
                Ok(n) => {
                    received.insert(f.part.to_owned(), n);
                }
                Err(have) => {
                    mismatch = Some(offset_mismatch(f.part, have));
                    break;
                }
            }
            done.push((appended, body.slice_ref(f.bytes)));
        }
        batch.commit()?;
        Ok((received, mismatch, done))
    })
    .await?;
    // With the store unlocked (this takes the lock itself), and before answering, so that
    // a commit that follows waits for the checks it starts.
    let starting = shared.clone();
    tokio::task::spawn_blocking(move || after_appending(&starting, &id, done, true))
        .await
        .map_err(internal)?;
    stall_if_asked(&shared).await;
    match mismatch {
        Some(e) => Err(e),
        None => Ok(Json(BatchReply { received })),
    }
}

/// The submission `id` of the caller's agency, still open for uploads.
pub(super) fn open_submission(s: &Store, headers: &HeaderMap, id: &str) -> ApiResult<()> {
    let (_, state, _) = owned_submission(s, headers, id)?;
    if state != "open" {
        return Err(ApiError(
            StatusCode::CONFLICT,
            W::Committed,
            "the submission is already committed".into(),
        ));
    }
    Ok(())
}

/// What appending a piece did.
pub(super) struct Appended {
    /// The part.
    part: String,
    /// `Ok(received)`, or `Err(held)` when the offset is not what the server holds.
    result: Result<u64, u64>,
    /// The check to run when that was a blob's last byte.
    blob_check: Option<crate::store::BlobCheck>,
    /// The blob's hash, when it was opened as it arrived (see [`crate::arriving`]).
    opened: Option<String>,
    /// Whether the piece was an item, whole.
    whole_item: bool,
}

/// Appends `bytes` at `offset` to a part of the open submission `id`.
pub(super) fn append_piece(
    s: &Store,
    id: &str,
    item: &str,
    offset: u64,
    bytes: &[u8],
) -> ApiResult<Appended> {
    let mut part = s.part(id, item)?.ok_or_else(no_item)?;
    if offset.saturating_add(bytes.len() as u64) > part.sealed_len {
        return Err(too_large(part.sealed_len));
    }
    let result = s.append(&mut part, offset, bytes)?;
    let blob_check = match result {
        Ok(_) => s.blob_to_check(&part)?,
        Err(_) => None,
    };
    let whole_item = result.is_ok()
        && part.blob_plain_len.is_none()
        && offset == 0
        && bytes.len() as u64 == part.sealed_len;
    Ok(Appended {
        part: item.to_owned(),
        result,
        blob_check,
        opened: None,
        whole_item,
    })
}

/// Starts the checks that the appended pieces (each with its bytes) made possible: of
/// blobs whose last byte arrived, and (if `open_items`) of items that arrived whole.
pub(super) fn after_appending(
    shared: &Shared,
    id: &str,
    appended: Vec<(Appended, Bytes)>,
    open_items: bool,
) {
    let mut items = Vec::new();
    for (a, bytes) in appended {
        if let Some(check) = a.blob_check {
            check_in_background(shared, check, a.opened);
        }
        if a.whole_item && open_items {
            items.push((a.part, bytes));
        }
    }
    if !items.is_empty() {
        open_items_in_background(shared, id, items);
    }
}

pub(super) fn offset_mismatch(part: &str, have: u64) -> ApiError {
    ApiError(
        StatusCode::CONFLICT,
        W::OffsetMismatch,
        format!("the server has {have} bytes of item {part}"),
    )
}

/// A blob whose last byte arrived is opened and hashed now (unless that was done as it
/// arrived: `opened`), overlapping the rest of the upload (the commit waits for it and
/// then only compares hashes), off the async workers and the store's lock, and without
/// holding up the answer. A check that fails or stops leaves no hash, and the commit
/// opens the blob itself and says what is wrong.
pub(super) fn check_in_background(
    shared: &Shared,
    check: crate::store::BlobCheck,
    opened: Option<String>,
) {
    let (checking, submission) = (shared.clone(), check.submission.clone());
    let task = tokio::task::spawn_blocking(move || {
        let sha = match opened {
            Some(sha) => Some(sha),
            None => check.run().ok().flatten(),
        };
        if let Some(sha) = sha {
            let _ = checking
                .lock()
                .set_opened_sha256(&check.submission, &check.blob_id, &sha);
            // Start writing the blob to disk now rather than all at the commit (which
            // flushes again and reports any failure).
            let _ = check.flush();
        }
    });
    let mut checks = shared.checks.lock().expect("checks lock");
    let pending = checks.entry(submission).or_default();
    pending.retain(|t| !t.is_finished());
    pending.push(task);
}

/// Items that arrived whole are opened and checked now, while the attachments are still
/// on the way, so that the commit (which waits for this) only collects the results. The
/// manifest says which item each is; an item it does not name is left to the commit.
pub(super) fn open_items_in_background(shared: &Shared, id: &str, items: Vec<(String, Bytes)>) {
    let (keys, sealing, manifest) = {
        let s = shared.lock();
        match (s.manifest(id), s.sealing(id)) {
            (Ok(m), Ok((_, sealing))) => (s.keys.clone(), sealing, m.manifest),
            _ => return,
        }
    };
    let (opening, submission) = (shared.clone(), id.to_owned());
    let task = tokio::task::spawn_blocking(move || {
        let by_id: std::collections::HashMap<&str, &harbor_protocol::ManifestItem> = manifest
            .items
            .iter()
            .map(|i| (i.item_id.as_str(), i))
            .collect();
        for (item_id, sealed) in items {
            let Some(it) = by_id.get(item_id.as_str()) else {
                continue;
            };
            let opener = ItemOpener {
                keys: &keys,
                sealing: sealing.as_deref(),
                submission: &submission,
            };
            let checked = check_item(&opener, &manifest.agency_id, it, &sealed);
            let mut opened = opening.opened.lock().expect("opened lock");
            let size = checked.as_ref().map_or(0, |i| i.snapshot.len());
            if opened.bytes + size > OPENED_ITEMS_MAX {
                return;
            }
            opened.bytes += size;
            opened
                .by_submission
                .entry(submission.clone())
                .or_default()
                .insert(it.item_id.clone(), checked);
        }
    });
    let mut checks = shared.checks.lock().expect("checks lock");
    let pending = checks.entry(id.to_owned()).or_default();
    pending.retain(|t| !t.is_finished());
    pending.push(task);
}
