//! The commands: each takes the shell's state, calls the service API off the UI thread
//! (a blocking task), and maps the error. No logic of their own.

use crate::dialog::{SaveDialog, ask_where_to_save, plain_file_name};
use crate::error::{internal, locked};
use crate::{Shell, lock_ignoring_poison};
use harbor::{AppInfo, HarborError, Opened, PacketWritten, SavedAttachment, SessionInfo};
use harbor::{AuditQuery, Passphrase, Profile, RecordKind, RecoveryCode, Session};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use tauri::ipc::{Channel, Response};
use tauri::{AppHandle, State};

type Res<T> = Result<T, HarborError>;
type ShellState<'a> = State<'a, Arc<Shell>>;

/// Runs `f` on a blocking thread, so neither the UI thread nor the async runtime waits on
/// Argon2id, SQLCipher or the network.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Res<T> + Send + 'static) -> Res<T> {
    tauri::async_runtime::spawn_blocking(f)
        .await
        .map_err(|_| internal("the action stopped unexpectedly; nothing was lost"))?
}

/// Runs `f` with the unlocked session, or fails with `locked`. A call is not input: it
/// does not start the idle clock again, and when the idle time has passed it locks
/// instead of running.
async fn with_session<T: Send + 'static>(
    shell: &ShellState<'_>,
    f: impl FnOnce(&mut Session) -> harbor::Result<T> + Send + 'static,
) -> Res<T> {
    let shell = shell.inner().clone();
    blocking(move || {
        let mut guard = lock_ignoring_poison(&shell.session);
        if shell.take_if_idle(&mut guard) {
            return Err(locked());
        }
        let s = guard.as_mut().ok_or_else(locked)?;
        f(s)
    })
    .await
}

/// Like [`with_session`], for long work: the idle clock pauses meanwhile, within
/// [`crate::idle::LONG_WORK_BOUND`] of the person's last input.
async fn long_work<T: Send + 'static>(
    shell: &ShellState<'_>,
    f: impl FnOnce(&mut Session) -> harbor::Result<T> + Send + 'static,
) -> Res<T> {
    let shell2 = shell.inner().clone();
    shell2.begin_long_work();
    let result = with_session(shell, f).await;
    shell2.end_long_work();
    result
}

fn parse_kind(kind: &str) -> Res<RecordKind> {
    harbor::parse_record_kind(kind)
}

fn session_info(shell: &Shell) -> Option<SessionInfo> {
    let auto_lock = *lock_ignoring_poison(&shell.auto_lock);
    let guard = lock_ignoring_poison(&shell.session);
    guard.as_ref().map(|s| SessionInfo::of(s, auto_lock))
}

#[tauri::command]
pub async fn app_info(shell: ShellState<'_>) -> Res<AppInfo> {
    let shell = shell.inner().clone();
    blocking(move || {
        Ok(AppInfo {
            vault_exists: harbor::desktop::vault_exists(&shell.vault_dir),
            vault_dir: shell.vault_dir.clone(),
            session: session_info(&shell),
            version: env!("CARGO_PKG_VERSION").to_owned(),
        })
    })
    .await
}

#[tauri::command]
pub async fn create_vault(shell: ShellState<'_>, admin: String, passphrase: String) -> Res<Opened> {
    let shell = shell.inner().clone();
    blocking(move || {
        let pass = Passphrase::new(passphrase);
        let (session, code) =
            harbor::init(&shell.vault_dir, &admin, &pass, harbor::KdfParams::DEFAULT)?;
        shell.open(session);
        Ok(Opened {
            session: session_info(&shell),
            recovery_code: Some(code.expose().to_owned()),
            rekey: None,
        })
    })
    .await
}

#[tauri::command]
pub async fn unlock(shell: ShellState<'_>, user: String, passphrase: String) -> Res<Opened> {
    let shell = shell.inner().clone();
    blocking(move || {
        let pass = Passphrase::new(passphrase);
        // A session here may submit: seed TLS on the other core during the key derivation.
        harbor::warm_up_tls();
        let session = harbor::unlock(&shell.vault_dir, &user, &pass)?;
        shell.open(session);
        Ok(Opened {
            session: session_info(&shell),
            recovery_code: None,
            rekey: None,
        })
    })
    .await
}

#[tauri::command]
pub async fn recover(
    shell: ShellState<'_>,
    user: String,
    code: String,
    new_passphrase: String,
) -> Res<Opened> {
    let shell = shell.inner().clone();
    blocking(move || {
        let code = RecoveryCode::parse(&code);
        let pass = Passphrase::new(new_passphrase);
        let recovered = harbor::recover(&shell.vault_dir, &code, &user, &pass)?;
        let recovery_code = Some(recovered.new_code.expose().to_owned());
        shell.open(recovered.session);
        Ok(Opened {
            session: session_info(&shell),
            recovery_code,
            rekey: Some(recovered.rekey),
        })
    })
    .await
}

#[tauri::command]
pub async fn lock(shell: ShellState<'_>) -> Res<bool> {
    let shell = shell.inner().clone();
    blocking(move || Ok(shell.lock())).await
}

/// Whether the session is still open. The page calls it on input it sees, but the call
/// is not input: on Linux the shell reads the person's input from the window's own events
/// (a script can call this, but cannot make those). Elsewhere, where the shell has no such
/// hook, the call is all there is and counts as input.
#[tauri::command]
pub fn activity(shell: ShellState<'_>) -> bool {
    #[cfg(not(target_os = "linux"))]
    shell.input();
    shell.is_unlocked()
}

#[tauri::command]
pub async fn status(shell: ShellState<'_>) -> Res<harbor::Status> {
    with_session(&shell, |s| s.status()).await
}

#[tauri::command]
pub async fn dashboard(shell: ShellState<'_>) -> Res<harbor::Dashboard> {
    with_session(&shell, |s| s.dashboard()).await
}

#[tauri::command]
pub async fn list_records(shell: ShellState<'_>, query: harbor::ListFilters) -> Res<harbor::Page> {
    let q = query.into_query()?;
    with_session(&shell, move |s| s.list(&q)).await
}

#[tauri::command]
pub async fn search(
    shell: ShellState<'_>,
    text: String,
    limit: u32,
) -> Res<Vec<harbor::RecordMeta>> {
    with_session(&shell, move |s| s.search(&text, limit)).await
}

#[tauri::command]
pub async fn get_record(shell: ShellState<'_>, id: String) -> Res<harbor::Record> {
    with_session(&shell, move |s| s.record(&id)).await
}

/// The PSES decisions the signed-in user has on a record (null for an ePCR).
#[tauri::command]
pub async fn record_choices(
    shell: ShellState<'_>,
    id: String,
) -> Res<Option<harbor::RecordChoices>> {
    with_session(&shell, move |s| s.record_choices(&id)).await
}

#[tauri::command]
pub async fn record_history(shell: ShellState<'_>, id: String) -> Res<harbor::History> {
    with_session(&shell, move |s| s.history(&id)).await
}

#[tauri::command]
pub fn record_template(kind: String) -> Res<Value> {
    Ok(harbor::record_template(parse_kind(&kind)?))
}

#[tauri::command]
pub async fn create_record(
    shell: ShellState<'_>,
    kind: String,
    body: Value,
) -> Res<harbor::RecordMeta> {
    let kind = parse_kind(&kind)?;
    with_session(&shell, move |s| s.create_record(kind, &body)).await
}

#[tauri::command]
pub async fn update_record(
    shell: ShellState<'_>,
    id: String,
    body: Value,
) -> Res<harbor::RecordMeta> {
    with_session(&shell, move |s| s.update_record(&id, &body)).await
}

#[tauri::command]
pub async fn sign_off(shell: ShellState<'_>, id: String) -> Res<harbor::RecordMeta> {
    with_session(&shell, move |s| s.sign_off(&id)).await
}

#[tauri::command]
pub async fn attachments(shell: ShellState<'_>, record_id: String) -> Res<Vec<harbor::Attachment>> {
    with_session(&shell, move |s| s.attachments(&record_id)).await
}

#[tauri::command]
pub async fn attach(
    shell: ShellState<'_>,
    record_id: String,
    path: PathBuf,
) -> Res<harbor::Attachment> {
    long_work(&shell, move |s| s.attach(&record_id, &path)).await
}

/// The attachment's bytes, as an `ArrayBuffer` in the UI (never written to disk).
#[tauri::command]
pub async fn attachment_content(shell: ShellState<'_>, attachment_id: String) -> Res<Response> {
    let (_att, bytes) = with_session(&shell, move |s| s.attachment_content(&attachment_id)).await?;
    Ok(Response::new(bytes))
}

/// Writes a copy of an attachment where the person chooses in the save dialog (the file
/// name proposed is the attachment's own, made plain). Audited; never overwrites a file.
/// `None` when they cancel.
#[tauri::command]
pub async fn save_attachment(
    app: AppHandle,
    shell: ShellState<'_>,
    attachment_id: String,
) -> Res<Option<SavedAttachment>> {
    let id = attachment_id.clone();
    let att = with_session(&shell, move |s| s.attachment(&id)).await?;
    let ask = SaveDialog {
        title: "Save a copy of the attachment to",
        file_name: plain_file_name(&att.name, "attachment"),
        filter: ("All files", &["*"]),
    };
    let Some(out) = ask_where_to_save(&app, ask).await? else {
        return Ok(None);
    };
    let path = out.clone();
    long_work(&shell, move |s| s.export_attachment(&attachment_id, &out))
        .await
        .map(|attachment| Some(SavedAttachment { attachment, path }))
}

#[tauri::command]
pub async fn import_nemsis(
    shell: ShellState<'_>,
    paths: Vec<PathBuf>,
    review: String,
    sample_percent: Option<f64>,
    on_progress: Channel<harbor::ImportProgress>,
) -> Res<harbor::ImportSummary> {
    let review = review.parse::<harbor::ReviewMode>()?;
    let options = harbor::ImportOptions {
        review,
        sample_percent,
        ..Default::default()
    };
    long_work(&shell, move |s| {
        s.import_nemsis(&paths, &options, &mut |p| {
            let _ = on_progress.send(*p);
        })
    })
    .await
}

#[tauri::command]
pub async fn triggers(shell: ShellState<'_>) -> Res<Vec<harbor::EffectiveRule>> {
    with_session(&shell, |s| s.triggers().map(|c| c.effective())).await
}

fn parse_profile(profile: &str) -> Res<Profile> {
    profile.parse::<Profile>()
}

/// Builds the preview; the service keeps it, and `promote` freezes exactly what was shown.
#[tauri::command]
pub async fn preview_promotion(
    shell: ShellState<'_>,
    ids: Vec<String>,
    profile: String,
    scrubbed: Option<BTreeMap<String, BTreeMap<String, String>>>,
) -> Res<Vec<harbor::PromotionPreview>> {
    let profile = parse_profile(&profile)?;
    let scrubbed = scrubbed.unwrap_or_default();
    with_session(&shell, move |s| {
        s.preview_promotion(&ids, profile, &scrubbed)
    })
    .await
}

/// Promotes what the last preview showed (`ids` must be the ones previewed, in order; the
/// service refuses with `preview_stale` otherwise).
#[tauri::command]
pub async fn promote(shell: ShellState<'_>, ids: Vec<String>) -> Res<Vec<harbor::OutboxItem>> {
    with_session(&shell, move |s| s.promote(&ids)).await
}

#[tauri::command]
pub async fn drop_out(
    shell: ShellState<'_>,
    id: String,
    reason: String,
) -> Res<harbor::RecordMeta> {
    with_session(&shell, move |s| s.drop_out(&id, &reason)).await
}

#[tauri::command]
pub async fn unqueue(shell: ShellState<'_>, id: String, reason: String) -> Res<harbor::OutboxItem> {
    with_session(&shell, move |s| s.unqueue(&id, &reason)).await
}

#[tauri::command]
pub async fn outbox(shell: ShellState<'_>) -> Res<Vec<harbor::OutboxItem>> {
    with_session(&shell, |s| s.outbox()).await
}

#[tauri::command]
pub async fn submit(
    shell: ShellState<'_>,
    on_progress: Channel<harbor::SendProgress>,
) -> Res<harbor::SubmitSummary> {
    long_work(&shell, move |s| {
        s.submit(&mut |sent, total| {
            let _ = on_progress.send(harbor::SendProgress { sent, total });
        })
    })
    .await
}

#[tauri::command]
pub async fn submissions(shell: ShellState<'_>) -> Res<Vec<harbor::SubmissionRow>> {
    with_session(&shell, |s| s.submissions()).await
}

#[tauri::command]
pub async fn audit_log(
    shell: ShellState<'_>,
    after: Option<i64>,
    limit: Option<u32>,
) -> Res<Vec<harbor::AuditEntry>> {
    with_session(&shell, move |s| s.audit_log(AuditQuery { after, limit })).await
}

#[tauri::command]
pub async fn audit_verify(shell: ShellState<'_>) -> Res<harbor::ChainReport> {
    with_session(&shell, |s| s.audit_verify()).await
}

/// Writes an encrypted backup where the person chooses in the save dialog (long work: off
/// the UI thread, the idle clock paused). `None` when they cancel.
#[tauri::command]
pub async fn backup(app: AppHandle, shell: ShellState<'_>) -> Res<Option<harbor::BackupSummary>> {
    let ask = SaveDialog {
        title: "Write the encrypted backup to",
        file_name: format!("harbor-{}.backup", chrono::Local::now().format("%Y-%m-%d")),
        filter: ("Harbor backup", &["backup"]),
    };
    let Some(out) = ask_where_to_save(&app, ask).await? else {
        return Ok(None);
    };
    long_work(&shell, move |s| s.backup(&out)).await.map(Some)
}

/// The privilege log of the records `query` names, to preview.
#[tauri::command]
pub async fn privilege_log(
    shell: ShellState<'_>,
    query: harbor::PrivilegeQuery,
) -> Res<harbor::PrivilegeLog> {
    // Long work: every record's facts and a pass over the whole audit chain.
    long_work(&shell, move |s| s.privilege_log(&query)).await
}

/// Writes the privilege log as `format` where the person chooses in the save dialog.
/// `None` when they cancel.
#[tauri::command]
pub async fn privilege_log_export(
    app: AppHandle,
    shell: ShellState<'_>,
    query: harbor::PrivilegeQuery,
    format: harbor::PrivilegeFormat,
) -> Res<Option<harbor::PrivilegeLogWritten>> {
    let ext = format.as_str();
    let ask = SaveDialog {
        title: "Write the privilege log to",
        file_name: format!(
            "privilege-log-{}.{ext}",
            chrono::Local::now().format("%Y-%m-%d")
        ),
        filter: ("Privilege log", &[ext]),
    };
    let Some(out) = ask_where_to_save(&app, ask).await? else {
        return Ok(None);
    };
    long_work(&shell, move |s| s.write_privilege_log(&query, format, &out))
        .await
        .map(Some)
}

#[tauri::command]
pub async fn users(shell: ShellState<'_>) -> Res<Vec<harbor::User>> {
    with_session(&shell, |s| s.users()).await
}

#[tauri::command]
pub async fn add_user(
    shell: ShellState<'_>,
    name: String,
    role: String,
    passphrase: String,
) -> Res<harbor::User> {
    let role = harbor::parse_role(&role)?;
    let pass = Passphrase::new(passphrase);
    with_session(&shell, move |s| s.add_user(&name, role, &pass)).await
}

/// Disables a user; the vault is re-keyed after it (the answer says whether it was).
#[tauri::command]
pub async fn disable_user(shell: ShellState<'_>, name: String) -> Res<harbor::Disabled> {
    long_work(&shell, move |s| s.disable_user(&name)).await
}

/// Re-keys the vault (admin; long work: the whole database is copied under the new key).
#[tauri::command]
pub async fn rekey_vault(shell: ShellState<'_>) -> Res<harbor::RekeyOutcome> {
    long_work(&shell, |s| s.rekey(false)).await
}

#[tauri::command]
pub async fn settings(shell: ShellState<'_>) -> Res<harbor::SettingsView> {
    with_session(&shell, |s| s.settings_view()).await
}

/// The PSES policy's version `version` (the one in force for `None`) and every version.
#[tauri::command]
pub async fn policy(shell: ShellState<'_>, version: Option<i64>) -> Res<harbor::PolicyView> {
    with_session(&shell, move |s| s.policy(version)).await
}

/// Adopts the text as the policy's next version (administrators).
#[tauri::command]
pub async fn adopt_policy(shell: ShellState<'_>, text: String) -> Res<harbor::PolicyVersion> {
    with_session(&shell, move |s| s.adopt_policy(&text)).await
}

/// The disclosure log, oldest first.
#[tauri::command]
pub async fn disclosures(
    shell: ShellState<'_>,
    filters: harbor::DisclosureFilters,
) -> Res<Vec<harbor::Disclosure>> {
    with_session(&shell, move |s| s.disclosures(&filters)).await
}

/// Records a disclosure made outside Harbor.
#[tauri::command]
pub async fn record_disclosure(
    shell: ShellState<'_>,
    input: harbor::DisclosureInput,
) -> Res<harbor::Disclosure> {
    with_session(&shell, move |s| s.record_disclosure(&input)).await
}

/// The permissions a disclosure may be made under, with their citations.
#[tauri::command]
pub fn disclosure_permissions() -> Vec<harbor::PermissionInfo> {
    harbor::disclosure_permissions()
}

#[tauri::command]
pub async fn set_setting(shell: ShellState<'_>, key: String, value: String) -> Res<()> {
    with_session(&shell, move |s| s.set_setting(&key, &value)).await
}

/// Enrols with a PSO (`ca_cert_path`: a CA to trust besides the system's; empty for none).
#[tauri::command]
pub async fn pso_enroll(
    shell: ShellState<'_>,
    url: String,
    token: String,
    ca_cert_path: Option<PathBuf>,
) -> Res<harbor::Enrolment> {
    let ca = ca_cert_path.filter(|p| !p.as_os_str().is_empty());
    long_work(&shell, move |s| s.pso_enroll(&url, &token, ca.as_deref())).await
}

#[tauri::command]
pub async fn set_cadence(shell: ShellState<'_>, every: String) -> Res<harbor::Cadence> {
    let days = harbor::Cadence::parse_days(&every)?;
    with_session(&shell, move |s| s.set_cadence(days)).await
}

#[tauri::command]
pub async fn set_auto_lock(shell: ShellState<'_>, minutes: f64) -> Res<f64> {
    let settings = with_session(&shell, move |s| s.set_auto_lock_minutes(minutes)).await?;
    shell.set_auto_lock(settings.auto_lock_minutes);
    Ok(settings.auto_lock_minutes)
}

#[tauri::command]
pub async fn save_draft(shell: ShellState<'_>, key: String, body: Value) -> Res<()> {
    with_session(&shell, move |s| s.save_draft(&key, &body)).await
}

#[tauri::command]
pub async fn load_draft(shell: ShellState<'_>, key: String) -> Res<Option<harbor::Draft>> {
    with_session(&shell, move |s| s.draft(&key)).await
}

#[tauri::command]
pub async fn discard_draft(shell: ShellState<'_>, key: String) -> Res<()> {
    with_session(&shell, move |s| s.discard_draft(&key)).await
}

/// This vault's device identity, to give to the vaults it exchanges case packets with.
#[tauri::command]
pub async fn device_identity(shell: ShellState<'_>) -> Res<harbor::DeviceInfo> {
    with_session(&shell, |s| s.device_identity()).await
}

#[tauri::command]
pub async fn contacts(shell: ShellState<'_>) -> Res<Vec<harbor::Contact>> {
    with_session(&shell, |s| s.contacts()).await
}

#[tauri::command]
pub async fn contact_add(
    shell: ShellState<'_>,
    name: String,
    identity: String,
) -> Res<harbor::Contact> {
    with_session(&shell, move |s| s.contact_add(&name, &identity)).await
}

#[tauri::command]
pub async fn contact_remove(shell: ShellState<'_>, name: String) -> Res<harbor::Contact> {
    with_session(&shell, move |s| s.contact_remove(&name)).await
}

/// A packet's file must be named in full: the shell's working folder is nobody's choice.
fn full_path(path: PathBuf) -> Res<PathBuf> {
    if path.is_absolute() {
        Ok(path)
    } else {
        Err(HarborError::invalid_input(format!(
            "give the file's full path, starting with / (not '{}')",
            path.display()
        )))
    }
}

/// Writes a case packet for a contact, the chosen records or the reply to a received
/// packet, where the person chooses in the save dialog (`file_name` only proposes a name).
/// Long work: the idle clock pauses. `None` when they cancel.
#[tauri::command]
#[allow(clippy::too_many_arguments)]
pub async fn packet_export(
    app: AppHandle,
    shell: ShellState<'_>,
    to: String,
    records: Vec<String>,
    reply_to: Option<String>,
    with_attachments: bool,
    purpose: String,
    file_name: Option<String>,
) -> Res<Option<PacketWritten>> {
    // Refused before the dialog opens, for nothing.
    harbor::PacketChoice::from_parts(&records, reply_to.as_deref())?;
    let ask = SaveDialog {
        title: "Write the case packet to",
        file_name: plain_file_name(file_name.as_deref().unwrap_or(""), "harbor-packet.hpk"),
        filter: ("Harbor case packet", &["hpk"]),
    };
    let Some(out) = ask_where_to_save(&app, ask).await? else {
        return Ok(None);
    };
    let path = out.clone();
    long_work(&shell, move |s| {
        let choice = harbor::PacketChoice::from_parts(&records, reply_to.as_deref())?;
        s.packet_export(&to, choice, with_attachments, &purpose, &out)
    })
    .await
    .map(|summary| Some(PacketWritten { summary, path }))
}

/// What a reply to a received packet would carry, before it is written.
#[tauri::command]
pub async fn packet_reply_preview(
    shell: ShellState<'_>,
    packet_id: String,
) -> Res<Vec<harbor::RecordMeta>> {
    with_session(&shell, move |s| s.packet_reply_preview(&packet_id)).await
}

#[tauri::command]
pub async fn packet_import(shell: ShellState<'_>, path: PathBuf) -> Res<harbor::PacketOutcome> {
    let path = full_path(path)?;
    long_work(&shell, move |s| s.packet_import(&path)).await
}

#[tauri::command]
pub async fn received(shell: ShellState<'_>) -> Res<Vec<harbor::ReceivedRecord>> {
    with_session(&shell, |s| s.received_with_records()).await
}

#[tauri::command]
pub async fn conflicts(
    shell: ShellState<'_>,
    include_resolved: bool,
) -> Res<Vec<harbor::ConflictRecord>> {
    with_session(&shell, move |s| s.conflicts_with_records(include_resolved)).await
}

/// Resolves a conflict: `keep` is `current` (this vault's revision stands) or `theirs`
/// (the incoming edit becomes a new revision).
#[tauri::command]
pub async fn resolve_conflict(
    shell: ShellState<'_>,
    id: String,
    keep: String,
) -> Res<harbor::Conflict> {
    let keep: harbor::Keep = keep.parse()?;
    with_session(&shell, move |s| s.resolve_conflict(&id, keep)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_packet_file_is_named_by_its_full_path() {
        assert_eq!(
            full_path(PathBuf::from("/media/usb/case.hpk")).unwrap(),
            PathBuf::from("/media/usb/case.hpk")
        );
        let e = full_path(PathBuf::from("case.hpk")).unwrap_err();
        assert_eq!(e.code(), "invalid_input");
        assert!(e.message().contains("full path"), "{e}");
    }
}
