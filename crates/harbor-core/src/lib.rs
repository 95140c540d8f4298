//! Harbor's domain core: the record types, the PSES state machine, roles and the actions
//! they permit, input validation against the generated JSON Schemas, canonical JSON and the
//! passphrase policy. No I/O lives here, so every rule is testable in isolation.

pub mod canonical;
pub mod deid;
pub mod disclosure;
pub mod error;
pub mod error_code;
pub mod merge;
pub mod passphrase;
pub mod policy;
pub mod profile_schema;
pub mod pses;
pub mod records;
pub mod roles;
pub mod schema;

pub use error::{CoreError, FieldError};
pub use error_code::ErrorCode;
pub use pses::{PsesError, PsesState, PsesTransition};
pub use records::{RecordBody, RecordKind};
pub use roles::{Action, Role};
