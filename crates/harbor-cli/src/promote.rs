//! `harbor promote`: the report of what would leave, the explanation of the legal act,
//! the confirmation, then the promotion.

use crate::fail;
use harbor::{ErrorCode, HarborError};
use harbor::{Profile, Session};
use std::collections::BTreeMap;
use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;

const EXPLANATION: &str = "\
Promoting a record makes a frozen copy of it Patient Safety Work Product (PSWP) for
reporting to your PSO: the copy is queued and later sent with `harbor submit`. Once it is
reported it can no longer drop out of the PSES; a later change is sent as an amendment.
Until then you can take it back with `harbor unqueue`.";

fn read_scrubbed(
    path: Option<&Path>,
) -> Result<BTreeMap<String, BTreeMap<String, String>>, HarborError> {
    let Some(path) = path else {
        return Ok(BTreeMap::new());
    };
    let text = std::fs::read_to_string(path).map_err(|e| {
        HarborError::new(
            ErrorCode::Io,
            format!("cannot read {}: {e}", path.display()),
        )
    })?;
    serde_json::from_str(&text).map_err(|e| {
        HarborError::new(ErrorCode::InvalidInput,
            format!(
                "{} must be JSON of the form {{\"RECORD_ID\": {{\"/json/pointer\": \"scrubbed text\"}}}}: {e}",
                path.display()
            ),
        )
    })
}

/// Runs `harbor promote`.
pub fn run(
    json: bool,
    s: &mut Session,
    ids: &[String],
    profile: &str,
    dry_run: bool,
    scrubbed: Option<&Path>,
    yes: bool,
) -> Result<(), HarborError> {
    let profile = profile
        .parse::<Profile>()
        .map_err(|e| fail::usage(format!("--profile: {e}")))?;
    let scrubbed = read_scrubbed(scrubbed)?;
    let previews = s.preview_promotion(ids, profile, &scrubbed)?;
    if json && dry_run {
        crate::render::json(&previews);
        return Ok(());
    }
    if !json {
        for p in &previews {
            println!(
                "Record {} ({}{}, revision {}), profile {}:",
                p.record_id,
                p.kind,
                if p.deliberation {
                    ", a deliberation"
                } else {
                    ""
                },
                p.revision,
                p.profile.as_str()
            );
            if p.report.is_empty() {
                println!("  every field leaves as it is");
            }
            for line in &p.report {
                let what = match line.treatment {
                    harbor::Treatment::Kept => "kept",
                    harbor::Treatment::Generalised => "generalised",
                    harbor::Treatment::Removed => "removed",
                    harbor::Treatment::Withheld => "withheld",
                    harbor::Treatment::Scrubbed => "scrubbed",
                };
                let to = line
                    .to
                    .as_deref()
                    .map(|t| format!(" -> {t}"))
                    .unwrap_or_default();
                println!("  {what:<11} {}{to}: {}", line.field, line.reason);
            }
            for a in &p.attachments {
                println!(
                    "  attachment  {} ({}, {} bytes) leaves with it, as it is",
                    a.name, a.media_type, a.size
                );
            }
            println!();
        }
    }
    if dry_run {
        if !json {
            println!("Dry run: nothing was promoted.");
        }
        return Ok(());
    }
    if !yes {
        if !std::io::stdin().is_terminal() {
            return Err(fail::usage(
                "promotion is a legal act: confirm with --yes (scripts) or run it in a terminal"
                    .into(),
            ));
        }
        println!("{EXPLANATION}\n");
        print!(
            "Promote these {} record(s) to PSWP and queue them? Type 'promote' to confirm: ",
            previews.len()
        );
        let _ = std::io::stdout().flush();
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer).ok();
        if answer.trim() != "promote" {
            println!("Nothing was promoted.");
            return Ok(());
        }
    }
    let ids: Vec<String> = previews.iter().map(|p| p.record_id.clone()).collect();
    let items = s.promote(&ids)?;
    if json {
        crate::render::json(&items);
    } else {
        for i in &items {
            println!(
                "Promoted record {}: snapshot {} queued as {}.",
                i.record_id, i.snapshot_hash, i.id
            );
        }
    }
    Ok(())
}
