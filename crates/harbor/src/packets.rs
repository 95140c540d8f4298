//! Case packets: the medical director's offline round trip between vaults. A packet is
//! signed by this vault's device key and sealed to the contact's; importing one refuses an
//! unknown sender (before anything is decrypted: the header names the sender's key), another
//! vault's packet and a damaged file, and changes nothing the second time.

use crate::{HarborError, Result, Session};
use harbor_core::{Action, PsesState};
use harbor_protocol::{DeviceIdentity, PacketAttachment, PacketEpcr, PacketError, PacketRecord};
use harbor_vault::VaultError;
use harbor_vault::packets::{Conflict, PacketOutcome, Received};
use harbor_vault::records::RecordMeta;
use serde::Serialize;
use serde_json::json;
use std::path::Path;

/// The largest packet file read (a packet is read whole).
pub const MAX_PACKET_BYTES: u64 = 512 * 1024 * 1024;

const FORMAT: &str = "harbor-packet/2";
/// Packets of the first version: attachments base64 inside the body.
const FORMAT_V1: &str = "harbor-packet/1";

/// What an export wrote.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct PacketSummary {
    /// The packet's id (the reply names it).
    pub packet_id: String,
    /// The contact it is for.
    pub to: String,
    /// PSES records carried.
    pub records: usize,
    /// ePCRs carried with them (the calls the reviews refer to).
    pub epcrs: usize,
    /// Attachments carried.
    pub attachments: usize,
    /// The file's size.
    pub bytes: u64,
}

/// Which records a packet carries.
#[derive(Debug, Clone)]
pub enum PacketChoice<'a> {
    /// These records, chosen by a person.
    Records(&'a [String]),
    /// The reply to a received packet: its records that changed here, and the records
    /// written here that refer to them (case notes, investigations).
    ReplyTo(&'a str),
}

impl<'a> PacketChoice<'a> {
    /// The choice from a face's two fields: hand-picked `records`, or the packet it replies
    /// to (`reply_to`; empty means none). `invalid_input` when both are given.
    pub fn from_parts(records: &'a [String], reply_to: Option<&'a str>) -> Result<Self> {
        match reply_to.filter(|p| !p.trim().is_empty()) {
            Some(_) if !records.is_empty() => Err(HarborError::invalid_input(
                "a packet is either a reply or records chosen by hand, not both",
            )),
            Some(packet) => Ok(PacketChoice::ReplyTo(packet.trim())),
            None => Ok(PacketChoice::Records(records)),
        }
    }
}

/// A received record: where it came from, and what it is now.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ReceivedRecord {
    /// Where and when it came from.
    #[serde(flatten)]
    pub origin: Received,
    /// The record as it is now.
    pub record: RecordMeta,
}

/// A conflict with its record's title and state.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ConflictRecord {
    /// The incoming edit.
    #[serde(flatten)]
    pub conflict: Conflict,
    /// The record it is on.
    pub record: RecordMeta,
}

/// Which side of a conflict stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// This vault's current revision stands.
    Current,
    /// The incoming edit becomes a new revision.
    Theirs,
}

impl std::str::FromStr for Keep {
    type Err = HarborError;

    fn from_str(s: &str) -> Result<Self> {
        match s.trim() {
            "current" => Ok(Keep::Current),
            "theirs" => Ok(Keep::Theirs),
            other => Err(HarborError::invalid_input(format!(
                "keep 'current' (this vault's revision) or 'theirs' (the incoming edit), not '{other}'"
            ))),
        }
    }
}

fn unknown_sender() -> HarborError {
    HarborError::new(
        crate::ErrorCode::PacketUnknownSender,
        "this packet comes from a vault that is not a contact: add it with `harbor contact add` (compare the fingerprint) and import again; nothing was imported",
    )
}

fn refused(e: PacketError) -> HarborError {
    let code = match e {
        PacketError::NotForThisVault => crate::ErrorCode::PacketWrongRecipient,
        _ => crate::ErrorCode::PacketDamaged,
    };
    HarborError::new(code, format!("{e}; nothing was imported"))
}

impl Session {
    /// Writes a packet for `to` (a contact) into `out` (which must not exist), and records
    /// it: an audit row and a dated disclosure within the PSES on every record it carries.
    pub fn packet_export(
        &mut self,
        to: &str,
        choice: PacketChoice<'_>,
        with_attachments: bool,
        purpose: &str,
        out: &Path,
    ) -> Result<PacketSummary> {
        self.require(Action::PacketExchange)?;
        if purpose.trim().is_empty() {
            return Err(VaultError::BadSetting(
                "say why the records go (--purpose): it is entered on every record".into(),
            )
            .into());
        }
        let purpose = purpose.trim();
        let contact = self.vault.contact(to.trim())?;
        // A dropped-out record is no longer in the PSES: it is not disclosed within it.
        // Chosen by hand it is refused; a reply leaves it out.
        let (ids, reply_to) = match choice {
            PacketChoice::Records(ids) => (self.still_in_pses(ids.to_vec(), true)?, None),
            PacketChoice::ReplyTo(packet) => {
                let ids = self.reply_records(packet)?;
                (self.still_in_pses(ids, false)?, Some(packet))
            }
        };
        let changed_only = reply_to.is_some();
        let records: Vec<PacketRecord> = self
            .vault
            .packet_records(&self.pses_records(&ids)?, changed_only)?;
        // The calls go with their reviews, unless the contact sent them here.
        let epcrs: Vec<PacketEpcr> = self.vault.packet_epcrs(&ids, to)?;
        if records.is_empty() && epcrs.is_empty() {
            return Err(VaultError::BadSetting(
                "no records to send: nothing changed since that packet arrived".into(),
            )
            .into());
        }
        let attachments: Vec<PacketAttachment> = if with_attachments {
            self.vault.packet_attachments(&ids)?
        } else {
            Vec::new()
        };
        let keys = self.device_keys()?;
        let packet_id = uuid::Uuid::now_v7().to_string();
        let body = json!({
            "format": FORMAT,
            "packet_id": packet_id,
            "created_at": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            "to": contact.signing_key,
            "purpose": purpose,
            "reply_to": reply_to,
            "epcrs": epcrs,
            "records": records,
            "attachments": attachments,
        });
        let recipient = DeviceIdentity {
            signing_key: contact.signing_key.clone(),
            receive_key: contact.receive_key.clone(),
        };
        let payload: Vec<u8> = attachments
            .iter()
            .flat_map(|a| a.content.iter().copied())
            .collect();
        let file = harbor_protocol::seal_packet(&keys, &recipient, &body, &payload)
            .map_err(|e| VaultError::Corrupt(e.to_string()))?;
        // 0600 whatever the umask, like every file Harbor writes with secrets in it.
        let mut f = harbor_vault::create_private_file(out)?;
        std::io::Write::write_all(&mut f, &file).map_err(VaultError::io("write", out))?;
        f.sync_all().map_err(VaultError::io("write", out))?;
        let sha = harbor_core::canonical::sha256_hex(&file);
        let sent: Vec<String> = epcrs
            .iter()
            .map(|e| e.record_id.clone())
            .chain(records.iter().map(|r| r.record_id.clone()))
            .collect();
        if let Err(e) = self
            .vault
            .log_packet_export(&packet_id, to, purpose, &sent, &sha)
        {
            // Nothing may leave unrecorded.
            let _ = std::fs::remove_file(out);
            return Err(e.into());
        }
        Ok(PacketSummary {
            packet_id,
            to: to.to_owned(),
            records: records.len(),
            epcrs: epcrs.len(),
            attachments: attachments.len(),
            bytes: file.len() as u64,
        })
    }

    /// `ids` without the dropped-out records, or (`refuse`) `dropped_out` when one is.
    fn still_in_pses(&self, ids: Vec<String>, refuse: bool) -> Result<Vec<String>> {
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if self.vault.record_meta(&id)?.pses_state == PsesState::DroppedOut.as_str() {
                if refuse {
                    return Err(harbor_core::PsesError::DroppedOut.into());
                }
            } else {
                out.push(id);
            }
        }
        Ok(out)
    }

    /// The ids that are PSES records, not original records (ePCRs travel on their own).
    fn pses_records(&self, ids: &[String]) -> Result<Vec<String>> {
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if !self.vault.record_meta(id)?.kind.is_original_record() {
                out.push(id.clone());
            }
        }
        Ok(out)
    }

    fn reply_records(&mut self, packet: &str) -> Result<Vec<String>> {
        let received: Vec<String> = self
            .vault
            .received_records()?
            .into_iter()
            .filter(|r| r.packet_id == packet)
            .map(|r| r.record_id)
            .collect();
        if received.is_empty() {
            return Err(VaultError::NotFound {
                what: "received packet",
                id: packet.to_owned(),
            }
            .into());
        }
        let origins: std::collections::HashSet<String> = self
            .vault
            .received_records()?
            .into_iter()
            .map(|r| r.record_id)
            .collect();
        let mut ids = received.clone();
        // Records written here that refer to a received one.
        let mut cursor = None;
        loop {
            let page = self.vault.list_records(&harbor_vault::records::ListQuery {
                after: cursor.clone(),
                limit: Some(500),
                ..Default::default()
            })?;
            for meta in &page.items {
                if origins.contains(&meta.id) || meta.kind.is_original_record() {
                    continue;
                }
                let (_, _, body) = self.vault.current_body(&meta.id)?;
                let text = body.to_string();
                if received.iter().any(|r| text.contains(r.as_str())) {
                    ids.push(meta.id.clone());
                }
            }
            match page.next_cursor {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        Ok(ids)
    }

    /// Imports a packet file: refused (nothing imported) when it is damaged, for another
    /// vault, from an unknown sender, or carries a record that does not validate; a packet
    /// imported before changes nothing. The sender is looked up among the contacts by the
    /// key id its header names before the packet is decrypted; a version 1 or 2 packet
    /// names none, and its sender is looked up once it is opened.
    pub fn packet_import(&mut self, file: &Path) -> Result<PacketOutcome> {
        self.require(Action::PacketExchange)?;
        let size = std::fs::metadata(file)
            .map_err(VaultError::io("read", file))?
            .len();
        if size > MAX_PACKET_BYTES {
            return Err(HarborError::new(
                crate::ErrorCode::PacketDamaged,
                format!(
                    "the file is {size} bytes, larger than any packet ({MAX_PACKET_BYTES}); nothing was imported"
                ),
            ));
        }
        let bytes = std::fs::read(file).map_err(VaultError::io("read", file))?;
        let keys = self.device_keys()?;
        let head = harbor_protocol::packet_header(&bytes).map_err(refused)?;
        if !head.is_for(&keys) {
            return Err(refused(PacketError::NotForThisVault));
        }
        if let Some(named) = &head.sender {
            let known = self.vault.contacts()?.iter().any(|c| {
                harbor_protocol::SigningPublicKey::from_hex(&c.signing_key)
                    .is_ok_and(|k| k.id() == *named)
            });
            if !known {
                return Err(unknown_sender());
            }
        }
        // Opening checks that the packet is signed by the key its header names.
        let opened = harbor_protocol::open_packet(&keys, &bytes).map_err(refused)?;
        let (sender, body) = (opened.sender, opened.body);
        let contact = self
            .vault
            .contact_by_signing_key(&sender)?
            .ok_or_else(unknown_sender)?;
        let me = keys.signing.public().to_hex();
        let bad = |why: &str| {
            HarborError::new(
                crate::ErrorCode::PacketDamaged,
                format!("the packet is not well formed ({why}); nothing was imported"),
            )
        };
        let v1 = body["format"] == FORMAT_V1;
        if body["format"] != FORMAT && !v1 {
            return Err(bad("unknown format"));
        }
        if body["to"] != me.as_str() {
            return Err(refused(PacketError::NotForThisVault));
        }
        let packet_id = body["packet_id"]
            .as_str()
            .ok_or_else(|| bad("no id"))?
            .to_owned();
        let records: Vec<PacketRecord> =
            serde_json::from_value(body["records"].clone()).map_err(|_| bad("records"))?;
        let attachments: Vec<PacketAttachment> = if v1 {
            serde_json::from_value::<Vec<harbor_protocol::PacketAttachmentV1>>(
                body["attachments"].clone(),
            )
            .map_err(|_| bad("attachments"))?
            .into_iter()
            .map(PacketAttachment::from)
            .collect()
        } else {
            let mut described: Vec<PacketAttachment> =
                serde_json::from_value(body["attachments"].clone())
                    .map_err(|_| bad("attachments"))?;
            PacketAttachment::fill_from_payload(&mut described, &opened.payload)
                .map_err(|why| bad(&why))?;
            described
        };
        // Packets from before ePCRs travelled carry none.
        let epcrs: Vec<PacketEpcr> = match body.get("epcrs") {
            None | Some(serde_json::Value::Null) => Vec::new(),
            Some(v) => serde_json::from_value(v.clone()).map_err(|_| bad("ePCRs"))?,
        };
        let mut calls = Vec::with_capacity(epcrs.len());
        for e in epcrs {
            let body = harbor_core::schema::validate(harbor_core::RecordKind::Epcr, &e.body)?;
            calls.push((e, body));
        }
        let mut typed = Vec::with_capacity(records.len());
        for r in records {
            if r.kind.is_original_record() {
                return Err(bad("an original record"));
            }
            let body = harbor_core::schema::validate(r.kind, &r.body)?;
            typed.push((r, body));
        }
        let sha = harbor_core::canonical::sha256_hex(&bytes);
        Ok(self.vault.import_packet(
            &packet_id,
            &contact.name,
            &calls,
            &typed,
            &attachments,
            &sha,
        )?)
    }

    /// What a reply to the received `packet` would carry if written now: the records of
    /// that packet changed here and the records written here that refer to them (title,
    /// kind and state only), so a person sees what will leave before it does.
    pub fn packet_reply_preview(&mut self, packet: &str) -> Result<Vec<RecordMeta>> {
        self.require(Action::PacketExchange)?;
        let ids = self.reply_records(packet)?;
        let ids = self.still_in_pses(ids, false)?;
        let carried = self.vault.packet_records(&self.pses_records(&ids)?, true)?;
        carried
            .iter()
            .map(|r| Ok(self.vault.record_meta(&r.record_id)?))
            .collect()
    }

    /// A record's kind, title, status and PSES state, without its content (not a read of
    /// the record): what the received and conflict lists show beside each entry.
    pub fn record_meta(&mut self, id: &str) -> Result<RecordMeta> {
        self.require(Action::RecordList)?;
        Ok(self.vault.record_meta(id)?)
    }

    /// The records received in packets.
    pub fn received(&mut self) -> Result<Vec<Received>> {
        self.require(Action::RecordList)?;
        Ok(self.vault.received_records()?)
    }

    /// Conflicts: edits that arrived on an older revision (unresolved first).
    pub fn conflicts(&mut self, include_resolved: bool) -> Result<Vec<Conflict>> {
        self.require(Action::RecordList)?;
        Ok(self.vault.conflicts(include_resolved)?)
    }

    /// The received records, each with what it is now (title, state; not a read of it).
    pub fn received_with_records(&mut self) -> Result<Vec<ReceivedRecord>> {
        self.require(Action::RecordList)?;
        self.vault
            .received_records()?
            .into_iter()
            .map(|origin| {
                Ok(ReceivedRecord {
                    record: self.vault.record_meta(&origin.record_id)?,
                    origin,
                })
            })
            .collect()
    }

    /// The conflicts, each with its record's title and state (not a read of it).
    pub fn conflicts_with_records(
        &mut self,
        include_resolved: bool,
    ) -> Result<Vec<ConflictRecord>> {
        self.require(Action::RecordList)?;
        self.vault
            .conflicts(include_resolved)?
            .into_iter()
            .map(|conflict| {
                Ok(ConflictRecord {
                    record: self.vault.record_meta(&conflict.record_id)?,
                    conflict,
                })
            })
            .collect()
    }

    /// Resolves a conflict: keep this vault's current revision, or take the incoming edit
    /// as a new revision.
    pub fn resolve_conflict(&mut self, id: &str, keep: Keep) -> Result<Conflict> {
        self.require(Action::PacketExchange)?;
        let body = if keep == Keep::Theirs {
            let c = self.vault.conflict(id)?;
            let kind = self.vault.record_meta(&c.record_id)?.kind;
            Some(harbor_core::schema::validate(kind, &c.body)?)
        } else {
            None
        };
        Ok(self.vault.resolve_conflict(id, body.as_ref())?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_packet_is_a_reply_or_hand_picked_records_never_both() {
        let picked = vec!["r1".to_owned()];
        assert_eq!(
            PacketChoice::from_parts(&picked, Some("p1"))
                .unwrap_err()
                .code(),
            "invalid_input"
        );
        assert!(matches!(
            PacketChoice::from_parts(&[], Some(" p1 ")),
            Ok(PacketChoice::ReplyTo("p1"))
        ));
        // An empty reply field (the desktop sends one) means none.
        assert!(matches!(
            PacketChoice::from_parts(&picked, Some("")),
            Ok(PacketChoice::Records(r)) if r == picked.as_slice()
        ));
        assert!(matches!(
            PacketChoice::from_parts(&picked, None),
            Ok(PacketChoice::Records(_))
        ));
    }
}
