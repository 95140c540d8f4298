//! The PSES policy: the agency's written description of its PSES, read by every role and
//! adopted in new versions by an administrator. Every version is kept (see
//! `harbor_vault::policy`); the privilege log names the one in force at each entry.

use crate::{HarborError, Result, Session};
use harbor_core::Action;
use harbor_vault::policy::{Policy, PolicyVersion};
use serde::Serialize;
use std::io::Read;
use std::path::Path;

/// The policy as a face shows it.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct PolicyView {
    /// The version asked for (the current one by default); `None` when the vault has
    /// none yet (made before Harbor kept the policy): [`PolicyView::template`] is then
    /// the starting point.
    pub policy: Option<Policy>,
    /// The placeholders (`{{NAME}}`) left in the text shown: while any is left, the
    /// agency has not yet put its own words in.
    pub placeholders: Vec<String>,
    /// Whether the current policy still needs an administrator's review: none adopted,
    /// or the template as it came with the vault.
    pub needs_review: bool,
    /// Every version, oldest first.
    pub versions: Vec<PolicyVersion>,
    /// Harbor's template.
    pub template: &'static str,
}

impl Session {
    /// The policy's version `version` (the current one for `None`), with every version's
    /// description. Every role may read it.
    pub fn policy(&mut self, version: Option<i64>) -> Result<PolicyView> {
        self.require(Action::PolicyRead)?;
        let policy = self.vault.policy(version)?;
        let versions = self.vault.policy_versions()?;
        let needs_review = needs_review(&versions);
        Ok(PolicyView {
            placeholders: policy
                .as_ref()
                .map(|p| harbor_core::policy::placeholders(&p.text))
                .unwrap_or_default(),
            policy,
            needs_review,
            versions,
            template: harbor_core::policy::TEMPLATE,
        })
    }

    /// Whether the policy still needs an administrator's review (see
    /// [`PolicyView::needs_review`]).
    pub(crate) fn policy_needs_review(&self) -> Result<bool> {
        Ok(needs_review(&self.vault.policy_versions()?))
    }

    /// Adopts `text` as the policy's next version (administrators; audited). Refused with
    /// words for an empty, oversized or binary text, one that keeps the template's
    /// placeholders, or one identical to the current version.
    pub fn adopt_policy(&mut self, text: &str) -> Result<PolicyVersion> {
        self.require(Action::PolicyAdopt)?;
        harbor_core::policy::check(text).map_err(HarborError::invalid_input)?;
        if let Some(current) = self.vault.policy(None)?
            && current.text == text
        {
            return Err(HarborError::invalid_input(format!(
                "the text is the same as version {}, the policy in force: nothing was adopted",
                current.meta.version
            )));
        }
        Ok(self.vault.adopt_policy(text)?)
    }

    /// [`Session::adopt_policy`] from a UTF-8 text file (Markdown or plain text).
    pub fn adopt_policy_file(&mut self, path: &Path) -> Result<PolicyVersion> {
        self.require(Action::PolicyAdopt)?;
        let text = read_policy_file(path)?;
        self.adopt_policy(&text)
    }
}

/// None adopted, or the last one is Harbor's template as it came.
fn needs_review(versions: &[PolicyVersion]) -> bool {
    versions.last().is_none_or(|v| v.template)
}

/// Reads at most one byte more than a policy may hold, so a huge file is refused without
/// being read whole.
fn read_policy_file(path: &Path) -> Result<String> {
    let io = |source| {
        HarborError::from(harbor_vault::VaultError::Io {
            action: "read the policy file",
            path: path.to_owned(),
            source,
        })
    };
    // A folder, a device or a pipe is refused before it is opened (opening a pipe
    // with no writer would wait for ever).
    if !std::fs::metadata(path).map_err(io)?.is_file() {
        return Err(HarborError::invalid_input(format!(
            "{} is a folder or a device, not a file: give the policy's file (Markdown or plain text)",
            path.display()
        )));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .map_err(io)?
        .take(harbor_core::policy::MAX_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() > harbor_core::policy::MAX_BYTES {
        return Err(HarborError::invalid_input(format!(
            "{} is over the policy limit of {} bytes: a policy is a few pages of text",
            path.display(),
            harbor_core::policy::MAX_BYTES
        )));
    }
    String::from_utf8(bytes).map_err(|e| {
        HarborError::invalid_input(format!(
            "{} is not UTF-8 text (a byte at offset {} is not): save it as UTF-8 Markdown or plain text",
            path.display(),
            e.utf8_error().valid_up_to()
        ))
    })
}
