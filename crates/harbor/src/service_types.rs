//! The service's types as the desktop UI receives them, described once as a JSON Schema
//! (`schemas/harbor-service.schema.json`) from which `ui/scripts/gen-types.mjs` generates
//! the UI's TypeScript. A test keeps the schema fresh, and CI checks the generated
//! TypeScript against it, so a type changed here fails the UI's build until it follows.

use schemars::JsonSchema;

/// Every service type the UI names (the fields are only there to list them).
#[derive(JsonSchema)]
#[schemars(title = "HarborService")]
#[allow(dead_code)] // read by schemars only
pub(crate) struct ServiceTypes {
    error: crate::ErrorBody,
    record_choices: crate::RecordChoices,
    app_info: crate::AppInfo,
    opened: crate::Opened,
    record_meta: crate::RecordMeta,
    record: crate::Record,
    list_filters: crate::ListFilters,
    page: crate::Page,
    history: crate::History,
    attachment: crate::Attachment,
    saved_attachment: crate::SavedAttachment,
    status: crate::Status,
    dashboard: crate::Dashboard,
    import_progress: crate::ImportProgress,
    import_summary: crate::ImportSummary,
    promotion_preview: crate::PromotionPreview,
    outbox_item: crate::OutboxItem,
    submission_row: crate::SubmissionRow,
    submit_summary: crate::SubmitSummary,
    send_progress: crate::SendProgress,
    enrolment: crate::Enrolment,
    cadence: crate::Cadence,
    audit_entry: crate::AuditEntry,
    chain_report: crate::ChainReport,
    user: crate::User,
    disabled: crate::Disabled,
    rekey_outcome: crate::RekeyOutcome,
    settings_view: crate::SettingsView,
    desktop_settings: crate::DesktopSettings,
    trigger_rule: crate::EffectiveRule,
    draft: crate::Draft,
    device_info: crate::DeviceInfo,
    contact: crate::Contact,
    packet_summary: crate::PacketSummary,
    packet_written: crate::PacketWritten,
    packet_outcome: crate::PacketOutcome,
    received_record: crate::ReceivedRecord,
    conflict: crate::Conflict,
    conflict_record: crate::ConflictRecord,
    backup_summary: crate::BackupSummary,
    policy_view: crate::PolicyView,
    policy_version: crate::PolicyVersion,
    disclosure: crate::Disclosure,
    disclosure_input: crate::DisclosureInput,
    disclosure_filters: crate::DisclosureFilters,
    permission_info: crate::PermissionInfo,
    privilege_query: crate::PrivilegeQuery,
    privilege_log: crate::PrivilegeLog,
    privilege_log_written: crate::PrivilegeLogWritten,
    privilege_format: crate::PrivilegeFormat,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_service_schema_is_fresh() {
        // As the service serialises them: an `Option` is always there, `null` when empty
        // (so TypeScript reads `T | null`, not an optional field).
        let schema = schemars::generate::SchemaSettings::draft2020_12()
            .for_serialize()
            .into_generator()
            .into_root_schema_for::<ServiceTypes>();
        let text = serde_json::to_string_pretty(&schema).unwrap() + "\n";
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../schemas/harbor-service.schema.json");
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        if current != text {
            if std::env::var_os("UPDATE_GENERATED").is_some() {
                std::fs::write(&path, text).unwrap();
            } else {
                panic!(
                    "schemas/harbor-service.schema.json is stale: run `UPDATE_GENERATED=1 cargo test -p harbor generated` and `npm run gen:types` in ui/"
                );
            }
        }
    }
}
