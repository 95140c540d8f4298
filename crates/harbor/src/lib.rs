//! Harbor's service API: one unlocked [`Session`] whose methods are the product's actions.
//!
//! The `harbor` CLI and the desktop shell call this crate and nothing below it. Every
//! method checks the acting user's role here, in the service layer, before it touches the
//! vault; the vault writes each action's audit row in the same transaction as the change.

mod decisions;
pub mod demo;
pub mod desktop;
mod devices;
mod disclosures;
mod error;
mod import;
mod input;
mod packets;
mod policy;
mod privilege;
mod privilege_pdf;
mod process;
mod promote;
mod service_types;
mod session;
mod status;
mod sync;

pub use decisions::RecordChoices;
pub use desktop::{
    AppInfo, Dashboard, DesktopSettings, Draft, ListFilters, Opened, PacketWritten,
    SavedAttachment, SendProgress, Series, SessionInfo, SettingsView,
};
pub use devices::DeviceInfo;
pub use disclosures::{
    DisclosureFilters, DisclosureInput, PermissionInfo, disclosure_permissions, parse_permission,
    parse_until, parse_when,
};
pub use error::{ErrorBody, ErrorCode, HarborError};
pub use harbor_core::disclosure::{Channel, Permission};
pub use harbor_core::{
    Action, FieldError, PsesState, RecordKind, Role,
    deid::{ReportLine, Treatment},
};
pub use harbor_nemsis::triggers::{EffectiveRule, TriggerConfig};
pub use harbor_protocol::{Feedback, FeedbackCounts};
pub use harbor_vault::outbox::{Counts, OutboxItem, SubmissionRow};
pub use harbor_vault::packets::{Conflict, PacketOutcome, Received};
pub use harbor_vault::rekey::RekeyOutcome;
pub use harbor_vault::{
    KdfParams, Passphrase, RecoveryCode, SCHEMA_VERSION,
    attachments::Attachment,
    audit::{AuditEntry, AuditQuery, BadRow, ChainReport},
    backup::BackupSummary,
    contacts::Contact,
    disclosures::Disclosure,
    policy::{Policy, PolicyVersion},
    records::{History, ListQuery, Page, PsesEvent, Record, RecordMeta, Revision},
    users::User,
};
pub use import::{FileFailure, ImportOptions, ImportProgress, ImportSummary, ReviewMode};
pub use input::{
    parse_pses_state, parse_record_json, parse_record_kind, parse_role, record_schema,
    record_template,
};
pub use packets::{
    ConflictRecord, Keep, MAX_PACKET_BYTES, PacketChoice, PacketSummary, ReceivedRecord,
};
pub use policy::PolicyView;
pub use privilege::{
    AuditStatement, BackupStatement, CSV_COLUMNS, FactKind, PRIVILEGE_LOG_FORMAT, PrivilegeFact,
    PrivilegeFormat, PrivilegeLog, PrivilegeLogWritten, PrivilegeQuery, PrivilegeRecord,
    PrivilegeScope, PsoAnchor,
};
pub use process::{prepare_process, warm_up_tls};
pub use promote::{Profile, PromotionPreview};
pub use session::{
    Disabled, Recovered, RekeyStatus, RestoreWith, Session, Setting, init, recover, restore, unlock,
};
pub use status::{Cadence, Status};
pub use sync::{Enrolment, PsoConfig, SubmitSummary};

/// Result type of the service API.
pub type Result<T, E = HarborError> = std::result::Result<T, E>;
