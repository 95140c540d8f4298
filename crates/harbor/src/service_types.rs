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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_service_schema_is_fresh() {
        let schema = schemars::schema_for!(ServiceTypes);
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
