//! The error every command returns is the service's own [`HarborError`], sent to the UI as
//! it is (`{code, message, fields, retry_after_secs}`); the shell adds only the two codes
//! that are its own: `locked` and `internal`. The UI chooses its words from `code`;
//! nobody matches on `message`.

use harbor::{ErrorCode, HarborError};

/// The vault is locked: the UI goes back to the unlock screen.
pub fn locked() -> HarborError {
    HarborError::new(ErrorCode::Locked, "Harbor is locked: unlock it to go on.")
}

/// Something in the shell itself failed (a task stopped, a dialog closed).
pub fn internal(message: &str) -> HarborError {
    HarborError::new(ErrorCode::Internal, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ui_receives_the_service_error_as_it_is() {
        let json = serde_json::to_value(locked()).unwrap();
        assert_eq!(json["code"], "locked");
        assert_eq!(json["message"], "Harbor is locked: unlock it to go on.");
        assert_eq!(json["fields"], serde_json::json!([]));
        assert_eq!(json["retry_after_secs"], serde_json::Value::Null);
    }
}
