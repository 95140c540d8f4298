//! One function per command: read the inputs, call the service API, render.

use crate::cli::*;
use crate::fail;
use crate::{render, secrets};
use harbor::{AuditQuery, KdfParams, ListQuery, RecordKind, Role, Session};
use harbor::{ErrorCode, HarborError};
use serde_json::json;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The largest record file accepted.
const MAX_INPUT_BYTES: u64 = 16 * 1024 * 1024;

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<(), HarborError> {
    let ctx = Ctx {
        vault: cli.vault,
        user: cli.user,
        passphrase_file: cli.passphrase_file,
        json: cli.json,
    };
    match cli.command {
        Command::Init(args) => init(&ctx, args),
        Command::Demo(DemoCommand::Vault { out, calls }) => crate::demo::run(&out, calls, ctx.json),
        Command::Demo(DemoCommand::GenerateNemsis {
            count,
            seed,
            per_file,
            out,
        }) => crate::demo::generate_nemsis(count, seed, per_file, &out, ctx.json),
        Command::Recover => recover(&ctx),
        Command::Restore { file, recovery } => restore(&ctx, &file, recovery),
        Command::Record(RecordCommand::Template { kind }) => {
            render::json(&harbor::record_template(parse_kind(&kind)?));
            Ok(())
        }
        Command::Disclosure(DisclosureCommand::Exceptions) => {
            let list = harbor::disclosure_permissions();
            if ctx.json {
                render::json(&list);
            } else {
                for p in list {
                    println!(
                        "{:<24} {:<26} {}",
                        p.name.as_str(),
                        p.citation.unwrap_or("-"),
                        p.description
                    );
                }
            }
            Ok(())
        }
        Command::Record(RecordCommand::Schema { kind }) => {
            render::json(&harbor::record_schema(parse_kind(&kind)?));
            Ok(())
        }
        other => {
            if matches!(other, Command::Submit) {
                harbor::warm_up_tls();
            }
            let mut session = ctx.unlock()?;
            with_session(&ctx, &mut session, other)
        }
    }
}

struct Ctx {
    vault: Option<PathBuf>,
    user: Option<String>,
    passphrase_file: Option<PathBuf>,
    json: bool,
}

impl Ctx {
    fn vault(&self) -> Result<&Path, HarborError> {
        self.vault
            .as_deref()
            .ok_or_else(|| fail::usage("which vault? give --vault DIR or set HARBOR_VAULT".into()))
    }

    fn user(&self) -> Result<&str, HarborError> {
        self.user
            .as_deref()
            .ok_or_else(|| fail::usage("who is acting? give --user NAME or set HARBOR_USER".into()))
    }

    fn unlock(&self) -> Result<Session, HarborError> {
        let dir = self.vault()?;
        let user = self.user()?;
        let pass = secrets::passphrase(
            self.passphrase_file.as_deref(),
            &format!("Passphrase for {user}: "),
        )?;
        harbor::unlock(dir, user, &pass)
    }

    /// Prints `value` as JSON, or runs `text` to print it for people.
    fn out<T: serde::Serialize>(&self, value: &T, text: impl FnOnce(&T)) {
        if self.json {
            render::json(value);
        } else {
            text(value);
        }
    }
}

fn parse_kind(kind: &str) -> Result<RecordKind, HarborError> {
    harbor::parse_record_kind(kind)
}

fn parse_role(role: &str) -> Result<Role, HarborError> {
    harbor::parse_role(role)
}

/// The service reads the date; a wrong one is a usage error naming the flag.
fn parse_time(s: &str, what: &str) -> Result<chrono::DateTime<chrono::Utc>, HarborError> {
    harbor::parse_when(s, what).map_err(|_| {
        fail::usage(format!(
            "--{what} takes a date (YYYY-MM-DD) or an RFC 3339 time"
        ))
    })
}

fn read_input(file: &Path) -> Result<serde_json::Value, HarborError> {
    let mut text = String::new();
    let result = if file == Path::new("-") {
        std::io::stdin()
            .take(MAX_INPUT_BYTES + 1)
            .read_to_string(&mut text)
    } else {
        std::fs::File::open(file)
            .and_then(|f| f.take(MAX_INPUT_BYTES + 1).read_to_string(&mut text))
    };
    result.map_err(|e| {
        HarborError::new(
            ErrorCode::Io,
            format!("cannot read {}: {e}", file.display()),
        )
    })?;
    if text.len() as u64 > MAX_INPUT_BYTES {
        return Err(HarborError::new(
            ErrorCode::InvalidInput,
            format!(
                "{} is larger than {MAX_INPUT_BYTES} bytes: a record file is never that large",
                file.display()
            ),
        ));
    }
    harbor::parse_record_json(&text)
}

fn init(ctx: &Ctx, args: InitArgs) -> Result<(), HarborError> {
    let dir = ctx.vault()?;
    let d = KdfParams::DEFAULT;
    let params = KdfParams {
        m_cost_kib: args.kdf_memory_kib.unwrap_or(d.m_cost_kib),
        t_cost: args.kdf_iterations.unwrap_or(d.t_cost),
        p_cost: args.kdf_parallelism.unwrap_or(d.p_cost),
    };
    let pass = if std::env::var_os("HARBOR_PASSPHRASE").is_some() || ctx.passphrase_file.is_some() {
        secrets::passphrase(ctx.passphrase_file.as_deref(), "")?
    } else {
        secrets::new_passphrase_prompt(&args.admin)?
    };
    let (session, code) = harbor::init(dir, &args.admin, &pass, params)?;
    if ctx.json {
        render::json(&json!({
            "vault": dir, "vault_id": session.vault_id(), "admin": args.admin,
            "recovery_code": code.expose(),
        }));
    } else {
        println!(
            "Created the vault in {} with administrator '{}'.",
            dir.display(),
            args.admin
        );
        println!();
        println!("Recovery code (shown once, never stored in clear):");
        println!();
        println!("    {}", code.expose());
        println!();
        println!("Write it down and keep it somewhere safe, away from this computer: it opens the");
        println!("vault if every passphrase is forgotten (`harbor recover`).");
        println!();
        println!("The vault starts with Harbor's template of the agency's PSES policy. Review it,");
        println!("put in the agency's own words and adopt it: `harbor policy show > policy.md`,");
        println!("edit, then `harbor policy set --file policy.md`.");
    }
    Ok(())
}

fn recover(ctx: &Ctx) -> Result<(), HarborError> {
    let dir = ctx.vault()?;
    let user = ctx.user()?;
    let code = secrets::recovery_code()?;
    let pass = secrets::new_passphrase(user)?;
    let recovered = harbor::recover(dir, &code, user, &pass)?;
    let new_code = &recovered.new_code;
    if ctx.json {
        render::json(
            &json!({"user": user, "recovery_code": new_code.expose(), "rekey": recovered.rekey}),
        );
    } else {
        println!(
            "New passphrase set for '{user}'. The old recovery code no longer works; the new one is:"
        );
        println!();
        println!("    {}", new_code.expose());
        println!();
        println!("Write it down and keep it safe: it is shown only now.");
        match &recovered.rekey {
            harbor::RekeyStatus::Done { .. } => println!(
                "The vault was re-keyed: copies of keyslots.json kept from before no longer open the database with the old code. Backups made before still open with it: keep them as safe as the vault."
            ),
            harbor::RekeyStatus::NotDone { reason, .. } => println!(
                "The vault was NOT re-keyed ({reason}). Until it is (`harbor vault rekey`), a copy of keyslots.json kept from before still opens the database with the old code."
            ),
        }
    }
    Ok(())
}

fn restore(ctx: &Ctx, file: &Path, recovery: bool) -> Result<(), HarborError> {
    let dir = ctx.vault()?;
    let user = ctx.user()?;
    let (mut session, new_code) = if recovery {
        let code = secrets::recovery_code()?;
        let new_passphrase = secrets::new_passphrase(user)?;
        harbor::restore(
            file,
            dir,
            harbor::RestoreWith::Recovery {
                code: &code,
                user,
                new_passphrase: &new_passphrase,
            },
        )?
    } else {
        let passphrase = secrets::passphrase(
            ctx.passphrase_file.as_deref(),
            &format!("Passphrase for {user}: "),
        )?;
        harbor::restore(
            file,
            dir,
            harbor::RestoreWith::Passphrase {
                user,
                passphrase: &passphrase,
            },
        )?
    };
    let records = session.record_count()?;
    let code = new_code.as_ref().map(|c| c.expose().to_owned());
    ctx.out(&json!({"vault": dir, "records": records, "recovery_code": code}), |_| {
        println!(
            "Restored {} into {} ({records} records); the vault checks out.",
            file.display(),
            dir.display()
        );
        if let Some(code) = &code {
            println!("New passphrase set for '{user}'. The new recovery code (shown once):\n\n    {code}\n");
        }
    });
    Ok(())
}

fn with_session(ctx: &Ctx, s: &mut Session, command: Command) -> Result<(), HarborError> {
    match command {
        Command::Passwd => {
            let new = secrets::new_passphrase(s.user_name())?;
            s.change_passphrase(&new)?;
            ctx.out(&json!({"changed": true}), |_| {
                println!("Passphrase changed.")
            });
        }
        Command::User(UserCommand::Add { name, role }) => {
            let role = parse_role(&role)?;
            let pass = secrets::new_passphrase(&name)?;
            let user = s.add_user(&name, role, &pass)?;
            ctx.out(&user, |u| println!("Added user '{}' ({}).", u.name, u.role));
        }
        Command::User(UserCommand::List) => {
            let users = s.users()?;
            ctx.out(&users, |users| {
                // Columns as wide as their widest cell, so a long name or role never
                // pushes the rest of its row out of line.
                let rows: Vec<[String; 4]> = users
                    .iter()
                    .map(|u| {
                        [
                            u.name.clone(),
                            u.role.to_string(),
                            u.created_at.format("%Y-%m-%d %H:%M UTC").to_string(),
                            if u.disabled_at.is_some() {
                                "disabled"
                            } else {
                                "active"
                            }
                            .to_owned(),
                        ]
                    })
                    .collect();
                let header = ["NAME", "ROLE", "ADDED", "STATE"].map(str::to_owned);
                let width = |i: usize| {
                    std::iter::once(&header)
                        .chain(&rows)
                        .map(|r| r[i].chars().count())
                        .max()
                        .unwrap_or(0)
                };
                let (w0, w1, w2) = (width(0), width(1), width(2));
                for r in std::iter::once(&header).chain(&rows) {
                    println!("{:<w0$}  {:<w1$}  {:<w2$}  {}", r[0], r[1], r[2], r[3]);
                }
            });
        }
        Command::User(UserCommand::Disable { name }) => {
            let disabled = s.disable_user(&name)?;
            ctx.out(&disabled, |d| {
                println!("Disabled user '{}'.", d.user.name);
                match &d.rekey {
                    harbor::RekeyStatus::Done { .. } => println!(
                        "The vault was re-keyed: the database no longer opens with the key '{}' could unwrap. Backups and copies of keyslots.json made before now still open with the old slots, '{}''s included: keep them as safe as the vault.",
                        d.user.name, d.user.name
                    ),
                    harbor::RekeyStatus::NotDone { reason, .. } => println!(
                        "The vault was NOT re-keyed ({reason}). Until it is (`harbor vault rekey`), '{}' can still open the database with a copy of keyslots.json kept from before, as with any backup made before.",
                        d.user.name
                    ),
                }
            });
        }
        Command::Record(cmd) => record(ctx, s, cmd)?,
        Command::Search { query, limit } => {
            let hits = s.search(&query, limit)?;
            ctx.out(&hits, |h| render::record_table(h));
        }
        Command::Attach { id, file } => {
            let att = s.attach(&id, &file)?;
            ctx.out(&att, |a| {
                println!(
                    "Attached '{}' ({}, {} bytes, sha256 {}) as {}.",
                    a.name, a.media_type, a.size, a.sha256, a.id
                )
            });
        }
        Command::Attachment(AttachmentCommand::List { id }) => {
            let list = s.attachments(&id)?;
            ctx.out(&list, |list| {
                if list.is_empty() {
                    println!("(no attachments)");
                }
                for a in list {
                    println!(
                        "{}  {:>10} B  {:<24} {}",
                        a.id, a.size, a.media_type, a.name
                    );
                }
            });
        }
        Command::Attachment(AttachmentCommand::Get { attachment_id, out }) => {
            let att = s.export_attachment(&attachment_id, &out)?;
            ctx.out(&att, |a| {
                println!(
                    "Wrote '{}' ({} bytes, hash verified) to {}.",
                    a.name,
                    a.size,
                    out.display()
                )
            });
        }
        Command::Dropout { id, reason } => {
            let meta = s.drop_out(&id, &reason)?;
            ctx.out(&meta, |m| {
                println!("Record {} dropped out of the PSES; the date, your name and the reason are in its ledger.", m.id)
            });
        }
        Command::Audit(AuditCommand::Log { after, limit }) => {
            let rows = s.audit_log(AuditQuery {
                after,
                limit: Some(limit),
            })?;
            ctx.out(&rows, |r| render::audit(r));
        }
        Command::Audit(AuditCommand::Verify) => {
            let report = s.audit_verify()?;
            ctx.out(&report, |r| match &r.first_bad {
                None => println!("The audit chain holds: {} rows, head {}.", r.rows, r.head),
                Some(bad) => println!(
                    "The audit chain is BROKEN at row {}: {}.",
                    bad.seq, bad.reason
                ),
            });
            if let Some(broken) = HarborError::if_audit_broken(&report) {
                return Err(broken);
            }
        }
        Command::Vault(VaultCommand::Rekey { drop_old_slots }) => {
            let outcome = s.rekey(drop_old_slots)?;
            let code = outcome
                .new_recovery_code
                .as_ref()
                .map(|c| c.expose().to_owned());
            ctx.out(
                &json!({
                    "rekeyed": true,
                    "slots": outcome.slots,
                    "dropped_users": outcome.dropped_users,
                    "recovery_code": code,
                }),
                |_| {
                    println!(
                        "Re-keyed the vault: {} key slots hold the new key. Backups and copies of keyslots.json made before still open with the old slots.",
                        outcome.slots
                    );
                    if !outcome.dropped_users.is_empty() {
                        println!(
                            "Removed the old slots of: {}. Give them a passphrase with `harbor recover --user NAME`.",
                            outcome.dropped_users.join(", ")
                        );
                    }
                    if let Some(code) = &code {
                        println!("New recovery code (shown once, never stored in clear):");
                        println!("{code}");
                    }
                },
            );
        }
        Command::Vault(VaultCommand::Check) => {
            let problems = s.check()?;
            ctx.out(&json!({"ok": problems.is_empty(), "problems": problems}), |_| {
                if problems.is_empty() {
                    println!("The vault checks out: every page authenticates, the database is intact, the audit chain holds.");
                }
            });
            if let Some(failed) = HarborError::if_check_failed(&problems) {
                return Err(failed);
            }
        }
        Command::Backup { out } => {
            let summary = s.backup(&out)?;
            ctx.out(&summary, |b| {
                println!(
                    "Wrote an encrypted backup of {} records ({} bytes) to {}.",
                    b.records, b.bytes, b.path
                );
                println!("Restore it with `harbor restore FILE --vault NEW_DIR --user NAME`.");
            });
        }
        Command::Device(DeviceCommand::Show) => {
            let d = s.device_identity()?;
            ctx.out(&d, |d| {
                println!("identity:    {}", d.identity);
                println!("fingerprint: {}", d.fingerprint);
                println!();
                println!(
                    "Give the identity line to the other vault (`harbor contact add NAME LINE`) and read the fingerprint aloud to compare."
                );
            });
        }
        Command::Contact(ContactCommand::Add { name, identity }) => {
            let c = s.contact_add(&name, &identity)?;
            ctx.out(&c, |c| {
                println!("Added contact '{}'.", c.name);
                println!("fingerprint: {}", c.fingerprint);
                println!("Check it matches what `harbor device show` prints on that vault.");
            });
        }
        Command::Contact(ContactCommand::List) => {
            let list = s.contacts()?;
            ctx.out(&list, |list| {
                if list.is_empty() {
                    println!("(no contacts: add one with `harbor contact add NAME IDENTITY`)");
                }
                for c in list {
                    println!(
                        "{:<24} {}  added {} by {}",
                        c.name,
                        c.fingerprint,
                        c.added_at.format("%Y-%m-%d"),
                        c.added_by
                    );
                }
            });
        }
        Command::Contact(ContactCommand::Remove { name }) => {
            let c = s.contact_remove(&name)?;
            ctx.out(&c, |c| println!("Removed contact '{}'.", c.name));
        }
        Command::Packet(PacketCommand::Export {
            to,
            records,
            reply_to,
            with_attachments,
            purpose,
            out,
        }) => {
            let choice = harbor::PacketChoice::from_parts(&records, reply_to.as_deref())?;
            let summary = s.packet_export(&to, choice, with_attachments, &purpose, &out)?;
            ctx.out(&summary, |p| {
                println!(
                    "Wrote packet {} for '{}' to {}: {} record(s), {} attachment(s), {} bytes, encrypted to that vault only.",
                    p.packet_id,
                    p.to,
                    out.display(),
                    p.records,
                    p.attachments,
                    p.bytes
                );
            });
        }
        Command::Packet(PacketCommand::Import { file }) => {
            let o = s.packet_import(&file)?;
            ctx.out(&o, |o| {
                if o.already_imported {
                    println!("Packet {} was imported before: nothing changed.", o.packet_id);
                    return;
                }
                println!(
                    "Imported packet {}: {} new record(s), {} new revision(s), {} conflict(s), {} unchanged, {} attachment(s).",
                    o.packet_id,
                    o.added.len(),
                    o.revised.len(),
                    o.conflicts.len(),
                    o.unchanged.len(),
                    o.attachments
                );
                if !o.conflicts.is_empty() {
                    println!("Edits made on an older revision are kept beside the current one: `harbor conflicts list`.");
                }
            });
        }
        Command::Packet(PacketCommand::Received) => {
            let list = s.received()?;
            ctx.out(&list, |list| {
                if list.is_empty() {
                    println!("(nothing received)");
                }
                for r in list {
                    println!(
                        "{}  from {}  packet {}  {}",
                        r.record_id,
                        r.from_contact,
                        r.packet_id,
                        r.received_at.format("%Y-%m-%d %H:%M")
                    );
                }
            });
        }
        Command::Conflicts(ConflictsCommand::List { all }) => {
            let list = s.conflicts(all)?;
            ctx.out(&list, |list| {
                if list.is_empty() {
                    println!("(no conflicts)");
                }
                for c in list {
                    println!(
                        "{}  record {}  edit by {} from {}  {}  {}",
                        c.id,
                        c.record_id,
                        c.author,
                        c.from_contact,
                        c.at.format("%Y-%m-%d %H:%M"),
                        c.resolution.as_deref().unwrap_or("unresolved")
                    );
                    println!("  their edit: {}", c.body);
                }
            });
        }
        Command::Conflicts(ConflictsCommand::Resolve { id, keep }) => {
            let c = s.resolve_conflict(&id, keep.parse()?)?;
            ctx.out(&c, |c| {
                println!(
                    "Conflict {} resolved: {}.",
                    c.id,
                    c.resolution.as_deref().unwrap_or("")
                )
            });
        }
        Command::Settings(SettingsCommand::Show) => {
            let settings = s.settings_explained()?;
            ctx.out(&settings, |list| {
                for setting in list {
                    println!("{} = {}    ({})", setting.key, setting.value, setting.help);
                }
            });
        }
        Command::Disclosure(DisclosureCommand::Record {
            ids,
            to,
            exception,
            date,
            note,
        }) => {
            let d = s.record_disclosure(&harbor::DisclosureInput {
                records: ids,
                to,
                exception: harbor::parse_permission(&exception)?,
                date,
                note,
            })?;
            ctx.out(&d, |d| {
                println!(
                    "Recorded disclosure {}: {} record{} to {} on {}, under {}.",
                    d.seq,
                    d.records.len(),
                    if d.records.len() == 1 { "" } else { "s" },
                    d.recipient,
                    d.disclosed_at.format("%Y-%m-%d"),
                    d.permission.citation().unwrap_or("a use within the PSES")
                )
            });
        }
        Command::Disclosure(DisclosureCommand::List {
            record,
            since,
            until,
        }) => {
            let list = s.disclosures(&harbor::DisclosureFilters {
                record,
                since,
                until,
            })?;
            ctx.out(&list, |l| render::disclosures(l));
        }
        Command::Disclosure(DisclosureCommand::Exceptions) => {
            unreachable!("handled before unlocking")
        }
        Command::Privilege(PrivilegeCommand::Log {
            records,
            since,
            until,
            all,
            format,
            out,
        }) => {
            let format = harbor::PrivilegeFormat::parse(&format)?;
            let written = s.write_privilege_log(
                &harbor::PrivilegeQuery {
                    records,
                    since,
                    until,
                    all,
                },
                format,
                &out,
            )?;
            ctx.out(&written, |w| {
                println!(
                    "Wrote the privilege log ({}) of {} records, {} facts, to {} (SHA-256 {}, in the audit chain).",
                    w.format, w.records, w.facts, w.path, w.sha256
                )
            });
        }
        Command::Policy(PolicyCommand::Show { version }) => {
            let view = s.policy(version)?;
            if ctx.json {
                render::json(&view);
            } else {
                render::policy(&view);
            }
        }
        Command::Policy(PolicyCommand::List) => {
            let view = s.policy(None)?;
            ctx.out(&view.versions, |v| render::policy_versions(v));
        }
        Command::Policy(PolicyCommand::Set { file }) => {
            let adopted = s.adopt_policy_file(&file)?;
            ctx.out(&adopted, |p| {
                println!(
                    "Adopted version {} of the PSES policy, in force from {} (SHA-256 {}). Earlier versions are kept.",
                    p.version,
                    p.adopted_at.format("%Y-%m-%d %H:%M UTC"),
                    p.sha256
                )
            });
        }
        Command::Settings(SettingsCommand::Set { key, value }) => {
            s.set_setting(&key, &value)?;
            ctx.out(&json!({"key": key, "value": value}), |_| {
                println!("{key} set to {value}.")
            });
        }
        Command::Import(ImportCommand::Nemsis {
            paths,
            review,
            sample,
        }) => crate::import::run(ctx.json, s, &paths, &review, sample.as_deref())?,
        Command::Triggers(TriggersCommand::List) => {
            let config = s.triggers()?;
            let rules = config.effective();
            ctx.out(&rules, |rules| {
                for r in rules {
                    println!(
                        "{} {:<26} {}",
                        if r.enabled { "on " } else { "off" },
                        r.id,
                        r.title
                    );
                    println!("      reads: {}", r.elements.join(", "));
                    for (name, value, meaning) in &r.params {
                        println!("      {name} = {value}    ({meaning})");
                    }
                }
            });
        }
        Command::Triggers(TriggersCommand::Set {
            rule,
            enable,
            disable,
            params,
        }) => {
            let enabled = if enable {
                Some(true)
            } else if disable {
                Some(false)
            } else {
                None
            };
            let params = params
                .iter()
                .map(|p| {
                    p.split_once('=')
                        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
                        .ok_or_else(|| fail::usage(format!("--param takes NAME=VALUE, not '{p}'")))
                })
                .collect::<Result<Vec<_>, _>>()?;
            let config = s.set_trigger(&rule, enabled, &params)?;
            let effective = config.effective().into_iter().find(|r| r.id == rule);
            ctx.out(&effective, |r| {
                if let Some(r) = r {
                    println!("{} is {}.", r.id, if r.enabled { "on" } else { "off" });
                    for (name, value, _) in &r.params {
                        println!("  {name} = {value}");
                    }
                }
            });
        }
        Command::Promote {
            ids,
            profile,
            dry_run,
            scrubbed,
            yes,
        } => crate::promote::run(
            ctx.json,
            s,
            &ids,
            &profile,
            dry_run,
            scrubbed.as_deref(),
            yes,
        )?,
        Command::Unqueue { id, reason } => {
            let item = s.unqueue(&id, &reason)?;
            ctx.out(&item, |i| {
                println!("Took the snapshot of record {} out of the outbox; the record is back in the PSES, and the ledger says why.", i.record_id)
            });
        }
        Command::Status => {
            let st = s.status()?;
            ctx.out(&st, |st| {
                println!(
                    "Reviews waiting to be started: {}",
                    st.counts.reviews_not_started
                );
                println!("Snapshots queued for the PSO:   {}", st.counts.queued);
                println!("Records by PSES state:");
                for (state, n) in &st.counts.by_pses_state {
                    println!("  {state:<18} {n}");
                }
                match (&st.cadence, &st.next_submission_due) {
                    (Some(c), Some(next)) => println!(
                        "Submission every {} days; next due {}{}.",
                        c.days,
                        next.format("%Y-%m-%d"),
                        if st.due_now { " (due now)" } else { "" }
                    ),
                    _ => println!("No submission cadence set (`harbor pso cadence monthly`)."),
                }
                if st.policy_needs_review {
                    println!(
                        "The PSES policy is Harbor's template, not yet the agency's own: review it (`harbor policy show`) and adopt yours (`harbor policy set --file FILE`)."
                    );
                }
            });
        }
        Command::Pso(PsoCommand::Enroll {
            url,
            token,
            ca_cert,
        }) => {
            let c = s.pso_enroll(&url, &token, ca_cert.as_deref())?;
            ctx.out(&c, |c| {
                println!(
                    "Enrolled with {} as {}; the PSO's keys are pinned in the vault.",
                    c.url, c.agency_id
                )
            });
        }
        Command::Submit => {
            // The first line as soon as sending starts, then at most two a second.
            let mut last: Option<std::time::Instant> = None;
            let summary = s.submit(&mut |sent, total| {
                if last.is_none_or(|t| t.elapsed().as_millis() >= 500) || sent == total {
                    last = Some(std::time::Instant::now());
                    eprint!("\rsending: {sent}/{total} bytes");
                }
            })?;
            ctx.out(&summary, |sm| match &sm.submission_id {
                None => println!("Nothing is queued: there is nothing to submit."),
                Some(id) => println!(
                    "\nSubmission {id}{}: {} item(s) reported; the PSO's receipt verified and is stored.",
                    if sm.resumed { " (resumed)" } else { "" },
                    sm.reported
                ),
            });
        }
        Command::Submissions => {
            let rows = s.submissions()?;
            ctx.out(&rows, |rows| {
                if rows.is_empty() {
                    println!("(no submissions yet)");
                }
                for r in rows {
                    println!(
                        "{}  {:<10} {}",
                        r.id,
                        r.state,
                        r.created_at.format("%Y-%m-%d %H:%M UTC")
                    );
                }
            });
        }
        Command::Pso(PsoCommand::Cadence { every }) => {
            let days = harbor::Cadence::parse_days(&every)?;
            let c = s.set_cadence(days)?;
            ctx.out(&c, |c| {
                println!("The agency submits to its PSO every {} days.", c.days)
            });
        }
        Command::Pso(PsoCommand::Feedback) => {
            let f = s.pso_feedback()?;
            ctx.out(&f, render::feedback);
        }
        Command::Outbox(OutboxCommand::List) => {
            let items = s.outbox()?;
            ctx.out(&items, |items| {
                if items.is_empty() {
                    println!("(the outbox is empty)");
                }
                for i in items {
                    println!(
                        "{}  {:<9} {:<16} record {} rev {}  {}{}",
                        i.id,
                        i.state,
                        i.profile,
                        i.record_id,
                        i.revision,
                        i.created_at.format("%Y-%m-%d %H:%M UTC"),
                        i.amends
                            .as_deref()
                            .map(|a| format!("  amends {a}"))
                            .unwrap_or_default()
                    );
                }
            });
        }
        Command::Outbox(OutboxCommand::Show { item }) => {
            let snapshot = s.outbox_snapshot(&item)?;
            println!("{snapshot}");
        }
        Command::Init(_) | Command::Demo(_) | Command::Recover | Command::Restore { .. } => {
            unreachable!("handled before unlocking")
        }
    }
    Ok(())
}

fn record(ctx: &Ctx, s: &mut Session, cmd: RecordCommand) -> Result<(), HarborError> {
    match cmd {
        RecordCommand::Create { kind, file } => {
            let kind = parse_kind(&kind)?;
            let input = read_input(&file)?;
            let meta = s.create_record(kind, &input)?;
            ctx.out(&meta, |m| {
                println!(
                    "Created {} {} (entered the PSES {}).",
                    m.kind,
                    m.id,
                    m.created_at.format("%Y-%m-%d %H:%M UTC")
                )
            });
        }
        RecordCommand::Update { id, file } => {
            let input = read_input(&file)?;
            let meta = s.update_record(&id, &input)?;
            ctx.out(&meta, |m| {
                println!("Saved {} {}: revision {}.", m.kind, m.id, m.revision)
            });
        }
        RecordCommand::Show { id } => {
            let r = s.record(&id)?;
            ctx.out(&r, render::record);
        }
        RecordCommand::History { id } => {
            let h = s.history(&id)?;
            ctx.out(&h, render::history);
        }
        RecordCommand::Choices { id } => {
            let choices = s.record_choices(&id)?;
            ctx.out(&choices, |c| match c {
                None => {
                    println!("An original record (an imported ePCR): no PSES decision applies.")
                }
                Some(c) => {
                    for (open, what) in [
                        (c.promote, "promote to PSWP (`harbor promote`)"),
                        (c.drop_out, "drop out of the PSES (`harbor dropout`)"),
                        (c.send, "send in a case packet (`harbor packet export`)"),
                        (c.unqueue, "take back out of the queue (`harbor unqueue`)"),
                    ] {
                        println!("{}  {what}", if open { "yes" } else { "no " });
                    }
                    if let Some(note) = &c.note {
                        println!("{note}");
                    }
                }
            });
        }
        RecordCommand::SignOff { id } => {
            let meta = s.sign_off(&id)?;
            let who = s.user_name().to_owned();
            ctx.out(&meta, |m| {
                println!("Signed off {} as {who} (revision {}).", m.id, m.revision)
            });
        }
        RecordCommand::List(args) => {
            let query = ListQuery {
                kind: args.kind.as_deref().map(parse_kind).transpose()?,
                status: args.status,
                pses_state: args
                    .pses_state
                    .as_deref()
                    .map(harbor::parse_pses_state)
                    .transpose()?,
                since: args
                    .since
                    .as_deref()
                    .map(|t| parse_time(t, "since"))
                    .transpose()?,
                until: args
                    .until
                    .as_deref()
                    .map(|t| parse_time(t, "until"))
                    .transpose()?,
                limit: Some(args.limit),
                after: args.after,
            };
            let page = s.list(&query)?;
            ctx.out(&page, |p| {
                render::record_table(&p.items);
                if let Some(c) = &p.next_cursor {
                    println!("\nMore: --after {c}");
                }
            });
        }
        RecordCommand::Source { id } => {
            let xml = s.epcr_source(&id)?;
            ctx.out(&json!({"id": id, "xml": xml}), |_| println!("{xml}"));
        }
        RecordCommand::Template { .. } | RecordCommand::Schema { .. } => {
            unreachable!("handled before unlocking")
        }
    }
    Ok(())
}
