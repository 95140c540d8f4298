//! The passphrase policy (NIST SP 800-63B): at least 12 characters, no composition rules,
//! and not a commonly used, repetitive, sequential or context-specific passphrase.

/// The shortest passphrase Harbor accepts, in characters.
pub const MIN_CHARS: usize = 12;
/// The longest passphrase Harbor accepts, in characters (to bound the work of hashing).
pub const MAX_CHARS: usize = 1024;

const BLOCKLIST: &str = include_str!("common_passwords.txt");

/// Short words that, with digits or symbols around them, make a common passphrase
/// ("Password2026!", "!!Welcome123").
const COMMON_BASES: &[&str] = &[
    "password",
    "passw0rd",
    "p@ssw0rd",
    "p@ssword",
    "qwerty",
    "letmein",
    "welcome",
    "admin",
    "administrator",
    "iloveyou",
    "changeme",
    "monkey",
    "dragon",
    "sunshine",
    "football",
    "baseball",
    "princess",
    "master",
    "shadow",
    "superman",
    "batman",
    "trustno1",
    "harbor",
    "ambulance",
    "paramedic",
    "medic",
    "emergency",
    "abc",
    "abcdef",
];

/// Why a passphrase is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PassphraseRejected {
    /// Fewer than [`MIN_CHARS`] characters.
    #[error(
        "the passphrase is too short: use at least {MIN_CHARS} characters (a few words make a good one)"
    )]
    TooShort,
    /// More than [`MAX_CHARS`] characters.
    #[error("the passphrase is too long: use at most {MAX_CHARS} characters")]
    TooLong,
    /// On the list of common passphrases, or a common word with digits around it.
    #[error(
        "the passphrase is too common: it appears in lists of breached passwords; choose another"
    )]
    Common,
    /// One or two characters repeated, or a run such as "abcdefghijkl" or "987654321098".
    #[error("the passphrase is repetitive or sequential: choose one that is harder to guess")]
    Repetitive,
    /// Made of the user name or the product name.
    #[error("the passphrase is built from the user name or the word 'harbor': choose another")]
    ContextSpecific,
}

/// Checks `passphrase` for `user_name` against the policy.
pub fn check(passphrase: &str, user_name: &str) -> Result<(), PassphraseRejected> {
    let chars = passphrase.chars().count();
    if chars < MIN_CHARS {
        return Err(PassphraseRejected::TooShort);
    }
    if chars > MAX_CHARS {
        return Err(PassphraseRejected::TooLong);
    }
    let lower = passphrase.to_lowercase();
    if BLOCKLIST
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .any(|l| l == lower)
    {
        return Err(PassphraseRejected::Common);
    }
    let core = lower.trim_matches(|c: char| !c.is_alphabetic());
    if COMMON_BASES.contains(&core) {
        return Err(PassphraseRejected::Common);
    }
    if is_repetitive_or_sequential(&lower) {
        return Err(PassphraseRejected::Repetitive);
    }
    let user = user_name.to_lowercase();
    let without_context = lower.replace("harbor", "");
    let without_context = if user.chars().count() >= 3 {
        without_context.replace(&user, "")
    } else {
        without_context
    };
    if without_context
        .chars()
        .filter(|c| c.is_alphanumeric())
        .count()
        < 6
    {
        return Err(PassphraseRejected::ContextSpecific);
    }
    Ok(())
}

fn is_repetitive_or_sequential(s: &str) -> bool {
    let chars: Vec<char> = s.chars().collect();
    let mut distinct = chars.clone();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() <= 2 {
        return true;
    }
    let steps: Vec<i64> = chars
        .windows(2)
        .map(|w| i64::from(u32::from(w[1])) - i64::from(u32::from(w[0])))
        .collect();
    // "abcdefghijkl", "987654321098" (digits wrap around 0/9).
    steps
        .iter()
        .all(|&d| d == 1 || d == -9 || d == i64::from(b'0') - i64::from(b'9'))
        || steps.iter().all(|&d| d == -1 || d == 9)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_is_counted_in_characters_without_composition_rules() {
        assert_eq!(
            check("short words", "ann"),
            Err(PassphraseRejected::TooShort)
        );
        assert_eq!(check("ünïcödé wörd", "ann"), Ok(()));
        assert_eq!(check("lowercase only words", "ann"), Ok(()));
        assert_eq!(
            check(&"x".repeat(1025), "ann"),
            Err(PassphraseRejected::TooLong)
        );
    }

    #[test]
    fn common_passphrases_are_refused_whatever_the_case() {
        for p in [
            "Password1234",
            "QWERTY123456",
            "Password2026!",
            "!!Welcome!!2026",
            "correct horse battery staple",
        ] {
            assert_eq!(check(p, "ann"), Err(PassphraseRejected::Common), "{p}");
        }
    }

    #[test]
    fn repetitive_sequential_and_context_passphrases_are_refused() {
        assert_eq!(
            check("zzzzzzzzzzzzzz", "ann"),
            Err(PassphraseRejected::Repetitive)
        );
        assert_eq!(
            check("abababababab", "ann"),
            Err(PassphraseRejected::Repetitive)
        );
        assert_eq!(
            check("lmnopqrstuvw", "ann"),
            Err(PassphraseRejected::Repetitive)
        );
        assert_eq!(
            check("543210987654", "ann"),
            Err(PassphraseRejected::Repetitive)
        );
        assert_eq!(
            check("jsmithjsmith1", "jsmith"),
            Err(PassphraseRejected::ContextSpecific)
        );
        assert_eq!(
            check("Harbor-Harbor-2026", "ann"),
            Err(PassphraseRejected::ContextSpecific)
        );
    }

    #[test]
    fn good_passphrases_pass() {
        for p in [
            "tidal-orchid-ledger-42",
            "the night shift ends at seven",
            "Kf9#mQ2!vL7@",
        ] {
            assert_eq!(check(p, "ann"), Ok(()), "{p}");
        }
    }
}
