//! The command line: what `harbor --help` shows.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// Harbor: the agency's Patient Safety Evaluation System, in an encrypted local vault.
///
/// Secrets are never taken as arguments. The passphrase comes from an interactive prompt
/// without echo, or for scripts from HARBOR_PASSPHRASE or --passphrase-file. Exit codes are
/// listed in docs/cli.md.
#[derive(Debug, Parser)]
#[command(name = "harbor", version, max_term_width = 100)]
pub struct Cli {
    /// The vault folder.
    #[arg(long, global = true, env = "HARBOR_VAULT", value_name = "DIR")]
    pub vault: Option<PathBuf>,
    /// The acting user.
    #[arg(long, global = true, env = "HARBOR_USER", value_name = "NAME")]
    pub user: Option<String>,
    /// Read the passphrase from this file (first line) instead of a prompt.
    #[arg(long, global = true, value_name = "FILE")]
    pub passphrase_file: Option<PathBuf>,
    /// Print JSON for scripts instead of text.
    #[arg(long, global = true)]
    pub json: bool,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a vault in a new or empty folder with its first administrator; shows the
    /// recovery code once.
    Init(InitArgs),
    /// Demo material: a demo vault, or synthetic NEMSIS documents.
    #[command(subcommand)]
    Demo(DemoCommand),
    /// Import ePCRs from NEMSIS v3.5 EMSDataSet files and folders.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Show or change the review trigger rules.
    #[command(subcommand)]
    Triggers(TriggersCommand),
    /// Forgot a passphrase: unlock with the recovery code and set a new passphrase for
    /// --user (code from a prompt or HARBOR_RECOVERY_CODE, new passphrase from a prompt or
    /// HARBOR_NEW_PASSPHRASE). A new recovery code replaces the old one, and the vault is
    /// re-keyed so that the old code opens nothing current.
    Recover,
    /// Change your own passphrase (new one from a prompt or HARBOR_NEW_PASSPHRASE).
    Passwd,
    /// Manage users (administrators).
    #[command(subcommand)]
    User(UserCommand),
    /// Create, change, read and list records.
    #[command(subcommand)]
    Record(RecordCommand),
    /// Full-text search over every record.
    Search {
        /// Words to look for (all must match; the last may be a prefix).
        query: String,
        /// At most this many results.
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Attach a file to a record (stored encrypted inside the vault).
    Attach {
        /// The record.
        id: String,
        /// The file.
        file: PathBuf,
    },
    /// List or export attachments.
    #[command(subcommand)]
    Attachment(AttachmentCommand),
    /// Drop a record out of the PSES before it is reported (dated, with a reason).
    Dropout {
        /// The record.
        id: String,
        /// Why (kept in the record's PSES ledger).
        #[arg(long)]
        reason: String,
    },
    /// Promote records to Patient Safety Work Product and queue them for the PSO.
    ///
    /// Shows, field by field, what would leave and what is removed or generalised, then
    /// asks for confirmation (or takes --yes in scripts). --dry-run only shows.
    Promote {
        /// The records, chosen one by one (deliberations are never swept in).
        #[arg(required = true)]
        ids: Vec<String>,
        /// identifiable (the record as it is) or nonidentifiable (identifiers removed,
        /// dates to the year, free text withheld unless scrubbed).
        #[arg(long)]
        profile: String,
        /// Only show what would leave.
        #[arg(long)]
        dry_run: bool,
        /// JSON file of scrubbed free text: {"RECORD_ID": {"/json/pointer": "text"}}.
        #[arg(long, value_name = "FILE")]
        scrubbed: Option<PathBuf>,
        /// Confirm without a prompt (for scripts).
        #[arg(long)]
        yes: bool,
    },
    /// Take a promoted record's snapshot back out of the outbox (logged).
    Unqueue {
        /// The record.
        id: String,
        /// Why (kept in the record's PSES ledger).
        #[arg(long)]
        reason: String,
    },
    /// What the PSES holds now and when the next submission to the PSO is due.
    Status,
    /// Send everything queued to the PSO as one submission (or resume the interrupted one).
    Submit,
    /// List submissions to the PSO and their state.
    Submissions,
    /// Settings of the PSO connection.
    #[command(subcommand)]
    Pso(PsoCommand),
    /// The outbox: promoted snapshots and their state.
    #[command(subcommand)]
    Outbox(OutboxCommand),
    /// Read or verify the audit chain.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Check the vault: every page's authentication, database integrity, audit chain.
    #[command(subcommand)]
    Vault(VaultCommand),
    /// Write an encrypted, restorable backup of the vault.
    Backup {
        /// The backup file to write (must not exist).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Restore a backup into a new folder (--vault), opened with --user's passphrase or
    /// the recovery code.
    Restore {
        /// The backup file.
        file: PathBuf,
        /// Open it with the recovery code instead of --user's passphrase (code from a
        /// prompt or HARBOR_RECOVERY_CODE; --user gets a new passphrase from a prompt or
        /// HARBOR_NEW_PASSPHRASE, and a new recovery code is printed).
        #[arg(long)]
        recovery: bool,
    },
    /// Show or change vault settings (administrators).
    #[command(subcommand)]
    Settings(SettingsCommand),
    /// The agency's PSES policy: read it (everyone), adopt a new version (administrators).
    /// Every version is kept with its date, adopter and hash.
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// The disclosure log: every disclosure of PSWP (packets, submissions, attachments
    /// written out, backups) and those made outside Harbor, recorded here.
    #[command(subcommand)]
    Disclosure(DisclosureCommand),
    /// The privilege log for counsel: every PSES fact of the records, none of their content.
    #[command(subcommand)]
    Privilege(PrivilegeCommand),
    /// This vault's device identity for case packets.
    #[command(subcommand)]
    Device(DeviceCommand),
    /// The vaults case packets go to and come from.
    #[command(subcommand)]
    Contact(ContactCommand),
    /// Case packets: records sent to a contact's vault and back, with no server between.
    #[command(subcommand)]
    Packet(PacketCommand),
    /// Edits that arrived in a packet on an older revision, kept until a person decides.
    #[command(subcommand)]
    Conflicts(ConflictsCommand),
}

/// `harbor packet ...`.
#[derive(Debug, Subcommand)]
pub enum PacketCommand {
    /// Write a packet for a contact: the records signed by this vault and encrypted to the
    /// contact's. Each record carried gets a dated disclosure entry in its PSES ledger.
    Export {
        /// The contact it is for.
        #[arg(long)]
        to: String,
        /// The records to send.
        #[arg(long, num_args = 1.., required_unless_present = "reply_to", conflicts_with = "reply_to")]
        records: Vec<String>,
        /// Reply to a received packet: its records changed here and the records written
        /// here that refer to them (case notes).
        #[arg(long, value_name = "PACKET_ID")]
        reply_to: Option<String>,
        /// Also send the records' attachments.
        #[arg(long)]
        with_attachments: bool,
        /// Why the records go (entered on every record).
        #[arg(long, default_value = "case review by the medical director")]
        purpose: String,
        /// The packet file to write (must not exist).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Import a packet from a contact. Refused, with nothing imported, when damaged, for
    /// another vault or from an unknown sender; importing it again changes nothing.
    Import {
        /// The packet file.
        file: PathBuf,
    },
    /// The records received in packets, with where they came from.
    Received,
}

/// `harbor conflicts ...`.
#[derive(Debug, Subcommand)]
pub enum ConflictsCommand {
    /// List conflicts: the incoming edit beside this vault's current revision.
    List {
        /// Include resolved ones.
        #[arg(long)]
        all: bool,
    },
    /// Resolve a conflict: keep this vault's revision, or take the incoming edit as a new
    /// revision.
    Resolve {
        /// The conflict.
        id: String,
        /// `current` or `theirs`.
        #[arg(long, value_parser = ["current", "theirs"])]
        keep: String,
    },
}

/// `harbor device ...`.
#[derive(Debug, Subcommand)]
pub enum DeviceCommand {
    /// Print this vault's identity (one line to give the other vault) and its fingerprint
    /// (to read aloud and compare).
    Show,
}

/// `harbor contact ...`.
#[derive(Debug, Subcommand)]
pub enum ContactCommand {
    /// Add a contact from the identity line `harbor device show` printed on its vault.
    /// Compare the fingerprint this prints with the one shown there before relying on it.
    Add {
        /// A name for it, e.g. dr.okafor-laptop (letters, digits, '.', '-', '_').
        name: String,
        /// Its identity line (starts with 'harbor1.').
        identity: String,
    },
    /// List contacts.
    List,
    /// Remove a contact: packets from it are refused from now on.
    Remove {
        /// The contact's name.
        name: String,
    },
}

/// `harbor init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The first administrator's user name.
    #[arg(long, value_name = "NAME")]
    pub admin: String,
    /// Argon2id memory in KiB for key slots (default 65536; at least 19456).
    #[arg(long, value_name = "KIB")]
    pub kdf_memory_kib: Option<u32>,
    /// Argon2id iterations (default 3; at least 2).
    #[arg(long, value_name = "N")]
    pub kdf_iterations: Option<u32>,
    /// Argon2id lanes (default 4).
    #[arg(long, value_name = "N")]
    pub kdf_parallelism: Option<u32>,
}

/// `harbor user ...`.
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user (their passphrase from a prompt or HARBOR_NEW_PASSPHRASE).
    Add {
        /// The new user's name.
        name: String,
        /// admin, quality_officer, medical_director or reviewer.
        #[arg(long)]
        role: String,
    },
    /// List users.
    List,
    /// Disable a user: their key slot is removed and the vault is re-keyed (backups and
    /// copies of keyslots.json made before still open with the old slots).
    Disable {
        /// The user to disable.
        name: String,
    },
}

/// `harbor record ...`.
#[derive(Debug, Subcommand)]
pub enum RecordCommand {
    /// Print a filled-in example of a record kind that validates.
    Template {
        /// call_review, case_note, investigation or epcr.
        kind: String,
    },
    /// Print the JSON Schema of a record kind.
    Schema {
        /// call_review, case_note, investigation or epcr.
        kind: String,
    },
    /// Create a record from a JSON file ('-' for standard input).
    Create {
        /// call_review, case_note or investigation.
        kind: String,
        /// The JSON body.
        #[arg(long, value_name = "FILE")]
        file: PathBuf,
    },
    /// Save a new revision of a record from a JSON file ('-' for standard input).
    Update {
        /// The record.
        id: String,
        /// The whole new JSON body.
        #[arg(long, value_name = "FILE")]
        file: PathBuf,
    },
    /// Show a record.
    Show {
        /// The record.
        id: String,
    },
    /// List records, newest first, one page at a time.
    List(ListArgs),
    /// Show every revision and PSES event of a record.
    History {
        /// The record.
        id: String,
    },
    /// Show the PSES decisions you may take on a record now (promote, drop out, send,
    /// unqueue), and why the others are not open.
    Choices {
        /// The record.
        id: String,
    },
    /// Sign off a call review as yourself.
    SignOff {
        /// The call review.
        id: String,
    },
    /// Print the original NEMSIS XML of an imported ePCR.
    Source {
        /// The epcr record.
        id: String,
    },
}

/// `harbor demo ...`.
#[derive(Debug, Subcommand)]
pub enum DemoCommand {
    /// Create a demo vault with sample users, records and imported synthetic ePCRs.
    Vault {
        /// Where to create it (must be new or empty).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// How many synthetic calls to import.
        #[arg(long, default_value_t = 200)]
        calls: usize,
    },
    /// Write synthetic NEMSIS 3.5.1 EMSDataSet documents that read like real calls.
    GenerateNemsis {
        /// How many patient care reports.
        #[arg(long, default_value_t = 100)]
        count: usize,
        /// Seed: the same seed writes the same documents.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Reports per file.
        #[arg(long, default_value_t = 1)]
        per_file: usize,
        /// The folder to write into (created if missing).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
}

/// `harbor import ...`.
#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Import NEMSIS v3.5.0/3.5.1 EMSDataSet XML files (folders are searched for *.xml).
    Nemsis {
        /// Files or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Which calls get a call review: triggered (by the trigger rules), all, or none.
        #[arg(long, default_value = "triggered")]
        review: String,
        /// Also review a random share of the calls no rule flagged, e.g. 5%.
        #[arg(long, value_name = "PERCENT")]
        sample: Option<String>,
    },
}

/// `harbor triggers ...`.
#[derive(Debug, Subcommand)]
pub enum TriggersCommand {
    /// List the rules, whether they run, what they read and their parameters.
    List,
    /// Enable, disable or tune a rule.
    Set {
        /// The rule id (see `harbor triggers list`).
        rule: String,
        /// Turn the rule on.
        #[arg(long, conflicts_with = "disable")]
        enable: bool,
        /// Turn the rule off.
        #[arg(long)]
        disable: bool,
        /// A parameter, NAME=VALUE (code lists comma-separated); repeat for several.
        #[arg(long = "param", value_name = "NAME=VALUE")]
        params: Vec<String>,
    },
}

/// Filters of `harbor record list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only this kind.
    #[arg(long)]
    pub kind: Option<String>,
    /// Only this workflow status (e.g. in_progress).
    #[arg(long)]
    pub status: Option<String>,
    /// Only this PSES state (in_pses, queued, reported, dropped_out, original_record).
    #[arg(long)]
    pub pses_state: Option<String>,
    /// Created on or after (YYYY-MM-DD or RFC 3339).
    #[arg(long)]
    pub since: Option<String>,
    /// Created before (YYYY-MM-DD or RFC 3339).
    #[arg(long)]
    pub until: Option<String>,
    /// Page size.
    #[arg(long, default_value_t = 50)]
    pub limit: u32,
    /// The cursor printed after the previous page.
    #[arg(long, value_name = "CURSOR")]
    pub after: Option<String>,
}

/// `harbor attachment ...`.
#[derive(Debug, Subcommand)]
pub enum AttachmentCommand {
    /// List a record's attachments.
    List {
        /// The record.
        id: String,
    },
    /// Write an attachment to a new file.
    Get {
        /// The attachment.
        attachment_id: String,
        /// The file to write (must not exist).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
}

/// `harbor audit ...`.
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Show the audit log.
    Log {
        /// Only rows after this sequence number.
        #[arg(long)]
        after: Option<i64>,
        /// At most this many rows.
        #[arg(long, default_value_t = 100)]
        limit: u32,
    },
    /// Check the whole chain; names the first bad row.
    Verify,
}

/// `harbor pso ...`.
#[derive(Debug, Subcommand)]
pub enum PsoCommand {
    /// Enrol with a PSO: fetch and pin its keys, register the agency's signing key.
    Enroll {
        /// The PSO's URL (https; plain http only to this computer).
        #[arg(long)]
        url: String,
        /// The enrolment token the PSO gave the agency.
        #[arg(long, env = "HARBOR_PSO_TOKEN", hide_env_values = true)]
        token: String,
        /// A CA certificate (PEM) to trust for this PSO, e.g. its self-signed certificate.
        #[arg(long, value_name = "FILE")]
        ca_cert: Option<PathBuf>,
    },
    /// How often the agency submits to its PSO: monthly, weekly or a number of days.
    Cadence {
        /// monthly, weekly or DAYS.
        every: String,
    },
    /// The PSO's aggregate feedback: this agency's reported events by kind, event type,
    /// harm and EMS category, beside the other agencies' (counts under 11, from fewer
    /// than 3 agencies, or that would reveal one are hidden).
    Feedback,
}

/// `harbor outbox ...`.
#[derive(Debug, Subcommand)]
pub enum OutboxCommand {
    /// List outbox items, newest first.
    List,
    /// Print an item's frozen snapshot: exactly the canonical JSON that will leave.
    Show {
        /// The outbox item id.
        item: String,
    },
}

/// `harbor vault ...`.
#[derive(Debug, Subcommand)]
pub enum VaultCommand {
    /// Check every page, the database's integrity and the audit chain.
    Check,
    /// Re-key the vault (admin): a new random data key for the database, sealed to every
    /// remaining key slot without their passphrases. Copies of keyslots.json and backups
    /// made before keep opening with the old slots; the vault itself no longer does.
    /// Refused while another process (the desktop app) has the vault open.
    Rekey {
        /// Remove slots made before re-keying existed instead of refusing: their users
        /// then need a new passphrase through `harbor recover`, and an old recovery slot is
        /// replaced by a new recovery code (printed once).
        #[arg(long)]
        drop_old_slots: bool,
    },
}

/// `harbor policy ...`.
#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Print the policy's text (the version in force, or --version N) on standard output;
    /// its version, date, adopter and hash go to standard error. To edit it:
    /// `harbor policy show > policy.md`, edit, `harbor policy set --file policy.md`.
    Show {
        /// The version to show (see `harbor policy list`).
        #[arg(long)]
        version: Option<i64>,
    },
    /// List every version: number, adoption date, adopter, hash.
    List,
    /// Adopt the text of FILE (UTF-8 Markdown or plain text, every {{PLACEHOLDER}} of the
    /// template replaced) as the next version, in force from now (administrators).
    Set {
        /// The policy's file.
        #[arg(long, value_name = "FILE")]
        file: PathBuf,
    },
}

/// `harbor disclosure ...`.
#[derive(Debug, Subcommand)]
pub enum DisclosureCommand {
    /// Record a disclosure made outside Harbor (administrators, quality officers): which
    /// records, to whom, under which permission of 42 CFR 3.206, when.
    Record {
        /// The records disclosed.
        #[arg(required = true)]
        ids: Vec<String>,
        /// To whom (a person or an organisation).
        #[arg(long)]
        to: String,
        /// The permission it was made under (`harbor disclosure exceptions` lists them).
        #[arg(long)]
        exception: String,
        /// When it was made: YYYY-MM-DD or an RFC 3339 time (not in the future).
        #[arg(long)]
        date: String,
        /// What was disclosed and why, in a few words (no patient details).
        #[arg(long)]
        note: Option<String>,
    },
    /// List disclosures, oldest first (administrators, quality officers).
    List {
        /// Only those of this record.
        #[arg(long)]
        record: Option<String>,
        /// Made on or after this date (YYYY-MM-DD or RFC 3339).
        #[arg(long)]
        since: Option<String>,
        /// Made on or before this date.
        #[arg(long)]
        until: Option<String>,
    },
    /// The permissions a disclosure may be made under, with their citations.
    Exceptions,
}

/// `harbor privilege ...`.
#[derive(Debug, Subcommand)]
pub enum PrivilegeCommand {
    /// Write the privilege log (administrators, quality officers): for each record in
    /// scope, in date order, its entry into the PSES (and the policy version in force),
    /// revisions, drop-out, promotion, disclosures and reporting with the PSO's receipt.
    /// Records are described by id, kind, dates and hashes only.
    Log {
        /// These records.
        #[arg(long, num_args = 1.., conflicts_with_all = ["since", "until", "all"])]
        records: Vec<String>,
        /// The records that entered the PSES on or after this date (YYYY-MM-DD or RFC 3339).
        #[arg(long, conflicts_with = "all")]
        since: Option<String>,
        /// ... and on or before this date.
        #[arg(long, conflicts_with = "all")]
        until: Option<String>,
        /// Every record in the PSES.
        #[arg(long)]
        all: bool,
        /// csv (one row per fact), pdf (for a court) or json.
        #[arg(long)]
        format: String,
        /// The file to write (must not exist).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
}

/// `harbor settings ...`.
#[derive(Debug, Subcommand)]
pub enum SettingsCommand {
    /// Show every setting.
    Show,
    /// Change a setting.
    Set {
        /// The setting.
        key: String,
        /// Its new value.
        value: String,
    },
}
