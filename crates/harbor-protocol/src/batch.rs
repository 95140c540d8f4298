//! Several pieces of a submission's parts in one request body, so that a thousand small
//! items cost a few round trips instead of a thousand.
//!
//! The body is a sequence of frames, each `id length (u8) || part id (UTF-8) || offset
//! (u64, big-endian) || length (u32, big-endian) || bytes`, with nothing before, between or
//! after them. A part id is an item id or a blob id as the manifest lists it.

/// One frame: a part id, where its bytes start in the part, and the bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchFrame<'a> {
    /// The item or blob id.
    pub part: &'a str,
    /// Where `bytes` start in the part's sealed form.
    pub offset: u64,
    /// Sealed bytes of the part.
    pub bytes: &'a [u8],
}

/// Why a batch body does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the batch body is malformed: {0}")]
pub struct BatchError(&'static str);

/// Bytes a frame adds besides its part id and bytes.
const FRAME_OVERHEAD: usize = 1 + 8 + 4;

/// Length of the frame that carries `part_len` bytes of id and `len` bytes.
pub fn batch_frame_len(part_len: usize, len: usize) -> usize {
    FRAME_OVERHEAD + part_len + len
}

/// Appends one frame to `body`. Panics on a part id longer than 255 bytes or more than
/// 4 GiB of bytes, which no manifest produces.
pub fn push_batch_frame(body: &mut Vec<u8>, part: &str, offset: u64, bytes: &[u8]) {
    let id_len = u8::try_from(part.len()).expect("a part id fits in 255 bytes");
    let len = u32::try_from(bytes.len()).expect("a frame holds less than 4 GiB");
    body.reserve(batch_frame_len(part.len(), bytes.len()));
    body.push(id_len);
    body.extend_from_slice(part.as_bytes());
    body.extend_from_slice(&offset.to_be_bytes());
    body.extend_from_slice(&len.to_be_bytes());
    body.extend_from_slice(bytes);
}

/// Parses a whole batch body; refused, with nothing taken from it, if any frame is cut
/// short or its id is not UTF-8.
pub fn parse_batch(mut body: &[u8]) -> Result<Vec<BatchFrame<'_>>, BatchError> {
    let mut frames = Vec::new();
    while let Some((&id_len, rest)) = body.split_first() {
        let id_len = usize::from(id_len);
        if id_len == 0 {
            return Err(BatchError("a frame has an empty part id"));
        }
        if rest.len() < id_len + 12 {
            return Err(BatchError("a frame is cut short"));
        }
        let (id, rest) = rest.split_at(id_len);
        let part = std::str::from_utf8(id).map_err(|_| BatchError("a part id is not UTF-8"))?;
        let (offset, rest) = rest.split_at(8);
        let (len, rest) = rest.split_at(4);
        let offset = u64::from_be_bytes(offset.try_into().expect("8 bytes"));
        let len = u32::from_be_bytes(len.try_into().expect("4 bytes")) as usize;
        if rest.len() < len {
            return Err(BatchError("a frame is cut short"));
        }
        let (bytes, rest) = rest.split_at(len);
        frames.push(BatchFrame {
            part,
            offset,
            bytes,
        });
        body = rest;
    }
    Ok(frames)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip_in_order() {
        let mut body = Vec::new();
        push_batch_frame(&mut body, "item-a", 0, b"first");
        push_batch_frame(&mut body, "item-b", 7, b"");
        push_batch_frame(&mut body, "blob-c", u64::MAX, &[0xff; 300]);
        assert_eq!(body.len(), 3 * FRAME_OVERHEAD + 18 + 5 + 300);
        assert_eq!(batch_frame_len(6, 5), FRAME_OVERHEAD + 11);
        let frames = parse_batch(&body).unwrap();
        assert_eq!(
            frames,
            vec![
                BatchFrame {
                    part: "item-a",
                    offset: 0,
                    bytes: b"first"
                },
                BatchFrame {
                    part: "item-b",
                    offset: 7,
                    bytes: b""
                },
                BatchFrame {
                    part: "blob-c",
                    offset: u64::MAX,
                    bytes: &[0xff; 300]
                },
            ]
        );
        assert_eq!(parse_batch(&[]).unwrap(), vec![]);
    }

    #[test]
    fn a_body_cut_anywhere_or_with_a_bad_id_is_refused() {
        let mut body = Vec::new();
        push_batch_frame(&mut body, "item-a", 3, b"some bytes");
        for cut in 1..body.len() {
            assert!(parse_batch(&body[..cut]).is_err(), "cut at {cut}");
        }
        let mut bad = body.clone();
        bad[1] = 0xff;
        assert_eq!(
            parse_batch(&bad).unwrap_err().to_string(),
            "the batch body is malformed: a part id is not UTF-8"
        );
        let mut empty_id = vec![0u8];
        empty_id.extend_from_slice(&[0; 12]);
        assert!(parse_batch(&empty_id).is_err());
        // A length that runs past the end.
        let mut long = Vec::new();
        push_batch_frame(&mut long, "x", 0, b"ab");
        long[1 + 1 + 8 + 3] = 9;
        assert!(parse_batch(&long).is_err());
    }
}
