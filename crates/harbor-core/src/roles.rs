//! Roles and the actions each may take. The service layer asks [`Role::permits`] before
//! every action; `docs/roles.md` is generated from [`matrix_markdown`] and a test fails
//! when it is stale.

use serde::{Deserialize, Serialize};

/// A user's role in the vault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Privacy / compliance officer: manages users, keys, backups and the audit trail.
    Admin,
    /// QA/QI coordinator: reviews calls, runs investigations, decides what goes to the PSO.
    QualityOfficer,
    /// Medical director: writes case notes, contributes to reviews and investigations.
    MedicalDirector,
    /// Reads records (peer reviewers, trainees).
    Reviewer,
}

impl Role {
    /// Every role, most privileged first.
    pub const ALL: [Role; 4] = [
        Role::Admin,
        Role::QualityOfficer,
        Role::MedicalDirector,
        Role::Reviewer,
    ];

    /// The role's name as written on the command line and in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::QualityOfficer => "quality_officer",
            Role::MedicalDirector => "medical_director",
            Role::Reviewer => "reviewer",
        }
    }

    /// Parses a role name.
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Whether this role may take `action`.
    pub fn permits(self, action: Action) -> bool {
        action.allowed_roles().contains(&self)
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Every action of the service API that a role check guards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Read one record, its history and its attachments' list.
    RecordRead,
    /// List records and search them.
    RecordList,
    /// Create a call review.
    CallReviewCreate,
    /// Change a call review (a new revision).
    CallReviewUpdate,
    /// Sign off a call review.
    CallReviewSignOff,
    /// Create a case note.
    CaseNoteCreate,
    /// Change a case note.
    CaseNoteUpdate,
    /// Create an investigation.
    InvestigationCreate,
    /// Change an investigation.
    InvestigationUpdate,
    /// Attach a file to a record.
    AttachmentAdd,
    /// Read an attachment's content (export it to a file).
    AttachmentExport,
    /// Drop a record out of the PSES.
    DropOut,
    /// Add a user.
    UserAdd,
    /// Disable a user.
    UserDisable,
    /// List users.
    UserList,
    /// Change one's own passphrase.
    PassphraseChange,
    /// Read the audit log.
    AuditRead,
    /// Verify the audit chain and the database's integrity.
    AuditVerify,
    /// Write an encrypted backup.
    Backup,
    /// Read and change vault settings (attachment size limit).
    Settings,
    /// Re-key the vault: a new data key for the database.
    VaultRekey,
    /// Import ePCRs from NEMSIS files.
    EpcrImport,
    /// Change the review trigger rules.
    TriggersChange,
    /// Promote records to PSWP (freeze and queue a snapshot for the PSO), or preview it.
    Promote,
    /// Take a queued snapshot back out of the outbox.
    Unqueue,
    /// Enrol with the PSO and submit the outbox to it.
    PsoSubmit,
    /// Add and remove the vaults this one exchanges case packets with.
    ContactManage,
    /// Export and import case packets, and resolve the conflicts they bring.
    PacketExchange,
    /// Read the PSES policy.
    PolicyRead,
    /// Adopt a new version of the PSES policy.
    PolicyAdopt,
    /// Record a disclosure made outside Harbor.
    DisclosureRecord,
    /// Read the disclosure log.
    DisclosureRead,
    /// Make the privilege log.
    PrivilegeLog,
}

impl Action {
    /// Every action, in the order of the documentation.
    pub const ALL: [Action; 33] = [
        Action::RecordRead,
        Action::RecordList,
        Action::CallReviewCreate,
        Action::CallReviewUpdate,
        Action::CallReviewSignOff,
        Action::CaseNoteCreate,
        Action::CaseNoteUpdate,
        Action::InvestigationCreate,
        Action::InvestigationUpdate,
        Action::AttachmentAdd,
        Action::AttachmentExport,
        Action::DropOut,
        Action::UserAdd,
        Action::UserDisable,
        Action::UserList,
        Action::PassphraseChange,
        Action::AuditRead,
        Action::AuditVerify,
        Action::Backup,
        Action::Settings,
        Action::VaultRekey,
        Action::EpcrImport,
        Action::TriggersChange,
        Action::Promote,
        Action::Unqueue,
        Action::PsoSubmit,
        Action::ContactManage,
        Action::PacketExchange,
        Action::PolicyRead,
        Action::PolicyAdopt,
        Action::DisclosureRecord,
        Action::DisclosureRead,
        Action::PrivilegeLog,
    ];

    /// The action's stable name (used in errors and in the audit log).
    pub fn as_str(self) -> &'static str {
        match self {
            Action::RecordRead => "record.read",
            Action::RecordList => "record.list",
            Action::CallReviewCreate => "call_review.create",
            Action::CallReviewUpdate => "call_review.update",
            Action::CallReviewSignOff => "call_review.sign_off",
            Action::CaseNoteCreate => "case_note.create",
            Action::CaseNoteUpdate => "case_note.update",
            Action::InvestigationCreate => "investigation.create",
            Action::InvestigationUpdate => "investigation.update",
            Action::AttachmentAdd => "attachment.add",
            Action::AttachmentExport => "attachment.export",
            Action::DropOut => "pses.drop_out",
            Action::UserAdd => "user.add",
            Action::UserDisable => "user.disable",
            Action::UserList => "user.list",
            Action::PassphraseChange => "user.passwd",
            Action::AuditRead => "audit.read",
            Action::AuditVerify => "audit.verify",
            Action::Backup => "vault.backup",
            Action::Settings => "vault.settings",
            Action::VaultRekey => "vault.rekey",
            Action::EpcrImport => "epcr.import",
            Action::TriggersChange => "triggers.change",
            Action::Promote => "pses.promote",
            Action::Unqueue => "pses.unqueue",
            Action::PsoSubmit => "pso.submit",
            Action::ContactManage => "contact.manage",
            Action::PacketExchange => "packet.exchange",
            Action::PolicyRead => "policy.read",
            Action::PolicyAdopt => "policy.adopt",
            Action::DisclosureRecord => "disclosure.record",
            Action::DisclosureRead => "disclosure.read",
            Action::PrivilegeLog => "privilege.log",
        }
    }

    /// What the action is, for the documentation.
    pub fn description(self) -> &'static str {
        match self {
            Action::RecordRead => "read a record, its history and its attachments' list",
            Action::RecordList => "list and search records",
            Action::CallReviewCreate => "create a call review",
            Action::CallReviewUpdate => "change a call review",
            Action::CallReviewSignOff => "sign off a call review",
            Action::CaseNoteCreate => "write a case note (a deliberation)",
            Action::CaseNoteUpdate => "change a case note",
            Action::InvestigationCreate => "open an investigation",
            Action::InvestigationUpdate => "change an investigation",
            Action::AttachmentAdd => "attach a file to a record",
            Action::AttachmentExport => "write an attachment out to a file",
            Action::DropOut => "drop a record out of the PSES (before reporting)",
            Action::UserAdd => "add a user",
            Action::UserDisable => "disable a user",
            Action::UserList => "list users",
            Action::PassphraseChange => "change one's own passphrase",
            Action::AuditRead => "read the audit log",
            Action::AuditVerify => "verify the audit chain and the vault's integrity",
            Action::Backup => "write an encrypted backup",
            Action::Settings => "read and change vault settings",
            Action::VaultRekey => {
                "re-key the vault, so that copies of the key slots made before no longer open it"
            }
            Action::EpcrImport => "import ePCRs from NEMSIS files (creates flagged call reviews)",
            Action::TriggersChange => "enable, disable and tune review triggers",
            Action::Promote => "promote records to PSWP for the PSO (and preview what would leave)",
            Action::Unqueue => "take a promoted snapshot back out of the outbox",
            Action::PsoSubmit => "enrol with the PSO and submit the outbox to it",
            Action::ContactManage => {
                "add and remove contacts: the vaults case packets go to and come from"
            }
            Action::PacketExchange => {
                "send records to a contact in a case packet, import packets, resolve their conflicts"
            }
            Action::PolicyRead => "read the PSES policy and its versions",
            Action::PolicyAdopt => "adopt a new version of the PSES policy",
            Action::DisclosureRecord => "record a disclosure of PSWP made outside Harbor",
            Action::DisclosureRead => "read the disclosure log",
            Action::PrivilegeLog => {
                "make the privilege log (every PSES fact of the records, none of their content)"
            }
        }
    }

    /// The roles that may take the action.
    pub fn allowed_roles(self) -> &'static [Role] {
        use Role::*;
        match self {
            Action::RecordRead
            | Action::RecordList
            | Action::PassphraseChange
            | Action::PolicyRead => &[Admin, QualityOfficer, MedicalDirector, Reviewer],
            Action::CallReviewCreate
            | Action::InvestigationCreate
            | Action::DropOut
            | Action::EpcrImport
            | Action::TriggersChange
            | Action::Promote
            | Action::Unqueue
            | Action::PsoSubmit
            | Action::DisclosureRecord
            | Action::DisclosureRead
            | Action::PrivilegeLog => &[Admin, QualityOfficer],
            Action::CallReviewUpdate
            | Action::CallReviewSignOff
            | Action::InvestigationUpdate
            | Action::AttachmentAdd
            | Action::AttachmentExport
            | Action::ContactManage
            | Action::PacketExchange => &[Admin, QualityOfficer, MedicalDirector],
            // A case note is the medical director's own deliberation.
            Action::CaseNoteCreate | Action::CaseNoteUpdate => &[MedicalDirector],
            Action::AuditRead | Action::AuditVerify => &[Admin, QualityOfficer],
            Action::UserAdd
            | Action::UserDisable
            | Action::UserList
            | Action::Backup
            | Action::Settings
            | Action::VaultRekey
            | Action::PolicyAdopt => &[Admin],
        }
    }
}

impl std::fmt::Display for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The role matrix as a Markdown document (the body of `docs/roles.md`).
pub fn matrix_markdown() -> String {
    let mut out = String::from(
        "# Who may do what\n\n\
         Generated from `crates/harbor-core/src/roles.rs` (`UPDATE_GENERATED=1 cargo test -p harbor-core generated`); a test fails \
         when this file is stale. The service layer checks the acting user's role before every \
         action, whichever face (CLI or desktop) asked. Creating or editing an `epcr` reference \
         by hand is refused for every role: it is an original record, filled only by the \
         NEMSIS import.\n\n| action | what |",
    );
    for role in Role::ALL {
        out.push_str(&format!(" {} |", role.as_str()));
    }
    out.push_str("\n|---|---|");
    for _ in Role::ALL {
        out.push_str(":-:|");
    }
    out.push('\n');
    for action in Action::ALL {
        out.push_str(&format!(
            "| `{}` | {} |",
            action.as_str(),
            action.description()
        ));
        for role in Role::ALL {
            out.push_str(if role.permits(action) {
                " yes |"
            } else {
                " no |"
            });
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_is_listed_once_and_allowed_to_someone() {
        let mut names: Vec<_> = Action::ALL.iter().map(|a| a.as_str()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), Action::ALL.len());
        for action in Action::ALL {
            assert!(
                !action.allowed_roles().is_empty(),
                "{action} allowed to nobody"
            );
        }
    }

    #[test]
    fn reviewers_only_read_and_case_notes_are_the_medical_directors() {
        for action in Action::ALL {
            let expected = matches!(
                action,
                Action::RecordRead
                    | Action::RecordList
                    | Action::PassphraseChange
                    | Action::PolicyRead
            );
            assert_eq!(Role::Reviewer.permits(action), expected, "{action}");
        }
        assert!(Role::MedicalDirector.permits(Action::CaseNoteCreate));
        assert!(!Role::Admin.permits(Action::CaseNoteCreate));
        assert!(!Role::QualityOfficer.permits(Action::UserAdd));
    }
}
