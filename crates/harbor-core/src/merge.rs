//! How a record that arrives in a case packet meets this vault's copy of it: the same,
//! an edit of the revision this vault holds (it becomes the next revision), or an edit of
//! an older one (kept beside the current revision as a conflict for a person to decide).

/// What to do with an incoming revision of a record this vault has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Merge {
    /// Its body is the current one: nothing to do.
    Unchanged,
    /// It was made on this vault's current revision: it becomes the next revision.
    Edit,
    /// It was made on another revision: kept as a conflict, the current one stands.
    Conflict,
}

/// Decides how an incoming body, made on the revision whose hash is `incoming_base` (none
/// for a record the sender did not receive from here), meets this vault's current
/// revision (`current_hash`, `current_body`).
pub fn merge(
    current_hash: &str,
    current_body: &serde_json::Value,
    incoming_base: Option<&str>,
    incoming_body: &serde_json::Value,
) -> Merge {
    if current_body == incoming_body {
        Merge::Unchanged
    } else if incoming_base == Some(current_hash) {
        Merge::Edit
    } else {
        Merge::Conflict
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_edit_counts_only_when_made_on_the_current_revision() {
        let (a, b) = (json!({"x": 1}), json!({"x": 2}));
        assert_eq!(merge("h2", &a, Some("h1"), &a), Merge::Unchanged);
        assert_eq!(merge("h2", &a, Some("h2"), &b), Merge::Edit);
        assert_eq!(merge("h2", &a, Some("h1"), &b), Merge::Conflict);
        assert_eq!(merge("h2", &a, None, &b), Merge::Conflict);
    }
}
