//! How SQLCipher lays out and authenticates the database's pages.
//!
//! The settings must be known before the first page is read, and the database's header is
//! itself encrypted, so they are kept in `keyslots.json` (and so in every backup's header).
//! A slot file without them is from a vault made before they existed: SQLCipher 4's
//! defaults.

use serde::{Deserialize, Serialize};

/// The page MAC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PageHmac {
    /// HMAC-SHA512, SQLCipher 4's default.
    #[serde(rename = "HMAC_SHA512")]
    Sha512,
    /// HMAC-SHA256: as strong a MAC here, and about twice as fast on processors with
    /// SHA extensions.
    #[serde(rename = "HMAC_SHA256")]
    Sha256,
}

impl PageHmac {
    fn pragma_value(self) -> &'static str {
        match self {
            PageHmac::Sha512 => "HMAC_SHA512",
            PageHmac::Sha256 => "HMAC_SHA256",
        }
    }
}

/// A database's page settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageCipher {
    /// Bytes per page (a power of two from 512 to 65,536).
    pub page_size: u32,
    /// The MAC over each page.
    pub hmac: PageHmac,
}

impl PageCipher {
    /// SQLCipher 4's defaults, used by vaults made before the settings were recorded.
    pub const SQLCIPHER4: PageCipher = PageCipher {
        page_size: 4096,
        hmac: PageHmac::Sha512,
    };

    /// What new vaults use. Streaming attachments out of the vault (a submission, a
    /// packet, a backup) took 2.5 CPU-seconds per GB with SQLCipher 4's defaults and 1.3
    /// with these: HMAC-SHA256 runs on the processor's SHA extensions, and larger pages
    /// halve the per-page work. 16 KiB pages read faster still (1.05 s) but made a vault of
    /// imported ePCRs 42% larger and single saves 60% slower; 8 KiB cost 7% in size
    /// (`docs/benchmarks.md`).
    pub const CURRENT: PageCipher = PageCipher {
        page_size: 8192,
        hmac: PageHmac::Sha256,
    };

    /// Whether these are the settings of a vault made before they were recorded.
    pub fn is_sqlcipher4(&self) -> bool {
        *self == Self::SQLCIPHER4
    }

    /// Refuses settings SQLCipher would not accept (a damaged or edited slot file).
    pub fn check(&self) -> Result<(), String> {
        if !self.page_size.is_power_of_two() || !(512..=65536).contains(&self.page_size) {
            return Err(format!(
                "page size {} is not a power of two from 512 to 65536",
                self.page_size
            ));
        }
        Ok(())
    }

    /// The pragmas that apply these settings to `schema` ("main" or an attached name);
    /// they must follow the key and precede the first read.
    pub(crate) fn pragmas(&self, schema: &str) -> String {
        format!(
            "PRAGMA {schema}.cipher_page_size = {}; PRAGMA {schema}.cipher_hmac_algorithm = {};",
            self.page_size,
            self.hmac.pragma_value()
        )
    }
}

impl Default for PageCipher {
    fn default() -> Self {
        Self::SQLCIPHER4
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keyslots::KeySlots;
    use crate::{KdfParams, Passphrase, Vault, VaultError};

    const PASS: &str = "tide-pool-lantern-quarry";

    fn make(dir: &std::path::Path, pages: PageCipher) {
        let pass = Passphrase::new(PASS.into());
        let (v, _code) =
            Vault::create_with_pages(dir, "admin", &pass, KdfParams::MINIMUM, pages).unwrap();
        v.conn
            .execute("INSERT INTO meta VALUES ('canary', 'kept')", [])
            .unwrap();
    }

    fn canary(dir: &std::path::Path) -> String {
        let v = Vault::open(dir)
            .unwrap()
            .unlock("admin", &Passphrase::new(PASS.into()))
            .unwrap();
        v.meta("canary").unwrap().unwrap()
    }

    #[test]
    fn a_new_vault_records_and_uses_the_current_page_settings() {
        let dir = tempfile::tempdir().unwrap();
        make(dir.path(), PageCipher::CURRENT);
        let slots = KeySlots::load(&dir.path().join("keyslots.json")).unwrap();
        assert_eq!(slots.format, 3);
        assert_eq!(slots.page_cipher, PageCipher::CURRENT);
        let v = Vault::open(dir.path())
            .unwrap()
            .unlock("admin", &Passphrase::new(PASS.into()))
            .unwrap();
        // SQLCipher answers `page_size` itself, as text.
        let page_size: String = v
            .conn
            .pragma_query_value(None, "page_size", |r| r.get(0))
            .unwrap();
        assert_eq!(page_size, PageCipher::CURRENT.page_size.to_string());
        let hmac: String = v
            .conn
            .pragma_query_value(None, "cipher_hmac_algorithm", |r| r.get(0))
            .unwrap();
        assert_eq!(hmac, "HMAC_SHA256");
        // The file is made of whole pages of that size.
        let len = std::fs::metadata(&v.paths().db).unwrap().len();
        assert_eq!(len % u64::from(PageCipher::CURRENT.page_size), 0);
    }

    #[test]
    fn a_vault_made_with_sqlcipher_4_defaults_still_opens() {
        let dir = tempfile::tempdir().unwrap();
        make(dir.path(), PageCipher::SQLCIPHER4);
        let text = std::fs::read_to_string(dir.path().join("keyslots.json")).unwrap();
        assert!(!text.contains("page_cipher"), "{text}");
        assert_eq!(canary(dir.path()), "kept");
    }

    #[test]
    fn changed_page_settings_are_refused_by_the_slot_files_mac() {
        let dir = tempfile::tempdir().unwrap();
        make(dir.path(), PageCipher::SQLCIPHER4);
        let path = dir.path().join("keyslots.json");
        let mut slots = KeySlots::load(&path).unwrap();
        slots.page_cipher = PageCipher::CURRENT;
        slots.save(&path).unwrap();
        let err = Vault::open(dir.path())
            .unwrap()
            .unlock("admin", &Passphrase::new(PASS.into()))
            .unwrap_err();
        assert_eq!(err.code(), "keyslots_damaged", "{err}");
    }

    #[test]
    fn a_slot_file_from_a_newer_harbor_or_with_bad_settings_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        make(dir.path(), PageCipher::CURRENT);
        let path = dir.path().join("keyslots.json");
        let good = std::fs::read_to_string(&path).unwrap();
        for (from, to, says) in [
            ("\"format\": 3", "\"format\": 4", "made by a newer Harbor"),
            (
                "\"page_size\": 8192",
                "\"page_size\": 1000",
                "page size 1000",
            ),
            (
                "\"format\": 3",
                "\"format\": 1",
                "format 1 with page settings",
            ),
            ("\"format\": 3", "\"format\": 2", "a MAC in an old format"),
        ] {
            std::fs::write(&path, good.replace(from, to)).unwrap();
            let err = Vault::open(dir.path()).unwrap_err();
            assert!(
                matches!(&err, VaultError::KeySlotsDamaged { reason, .. } if reason.contains(says)),
                "{err}"
            );
        }
    }

    #[test]
    fn a_backup_keeps_the_page_settings_and_restores() {
        for pages in [PageCipher::CURRENT, PageCipher::SQLCIPHER4] {
            let dir = tempfile::tempdir().unwrap();
            let vault_dir = dir.path().join("vault");
            make(&vault_dir, pages);
            let mut v = Vault::open(&vault_dir)
                .unwrap()
                .unlock("admin", &Passphrase::new(PASS.into()))
                .unwrap();
            let file = dir.path().join("vault.hbk");
            v.backup(&file).unwrap();
            drop(v);
            let restored = dir.path().join("restored");
            Vault::restore(&file, &restored).unwrap();
            let slots = KeySlots::load(&restored.join("keyslots.json")).unwrap();
            assert_eq!(slots.page_cipher, pages);
            assert_eq!(canary(&restored), "kept", "{pages:?}");
        }
    }
}
