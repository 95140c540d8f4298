//! Text and JSON output.

use harbor::{AuditEntry, Disclosure, History, PolicyVersion, PolicyView, Record, RecordMeta};
use serde::Serialize;

/// Prints `value` as pretty JSON.
pub fn json<T: Serialize + ?Sized>(value: &T) {
    println!(
        "{}",
        serde_json::to_string_pretty(value).expect("output serialises")
    );
}

fn short_time(t: &chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// A table of record headers.
pub fn record_table(items: &[RecordMeta]) {
    if items.is_empty() {
        println!("(no records)");
        return;
    }
    println!(
        "{:<36}  {:<13}  {:<24}  {:<15}  {:<3}  TITLE",
        "ID", "KIND", "STATUS", "PSES", "REV"
    );
    for m in items {
        println!(
            "{:<36}  {:<13}  {:<24}  {:<15}  {:<3}  {}",
            m.id,
            m.kind.as_str(),
            m.status.as_deref().unwrap_or("-"),
            m.pses_state,
            m.revision,
            m.title
        );
    }
}

/// One record header, as key-value lines.
pub fn record_meta(m: &RecordMeta) {
    println!("id:          {}", m.id);
    println!(
        "kind:        {}{}",
        m.kind,
        if m.deliberation {
            " (deliberation: protected in the PSES without reporting)"
        } else {
            ""
        }
    );
    if let Some(s) = &m.status {
        println!("status:      {s}");
    }
    println!("PSES state:  {}", m.pses_state);
    println!("title:       {}", m.title);
    println!(
        "created:     {} by {}",
        short_time(&m.created_at),
        m.created_by
    );
    println!(
        "updated:     {} (revision {})",
        short_time(&m.updated_at),
        m.revision
    );
}

/// A whole record.
pub fn record(r: &Record) {
    record_meta(&r.meta);
    println!("hash:        {}", r.revision_hash);
    println!();
    println!(
        "{}",
        serde_json::to_string_pretty(&r.body).expect("body serialises")
    );
}

/// A record's history.
pub fn history(h: &History) {
    record_meta(&h.meta);
    println!("\nPSES ledger:");
    for e in &h.pses_events {
        // The promotion report can be long: the text view counts it (`--json` has it all).
        let mut detail = e.detail.clone();
        if let Some(report) = detail.get_mut("report").filter(|r| r.is_array()) {
            let n = report.as_array().map(Vec::len).unwrap_or(0);
            *report =
                serde_json::Value::String(format!("{n} fields removed, generalised or withheld"));
        }
        let detail = if detail.as_object().is_some_and(|o| o.is_empty()) {
            String::new()
        } else {
            format!("  {detail}")
        };
        println!(
            "  {}  {:<14} by {}{}",
            short_time(&e.at),
            e.event,
            e.by,
            detail
        );
    }
    println!("\nRevisions:");
    for r in &h.revisions {
        println!(
            "  {:>3}  {}  by {:<16} {}",
            r.rev,
            short_time(&r.at),
            r.author,
            r.hash
        );
    }
}

/// Audit rows.
pub fn audit(rows: &[AuditEntry]) {
    for e in rows {
        println!(
            "{:>6}  {}  {:<16} {:<22} {}  {}",
            e.seq,
            e.at.format("%Y-%m-%d %H:%M:%S"),
            e.actor,
            e.action,
            e.target.as_deref().unwrap_or("-"),
            e.detail
        );
    }
    if rows.is_empty() {
        println!("(no rows)");
    }
}

/// The PSO's feedback: this agency's counts beside the other agencies', suppressed cells
/// marked.
pub fn feedback(f: &harbor::Feedback) {
    match f.other_agencies_reporting {
        Some(n) => println!(
            "PSO feedback ({n} other agencies reporting; their counts under {} or from fewer than {} agencies are not shown, nor a count that would reveal one):",
            f.min_cell, f.min_agencies
        ),
        None => println!(
            "PSO feedback (fewer than {} other agencies report to this PSO: their counts are not shown):",
            f.min_agencies
        ),
    }
    let groups = [
        ("kind", "record kind"),
        ("event_type", "event type"),
        ("harm", "harm"),
        ("ems_category", "EMS category"),
    ];
    let empty_mine = Default::default();
    let empty_others = Default::default();
    for (group, label) in groups {
        let mine = f.agency.get(group).unwrap_or(&empty_mine);
        let others = f.other_agencies.get(group).unwrap_or(&empty_others);
        let values: std::collections::BTreeSet<&String> =
            mine.keys().chain(others.keys()).collect();
        if values.is_empty() {
            continue;
        }
        println!("  {label}:");
        for value in values {
            let theirs = match others.get(value) {
                Some(Some(n)) => n.to_string(),
                Some(None) => "hidden".to_owned(),
                None if f.other_agencies_reporting.is_some() => "0".to_owned(),
                None => "-".to_owned(),
            };
            println!(
                "    {value:<28} this agency {:>5}   other agencies {theirs:>6}",
                mine.get(value).copied().unwrap_or(0)
            );
        }
    }
}

/// A policy version's text on standard output, what it is on standard error (so the text
/// can be redirected into a file to edit).
pub fn policy(view: &PolicyView) {
    match &view.policy {
        Some(p) => {
            let in_force = view
                .versions
                .last()
                .is_some_and(|v| v.version == p.meta.version);
            eprintln!(
                "PSES policy version {}{}, adopted {} by {}{}; SHA-256 {}",
                p.meta.version,
                if in_force { " (in force)" } else { "" },
                short_time(&p.meta.adopted_at),
                p.meta.adopted_by,
                if p.meta.template {
                    " (Harbor's template)"
                } else {
                    ""
                },
                p.meta.sha256
            );
            print!("{}", p.text);
        }
        None => {
            eprintln!(
                "No PSES policy is adopted in this vault yet; this is Harbor's template. Adopt the agency's own with `harbor policy set --file FILE`."
            );
            print!("{}", view.template);
        }
    }
    if !view.placeholders.is_empty() {
        eprintln!(
            "Placeholders still to replace: {}",
            view.placeholders
                .iter()
                .map(|p| format!("{{{{{p}}}}}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
}

/// The policy's versions, oldest first.
pub fn policy_versions(versions: &[PolicyVersion]) {
    if versions.is_empty() {
        println!("(no version adopted yet)");
        return;
    }
    println!("{:<7}  {:<20}  {:<20}  SHA-256", "VERSION", "ADOPTED", "BY");
    for v in versions {
        println!(
            "{:<7}  {:<20}  {:<20}  {}{}",
            v.version,
            short_time(&v.adopted_at),
            v.adopted_by,
            v.sha256,
            if v.template { "  (template)" } else { "" }
        );
    }
}

/// The disclosure log, one line per disclosure and its records under it.
pub fn disclosures(list: &[Disclosure]) {
    if list.is_empty() {
        println!("(no disclosures)");
        return;
    }
    for d in list {
        println!(
            "#{:<5} {}  {:<17}  to {}  under {}{}",
            d.seq,
            d.disclosed_at.format("%Y-%m-%d %H:%M UTC"),
            d.channel.as_str(),
            d.recipient,
            d.permission.as_str(),
            d.permission
                .citation()
                .map(|c| format!(" ({c})"))
                .unwrap_or_default()
        );
        if d.all_records {
            println!("       every record in the vault at the time");
        }
        for id in &d.records {
            println!("       {id}");
        }
        if let Some(note) = &d.note {
            println!("       note: {note}");
        }
        println!(
            "       recorded {} by {}",
            d.recorded_at.format("%Y-%m-%d %H:%M UTC"),
            d.recorded_by
        );
    }
}
