//! Secrets: zeroized on drop, redacted in `Debug`, never serialisable.

use zeroize::{Zeroize, ZeroizeOnDrop};

/// The vault's 256-bit data key: the raw SQLCipher key.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct DataKey([u8; 32]);

impl DataKey {
    /// A new random key from the operating system's generator.
    pub fn generate() -> crate::Result<Self> {
        let mut key = [0u8; 32];
        getrandom::fill(&mut key).map_err(|_| crate::VaultError::Randomness)?;
        Ok(DataKey(key))
    }

    /// Wraps raw key bytes (after unwrapping a key slot).
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        DataKey(bytes)
    }

    /// The raw bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The SQLCipher key pragma's value: `"x'<64 hex>'"`, in a zeroizing string.
    pub(crate) fn sqlcipher_pragma_value(&self) -> zeroize::Zeroizing<String> {
        zeroize::Zeroizing::new(format!("\"x'{}'\"", hex::encode(self.0)))
    }
}

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey(<redacted>)")
    }
}

/// A user's passphrase.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct Passphrase(String);

impl Passphrase {
    /// Wraps a passphrase. A single trailing newline (from a file or a pipe) is removed.
    pub fn new(mut s: String) -> Self {
        if s.ends_with('\n') {
            s.pop();
            if s.ends_with('\r') {
                s.pop();
            }
        }
        Passphrase(s)
    }

    /// The passphrase text.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Passphrase(<redacted>)")
    }
}

/// The vault's recovery code: 30 random base32 characters in groups of five, shown once.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct RecoveryCode(String);

const BASE32: &[u8; 32] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

impl RecoveryCode {
    /// A new random code (150 bits).
    pub fn generate() -> crate::Result<Self> {
        let mut bytes = [0u8; 30];
        getrandom::fill(&mut bytes).map_err(|_| crate::VaultError::Randomness)?;
        let mut out = String::with_capacity(35);
        for (i, b) in bytes.iter().enumerate() {
            if i > 0 && i % 5 == 0 {
                out.push('-');
            }
            out.push(BASE32[usize::from(*b) % 32] as char);
        }
        bytes.zeroize();
        Ok(RecoveryCode(out))
    }

    /// Parses a code as a person typed it: case, spaces and dashes do not matter.
    pub fn parse(s: &str) -> Self {
        let clean: String = s
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let mut out = String::with_capacity(35);
        for (i, c) in clean.chars().enumerate() {
            if i > 0 && i % 5 == 0 {
                out.push('-');
            }
            out.push(c);
        }
        RecoveryCode(out)
    }

    /// The code, in groups of five.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for RecoveryCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RecoveryCode(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_redacted_in_debug() {
        let key = DataKey::from_bytes([0xab; 32]);
        let p = Passphrase::new("correct-horse-staple".into());
        let code = RecoveryCode::generate().unwrap();
        for shown in [format!("{key:?}"), format!("{p:?}"), format!("{code:?}")] {
            assert!(shown.contains("<redacted>"));
            assert!(!shown.contains("abab"));
            assert!(!shown.contains("horse"));
            assert!(!shown.contains(code.expose()));
        }
    }

    #[test]
    fn recovery_codes_parse_as_typed() {
        let code = RecoveryCode::generate().unwrap();
        assert_eq!(code.expose().len(), 35);
        let typed = code.expose().to_lowercase().replace('-', " ");
        assert_eq!(RecoveryCode::parse(&typed).expose(), code.expose());
    }

    #[test]
    fn passphrase_loses_one_trailing_newline_only() {
        assert_eq!(Passphrase::new("a b \n".into()).expose(), "a b ");
        assert_eq!(Passphrase::new("a\r\n".into()).expose(), "a");
    }
}
