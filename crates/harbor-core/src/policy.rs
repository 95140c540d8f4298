//! The PSES policy: the agency's written description of its Patient Safety Evaluation
//! System, which a court asks for when privilege is challenged. The vault keeps every
//! adopted version; this module holds Harbor's template and the rules a text must meet.

/// Harbor's template: a description of Harbor's own PSES with placeholders (`{{NAME}}`)
/// for what only the agency knows. A new vault adopts it as version 1.
pub const TEMPLATE: &str = include_str!("pses_policy_template.md");

/// The longest policy text accepted, in bytes (a policy is a few pages).
pub const MAX_BYTES: usize = 256 * 1024;

/// The placeholders (`{{NAME}}`) left in `text`, each once, in order of appearance.
pub fn placeholders(text: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        let name = &after[..end];
        if !name.is_empty()
            && name.len() <= 64
            && name
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        {
            if !found.iter().any(|f| f == name) {
                found.push(name.to_owned());
            }
            rest = &after[end + 2..];
        } else {
            rest = after;
        }
    }
    found
}

/// Why a text cannot be adopted as the policy, in words for the person.
pub fn check(text: &str) -> Result<(), String> {
    if text.trim().is_empty() {
        return Err(
            "the policy is empty: write the agency's PSES policy (Markdown or plain text)".into(),
        );
    }
    if text.len() > MAX_BYTES {
        return Err(format!(
            "the policy is {} bytes, over the limit of {MAX_BYTES} bytes: a policy is a few pages of text; keep attachments out of it",
            text.len()
        ));
    }
    if let Some((line, c)) = text.lines().enumerate().find_map(|(i, l)| {
        l.chars()
            .find(|c| c.is_control() && *c != '\t')
            .map(|c| (i + 1, c))
    }) {
        return Err(format!(
            "the policy has a control character (U+{:04X}) on line {line}: save it as plain UTF-8 text",
            c as u32
        ));
    }
    let left = placeholders(text);
    if !left.is_empty() {
        return Err(format!(
            "the policy still has the template's placeholders {}: replace each with the agency's own words",
            left.iter()
                .map(|p| format!("{{{{{p}}}}}"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_names_its_placeholders_and_is_refused_until_they_are_replaced() {
        let left = placeholders(TEMPLATE);
        assert_eq!(
            left,
            [
                "AGENCY_NAME",
                "PSO_NAME",
                "VAULT_COMPUTERS",
                "REPORTING_CADENCE",
                "POLICY_OWNER"
            ]
        );
        let err = check(TEMPLATE).unwrap_err();
        assert!(err.contains("{{AGENCY_NAME}}"), "{err}");
        let mut filled = TEMPLATE.to_owned();
        for p in &left {
            filled = filled.replace(&format!("{{{{{p}}}}}"), "x");
        }
        assert_eq!(check(&filled), Ok(()));
    }

    #[test]
    fn empty_oversized_and_binary_texts_are_refused_with_words() {
        assert!(check(" \n\t").unwrap_err().contains("empty"));
        let big = "a".repeat(MAX_BYTES + 1);
        assert!(check(&big).unwrap_err().contains("over the limit"));
        let nul = "line one\nline\u{0} two";
        assert!(
            check(nul).unwrap_err().contains("U+0000) on line 2"),
            "{}",
            check(nul).unwrap_err()
        );
        assert!(check("ok\r\nCRLF is fine\r\n\ttabs too").is_ok());
        // Braces that are not a placeholder stay text.
        assert!(check("a {{lower}} and {{ spaced }} and {{").is_ok());
    }
}
