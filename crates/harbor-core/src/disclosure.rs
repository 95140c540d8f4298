//! Disclosures of PSWP and the permissions of 42 CFR 3.206 they are made under. Every
//! disclosure Harbor makes (a case packet, a submission to the PSO, an attachment written
//! out, a backup) and every one a person makes outside Harbor is logged with one of these.

use serde::{Deserialize, Serialize};

/// The permission a disclosure is made under: a paragraph of 42 CFR 3.206, or `within_pses`
/// for a use that stays inside the agency's own PSES (not a disclosure to anyone else).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// Kept within the agency's PSES: between its own vaults and people, a backup it keeps,
    /// an attachment written out for its own review. Logged, but no disclosure to another
    /// party.
    WithinPses,
    /// 3.206(b)(4)(i): to the agency's PSO, for patient safety activities.
    Pso,
    /// 3.206(b)(4)(ii): to a contractor carrying out patient safety activities for the
    /// agency.
    Contractor,
    /// 3.206(b)(4)(iii): among affiliated providers, for patient safety activities.
    AffiliatedProvider,
    /// 3.206(b)(4)(iv): to another PSO or provider, with the direct identifiers listed there
    /// removed.
    OtherPsoOrProvider,
    /// 3.206(b)(5): nonidentifiable PSWP (see 3.212).
    Nonidentifiable,
    /// 3.206(b)(3): with the authorization of each identified provider.
    ProviderAuthorization,
    /// 3.206(b)(9): for the agency's business operations (e.g. to its attorneys or
    /// accountants).
    BusinessOperations,
    /// 3.206(b)(8): voluntarily, to an accrediting body that accredits the agency.
    AccreditingBody,
    /// 3.206(b)(7): to the FDA, or an entity required to report to it, about an FDA-regulated
    /// product or activity.
    Fda,
    /// 3.206(b)(6): for research the Secretary has sanctioned.
    Research,
    /// 3.206(b)(10): to law enforcement, about a crime.
    LawEnforcement,
    /// 3.206(b)(1): in a criminal proceeding, after a court's in camera determination.
    CriminalProceeding,
    /// 3.206(b)(2): for equitable relief of a reporter, under a protective order.
    EquitableRelief,
    /// 3.210: to the Secretary of HHS, for enforcement, on request.
    Secretary,
}

impl Permission {
    /// Every permission, in the order a person is offered them.
    pub const ALL: [Permission; 15] = [
        Permission::WithinPses,
        Permission::Pso,
        Permission::Contractor,
        Permission::AffiliatedProvider,
        Permission::OtherPsoOrProvider,
        Permission::Nonidentifiable,
        Permission::ProviderAuthorization,
        Permission::BusinessOperations,
        Permission::AccreditingBody,
        Permission::Fda,
        Permission::Research,
        Permission::LawEnforcement,
        Permission::CriminalProceeding,
        Permission::EquitableRelief,
        Permission::Secretary,
    ];

    /// Its name, as `harbor disclosure record --exception` takes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Permission::WithinPses => "within_pses",
            Permission::Pso => "pso",
            Permission::Contractor => "contractor",
            Permission::AffiliatedProvider => "affiliated_provider",
            Permission::OtherPsoOrProvider => "other_pso_or_provider",
            Permission::Nonidentifiable => "nonidentifiable",
            Permission::ProviderAuthorization => "provider_authorization",
            Permission::BusinessOperations => "business_operations",
            Permission::AccreditingBody => "accrediting_body",
            Permission::Fda => "fda",
            Permission::Research => "research",
            Permission::LawEnforcement => "law_enforcement",
            Permission::CriminalProceeding => "criminal_proceeding",
            Permission::EquitableRelief => "equitable_relief",
            Permission::Secretary => "secretary",
        }
    }

    /// The paragraph of 42 CFR Part 3 it rests on (`None` for a use within the PSES).
    pub fn citation(self) -> Option<&'static str> {
        Some(match self {
            Permission::WithinPses => return None,
            Permission::Pso => "42 CFR 3.206(b)(4)(i)",
            Permission::Contractor => "42 CFR 3.206(b)(4)(ii)",
            Permission::AffiliatedProvider => "42 CFR 3.206(b)(4)(iii)",
            Permission::OtherPsoOrProvider => "42 CFR 3.206(b)(4)(iv)",
            Permission::Nonidentifiable => "42 CFR 3.206(b)(5)",
            Permission::ProviderAuthorization => "42 CFR 3.206(b)(3)",
            Permission::BusinessOperations => "42 CFR 3.206(b)(9)",
            Permission::AccreditingBody => "42 CFR 3.206(b)(8)",
            Permission::Fda => "42 CFR 3.206(b)(7)",
            Permission::Research => "42 CFR 3.206(b)(6)",
            Permission::LawEnforcement => "42 CFR 3.206(b)(10)",
            Permission::CriminalProceeding => "42 CFR 3.206(b)(1)",
            Permission::EquitableRelief => "42 CFR 3.206(b)(2)",
            Permission::Secretary => "42 CFR 3.210",
        })
    }

    /// What it permits, in a line.
    pub fn description(self) -> &'static str {
        match self {
            Permission::WithinPses => {
                "kept within the agency's own PSES (not a disclosure to another party)"
            }
            Permission::Pso => "to the agency's PSO, for patient safety activities",
            Permission::Contractor => {
                "to a contractor carrying out patient safety activities for the agency"
            }
            Permission::AffiliatedProvider => {
                "among affiliated providers, for patient safety activities"
            }
            Permission::OtherPsoOrProvider => {
                "to another PSO or provider, with the listed direct identifiers removed"
            }
            Permission::Nonidentifiable => "nonidentifiable PSWP (42 CFR 3.212)",
            Permission::ProviderAuthorization => {
                "with the written authorization of each identified provider"
            }
            Permission::BusinessOperations => {
                "for the agency's business operations, such as to its attorneys or accountants"
            }
            Permission::AccreditingBody => {
                "voluntarily, to an accrediting body that accredits the agency"
            }
            Permission::Fda => {
                "to the FDA, or an entity required to report to it, about a regulated product or activity"
            }
            Permission::Research => "for research the Secretary has sanctioned",
            Permission::LawEnforcement => "to law enforcement, about a crime",
            Permission::CriminalProceeding => {
                "in a criminal proceeding, after the court's in camera determination"
            }
            Permission::EquitableRelief => {
                "for equitable relief of a reporter, under a protective order"
            }
            Permission::Secretary => "to the Secretary of HHS, for enforcement, on request",
        }
    }

    /// The permission named `s`, or what the names are.
    pub fn parse(s: &str) -> Result<Permission, String> {
        Permission::ALL
            .into_iter()
            .find(|p| p.as_str() == s.trim())
            .ok_or_else(|| {
                format!(
                    "'{s}' is not a disclosure permission: use one of {} (docs/disclosures.md lists what each permits)",
                    Permission::ALL.map(Permission::as_str).join(", ")
                )
            })
    }
}

impl std::fmt::Display for Permission {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a disclosure left (or stayed in) the vault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// A case packet to a contact.
    Packet,
    /// A submission to the PSO (logged when its receipt arrives).
    PsoSubmission,
    /// An attachment written out to a file.
    AttachmentExport,
    /// An encrypted backup of the whole vault.
    Backup,
    /// Made outside Harbor and recorded by a person.
    OutsideHarbor,
}

impl Channel {
    /// Its name in the log.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Packet => "packet",
            Channel::PsoSubmission => "pso_submission",
            Channel::AttachmentExport => "attachment_export",
            Channel::Backup => "backup",
            Channel::OutsideHarbor => "outside_harbor",
        }
    }

    /// The channel named `s`.
    pub fn parse(s: &str) -> Option<Channel> {
        [
            Channel::Packet,
            Channel::PsoSubmission,
            Channel::AttachmentExport,
            Channel::Backup,
            Channel::OutsideHarbor,
        ]
        .into_iter()
        .find(|c| c.as_str() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_permission_round_trips_and_a_wrong_name_lists_the_right_ones() {
        for p in Permission::ALL {
            assert_eq!(Permission::parse(p.as_str()), Ok(p));
            assert_eq!(serde_json::to_value(p).unwrap(), p.as_str());
            assert_eq!(p.citation().is_none(), p == Permission::WithinPses);
        }
        let e = Permission::parse("because").unwrap_err();
        assert!(
            e.contains("business_operations") && e.contains("docs/disclosures.md"),
            "{e}"
        );
    }
}
