//! The unlocked session and the functions that open one.

use crate::{HarborError, Result};
use harbor_core::{Action, RecordKind, Role};
use harbor_vault::attachments::Attachment;
use harbor_vault::audit::{AuditEntry, AuditQuery, ChainReport};
use harbor_vault::backup::BackupSummary;
use harbor_vault::records::{History, ListQuery, Page, Record, RecordMeta};
use harbor_vault::rekey::RekeyOutcome;
use harbor_vault::users::User;
use harbor_vault::{KdfParams, Passphrase, RecoveryCode, UnlockedVault, Vault};
use serde_json::Value;
use std::path::Path;

/// A disabled user, and whether the vault was re-keyed after it.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
pub struct Disabled {
    /// The user, now disabled.
    #[serde(flatten)]
    pub user: User,
    /// The re-key that followed.
    pub rekey: RekeyStatus,
}

/// Whether a re-key that follows another action happened.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum RekeyStatus {
    /// The database has a new key.
    Done {
        /// What the re-key did (its fields sit beside `status`).
        #[serde(flatten)]
        outcome: RekeyOutcome,
    },
    /// It did not happen (the action itself stands): why, and its error code.
    NotDone {
        /// The error's stable code (`vault_in_use`, `old_key_slots`, ...).
        code: crate::ErrorCode,
        /// What to do.
        reason: String,
    },
}

/// An unlocked vault and the user acting in it. Dropping it locks the vault.
#[derive(Debug)]
pub struct Session {
    pub(crate) vault: UnlockedVault,
    /// The last promotion preview shown, which `promote` freezes as it was shown (a face
    /// only names the records it confirms). Gone with the session when it locks.
    pub(crate) pending_promotion: Option<Vec<crate::PromotionPreview>>,
}

impl Session {
    fn of(vault: UnlockedVault) -> Session {
        Session {
            vault,
            pending_promotion: None,
        }
    }
}

/// Creates a vault in `dir` with its first administrator. Returns the session and the
/// recovery code, which must be shown to the person once.
pub fn init(
    dir: &Path,
    admin: &str,
    passphrase: &Passphrase,
    params: KdfParams,
) -> Result<(Session, RecoveryCode)> {
    let (vault, code) = Vault::create(dir, admin, passphrase, params)?;
    let mut session = Session::of(vault);
    // The device identity for case packets is born with the vault.
    session.device_keys()?;
    Ok((session, code))
}

/// Unlocks the vault in `dir` as `user`.
pub fn unlock(dir: &Path, user: &str, passphrase: &Passphrase) -> Result<Session> {
    let vault = Vault::open(dir)?.unlock(user, passphrase)?;
    Ok(Session::of(vault))
}

/// Unlocks with the recovery code and sets a new passphrase for `user`; returns the new
/// recovery code (the old one no longer works).
pub fn recover(
    dir: &Path,
    code: &RecoveryCode,
    user: &str,
    new_passphrase: &Passphrase,
) -> Result<Recovered> {
    let (mut vault, new_code) = Vault::open(dir)?.recover(code, user, new_passphrase)?;
    let rekey = rekey_after_new_recovery_code(&mut vault);
    Ok(Recovered {
        session: Session::of(vault),
        new_code,
        rekey,
    })
}

/// A recovery: the session, the new recovery code (shown once) and whether the re-key
/// that follows it happened.
#[derive(Debug)]
pub struct Recovered {
    /// The unlocked session, as the recovered user.
    pub session: Session,
    /// The new recovery code: the old one no longer opens anything written from now on.
    pub new_code: RecoveryCode,
    /// The re-key: a copy of `keyslots.json` kept from before, which the old recovery code
    /// opens, no longer opens the database once it is done.
    pub rekey: RekeyStatus,
}

/// A replaced recovery code revokes nothing while the data key stays: whoever holds the
/// old code and a copy of the slot file would still unwrap it. The recovery stands even if
/// the re-key must wait (another process has the vault open, or old slots remain).
fn rekey_after_new_recovery_code(vault: &mut UnlockedVault) -> RekeyStatus {
    match vault.rekey("recovery code replaced", false) {
        Ok(outcome) => RekeyStatus::Done { outcome },
        Err(e) => RekeyStatus::NotDone {
            code: e.code(),
            reason: e.to_string(),
        },
    }
}

/// How a restored vault is opened.
#[derive(Debug)]
pub enum RestoreWith<'a> {
    /// A user's passphrase at backup time.
    Passphrase {
        /// The user.
        user: &'a str,
        /// Their passphrase.
        passphrase: &'a Passphrase,
    },
    /// The recovery code at backup time; sets a new passphrase for `user` and replaces the
    /// recovery code (returned in the tuple).
    Recovery {
        /// The recovery code.
        code: &'a RecoveryCode,
        /// The user who gets the new passphrase.
        user: &'a str,
        /// The new passphrase.
        new_passphrase: &'a Passphrase,
    },
}

/// Restores a backup into `dir`, opens it to prove it opens, checks it (every page, the
/// database, the audit chain) and records the restore in its audit chain. If it does not
/// open or does not check out, the restored files are removed again, so the person can
/// retry. With the recovery code, the new recovery code is returned.
pub fn restore(
    backup: &Path,
    dir: &Path,
    with: RestoreWith<'_>,
) -> Result<(Session, Option<RecoveryCode>)> {
    let restored = Vault::restore(backup, dir)?;
    let paths = restored.paths().clone();
    let opened = (|| -> Result<(UnlockedVault, Option<RecoveryCode>)> {
        let (mut vault, code) = match with {
            RestoreWith::Passphrase { user, passphrase } => {
                (restored.unlock(user, passphrase)?, None)
            }
            RestoreWith::Recovery {
                code,
                user,
                new_passphrase,
            } => {
                let (mut vault, new_code) = restored.recover(code, user, new_passphrase)?;
                // The backup file still opens with the old code (it is a copy made
                // before); once re-keyed, the restored vault no longer does. A re-key that
                // cannot happen here (old slots in the backup) leaves the restore
                // standing, as `harbor vault rekey` can follow.
                let _ = rekey_after_new_recovery_code(&mut vault);
                (vault, Some(new_code))
            }
        };
        let problems = vault.check()?;
        if !problems.is_empty() {
            return Err(harbor_vault::VaultError::Corrupt(problems.join("; ")).into());
        }
        vault.note_restored(backup)?;
        Ok((vault, code))
    })();
    match opened {
        Ok((vault, code)) => Ok((Session::of(vault), code)),
        Err(e) => {
            let locks = [
                paths.dir.join("vault.lock"),
                paths.dir.join("keyslots.lock"),
            ];
            for f in [&paths.db, &paths.keyslots, &paths.throttle]
                .into_iter()
                .chain(&locks)
            {
                let _ = std::fs::remove_file(f);
            }
            for suffix in ["-wal", "-shm"] {
                let mut p = paths.db.clone().into_os_string();
                p.push(suffix);
                let _ = std::fs::remove_file(p);
            }
            Err(e)
        }
    }
}

fn create_action(kind: RecordKind) -> Option<Action> {
    match kind {
        RecordKind::CallReview => Some(Action::CallReviewCreate),
        RecordKind::CaseNote => Some(Action::CaseNoteCreate),
        RecordKind::Investigation => Some(Action::InvestigationCreate),
        RecordKind::Epcr => None,
    }
}

fn update_action(kind: RecordKind) -> Option<Action> {
    match kind {
        RecordKind::CallReview => Some(Action::CallReviewUpdate),
        RecordKind::CaseNote => Some(Action::CaseNoteUpdate),
        RecordKind::Investigation => Some(Action::InvestigationUpdate),
        RecordKind::Epcr => None,
    }
}

impl Session {
    /// Refuses unless the acting user is still active and their role permits `action`.
    pub(crate) fn require(&mut self, action: Action) -> Result<()> {
        let role = self.vault.refresh_actor()?.role;
        if role.permits(action) {
            Ok(())
        } else {
            Err(HarborError::forbidden(role, action))
        }
    }

    /// The acting user's name.
    pub fn user_name(&self) -> &str {
        &self.vault.actor().name
    }

    /// The acting user's role.
    pub fn role(&self) -> Role {
        self.vault.actor().role
    }

    /// The actions the signed-in user's role permits, so that a face offers no control
    /// that can only be refused (every method checks again).
    pub fn allowed_actions(&self) -> Vec<Action> {
        let role = self.role();
        Action::ALL
            .iter()
            .copied()
            .filter(|a| a.allowed_roles().contains(&role))
            .collect()
    }

    /// The vault's id.
    pub fn vault_id(&self) -> &str {
        self.vault.vault_id()
    }

    /// Creates a record of `kind` from JSON input, validated against the kind's schema.
    pub fn create_record(&mut self, kind: RecordKind, input: &Value) -> Result<RecordMeta> {
        let Some(action) = create_action(kind) else {
            return Err(
                harbor_vault::VaultError::from(harbor_core::PsesError::OriginalRecord).into(),
            );
        };
        self.require(action)?;
        let body = harbor_core::schema::validate(kind, input)?;
        Ok(self.vault.create_record(body)?)
    }

    /// Creates many records of `kind` in one transaction (all or none).
    pub fn create_records(&mut self, kind: RecordKind, inputs: &[Value]) -> Result<Vec<String>> {
        let Some(action) = create_action(kind) else {
            return Err(
                harbor_vault::VaultError::from(harbor_core::PsesError::OriginalRecord).into(),
            );
        };
        self.require(action)?;
        let bodies = inputs
            .iter()
            .map(|input| harbor_core::schema::validate(kind, input))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        Ok(self.vault.create_records(bodies)?)
    }

    /// Wraps a vault opened by the benchmark helpers (feature `plaintext-bench`).
    #[cfg(feature = "plaintext-bench")]
    pub fn from_bench_vault(vault: UnlockedVault) -> Self {
        Session::of(vault)
    }

    /// Saves a new revision of record `id` from JSON input.
    pub fn update_record(&mut self, id: &str, input: &Value) -> Result<RecordMeta> {
        self.require(Action::RecordRead)?;
        let meta = self.vault.record_meta(id)?;
        let Some(action) = update_action(meta.kind) else {
            return Err(
                harbor_vault::VaultError::from(harbor_core::PsesError::OriginalRecord).into(),
            );
        };
        self.require(action)?;
        let body = harbor_core::schema::validate(meta.kind, input)?;
        Ok(self.vault.update_record(id, body)?)
    }

    /// Signs off a call review as the acting user.
    pub fn sign_off(&mut self, id: &str) -> Result<RecordMeta> {
        self.require(Action::CallReviewSignOff)?;
        Ok(self.vault.sign_off(id)?)
    }

    /// Reads a record (audited).
    pub fn record(&mut self, id: &str) -> Result<Record> {
        self.require(Action::RecordRead)?;
        Ok(self.vault.get_record(id)?)
    }

    /// A record's revisions and PSES events (audited).
    pub fn history(&mut self, id: &str) -> Result<History> {
        self.require(Action::RecordRead)?;
        Ok(self.vault.history(id)?)
    }

    /// Lists records with filters and keyset paging.
    pub fn list(&mut self, query: &ListQuery) -> Result<Page> {
        self.require(Action::RecordList)?;
        Ok(self.vault.list_records(query)?)
    }

    /// Full-text search (audited, without the query text).
    pub fn search(&mut self, text: &str, limit: u32) -> Result<Vec<RecordMeta>> {
        self.require(Action::RecordList)?;
        Ok(self.vault.search(text, limit)?)
    }

    /// Attaches a file to a record.
    pub fn attach(&mut self, record_id: &str, file: &Path) -> Result<Attachment> {
        self.require(Action::AttachmentAdd)?;
        Ok(self.vault.attach(record_id, file)?)
    }

    /// The attachments of a record.
    pub fn attachments(&mut self, record_id: &str) -> Result<Vec<Attachment>> {
        self.require(Action::RecordRead)?;
        Ok(self.vault.list_attachments(record_id)?)
    }

    /// One attachment's description (name, type, size, hash), without its content.
    pub fn attachment(&mut self, attachment_id: &str) -> Result<Attachment> {
        self.require(Action::RecordRead)?;
        Ok(self.vault.attachment(attachment_id)?)
    }

    /// Writes an attachment out to a new file (audited).
    pub fn export_attachment(&mut self, attachment_id: &str, out: &Path) -> Result<Attachment> {
        self.require(Action::AttachmentExport)?;
        Ok(self.vault.export_attachment(attachment_id, out)?)
    }

    /// Drops a record out of the PSES, with the reason.
    pub fn drop_out(&mut self, id: &str, reason: &str) -> Result<RecordMeta> {
        self.require(Action::DropOut)?;
        Ok(self.vault.drop_out(id, reason)?)
    }

    /// Adds a user.
    pub fn add_user(&mut self, name: &str, role: Role, passphrase: &Passphrase) -> Result<User> {
        self.require(Action::UserAdd)?;
        Ok(self.vault.add_user(name, role, passphrase)?)
    }

    /// Lists users.
    pub fn users(&mut self) -> Result<Vec<User>> {
        self.require(Action::UserList)?;
        Ok(self.vault.list_users()?)
    }

    /// Disables a user.
    pub fn disable_user(&mut self, name: &str) -> Result<Disabled> {
        self.require(Action::UserDisable)?;
        let user = self.vault.disable_user(name)?;
        // A disabled user who kept a copy of the slot file would still unwrap the key:
        // the database gets a new one. The disable stands even if the re-key must wait.
        let rekey = match self.vault.rekey("user disabled", false) {
            Ok(outcome) => RekeyStatus::Done { outcome },
            Err(e) => RekeyStatus::NotDone {
                code: e.code(),
                reason: e.to_string(),
            },
        };
        Ok(Disabled { user, rekey })
    }

    /// Re-keys the vault (admin): a new data key, sealed to every remaining slot, so that
    /// copies of the slot file and backups made before no longer open the database.
    /// `drop_old_slots` removes slots from before re-keying existed (see
    /// [`harbor_vault::VaultError::OldKeySlots`]). Audited as `vault.rekey`.
    pub fn rekey(&mut self, drop_old_slots: bool) -> Result<RekeyOutcome> {
        self.require(Action::VaultRekey)?;
        Ok(self.vault.rekey("on demand", drop_old_slots)?)
    }

    /// Changes the acting user's passphrase.
    pub fn change_passphrase(&mut self, new: &Passphrase) -> Result<()> {
        self.require(Action::PassphraseChange)?;
        Ok(self.vault.change_passphrase(new)?)
    }

    /// Reads the audit log.
    pub fn audit_log(&mut self, query: AuditQuery) -> Result<Vec<AuditEntry>> {
        self.require(Action::AuditRead)?;
        Ok(self.vault.audit_log(query)?)
    }

    /// Verifies the audit chain.
    pub fn audit_verify(&mut self) -> Result<ChainReport> {
        self.require(Action::AuditVerify)?;
        Ok(self.vault.audit_verify()?)
    }

    /// Checks every page, the database's integrity and the audit chain.
    pub fn check(&mut self) -> Result<Vec<String>> {
        self.require(Action::AuditVerify)?;
        Ok(self.vault.check()?)
    }

    /// Writes an encrypted backup.
    pub fn backup(&mut self, out: &Path) -> Result<BackupSummary> {
        self.require(Action::Backup)?;
        Ok(self.vault.backup(out)?)
    }

    /// The vault's settings and their values.
    pub fn settings(&mut self) -> Result<Vec<(String, String)>> {
        self.require(Action::Settings)?;
        Ok(self.vault.settings()?)
    }

    /// The settings with what each means, for a face to show.
    pub fn settings_explained(&mut self) -> Result<Vec<Setting>> {
        Ok(self
            .settings()?
            .into_iter()
            .map(|(key, value)| Setting {
                help: harbor_vault::users::SETTINGS
                    .iter()
                    .find(|(k, _)| *k == key)
                    .map(|(_, h)| *h)
                    .unwrap_or(""),
                key,
                value,
            })
            .collect())
    }

    /// Changes a setting.
    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        self.require(Action::Settings)?;
        Ok(self.vault.set_setting(key, value)?)
    }

    /// Number of records in the vault.
    pub fn record_count(&mut self) -> Result<i64> {
        self.require(Action::RecordList)?;
        Ok(self.vault.record_count()?)
    }

    /// Locks the vault: closes the database and zeroizes the key.
    pub fn lock(self) {
        self.vault.lock();
    }

    /// The unlocked vault, for tests that play an attacker holding the key. Its raw SQL
    /// back door (`UnlockedVault::raw_sql_for_tamper_tests`) exists only with
    /// `harbor-vault`'s `tamper-tests` feature, which only dev-dependencies enable.
    pub fn vault_for_tamper_tests(&self) -> &UnlockedVault {
        &self.vault
    }
}

/// A setting, its value and what it means.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
pub struct Setting {
    /// Its key, as `harbor settings set` takes it.
    pub key: String,
    /// Its value now.
    pub value: String,
    /// What it means, its range and its default.
    pub help: &'static str,
}
