//! The privilege log as a PDF for a court: a cover page (the vault, the period, the policy
//! versions, the audit head and its PSO anchor, what the log holds), then the records, one
//! section each with a table of its facts; "page N of M" on every page. A4 landscape, DejaVu
//! fonts embedded and subset by krilla, so every id, date and hash is text a reader (and
//! `pdftotext`) finds. Each hash stays on one line in the monospace column.

use crate::privilege::{FactKind, PrivilegeFact, PrivilegeLog, PrivilegeScope};
use crate::{HarborError, Result};
use chrono::{DateTime, Utc};
use krilla::Document;
use krilla::geom::{PathBuilder, Point};
use krilla::page::PageSettings;
use krilla::paint::Stroke;
use krilla::text::{Font, TextDirection};

const SANS: &[u8] = include_bytes!("../assets/fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../assets/fonts/DejaVuSans-Bold.ttf");
const MONO: &[u8] = include_bytes!("../assets/fonts/DejaVuSansMono.ttf");

/// A4 landscape, in points.
const WIDTH: f32 = 842.0;
const HEIGHT: f32 = 595.0;
const MARGIN: f32 = 40.0;
/// The lowest baseline of body text (the footer sits below it).
const BOTTOM: f32 = HEIGHT - MARGIN - 14.0;

#[derive(Clone, Copy)]
enum Face {
    Sans = 0,
    Bold = 1,
    Mono = 2,
}

enum Mark {
    Text {
        x: f32,
        y: f32,
        face: Face,
        size: f32,
        text: String,
    },
    Rule {
        y: f32,
    },
}

/// Lays text out into pages, measuring glyph advances to wrap (a little wide without
/// kerning, which errs toward an earlier break).
struct Layout {
    faces: [ttf_parser::Face<'static>; 3],
    pages: Vec<Vec<Mark>>,
    /// The next baseline on the current page.
    y: f32,
}

/// A table column: heading, width, face, size.
struct Column {
    heading: &'static str,
    width: f32,
    face: Face,
    size: f32,
}

const GAP: f32 = 6.0;

impl Layout {
    fn new() -> Result<Self> {
        let parse = |bytes: &'static [u8]| {
            ttf_parser::Face::parse(bytes, 0).map_err(|_| {
                HarborError::new(crate::ErrorCode::Internal, "a bundled font does not parse")
            })
        };
        Ok(Layout {
            faces: [parse(SANS)?, parse(BOLD)?, parse(MONO)?],
            pages: vec![Vec::new()],
            y: MARGIN + 12.0,
        })
    }

    fn width(&self, face: Face, size: f32, s: &str) -> f32 {
        let f = &self.faces[face as usize];
        let units: f32 = s
            .chars()
            .map(|c| {
                f.glyph_index(c)
                    .and_then(|g| f.glyph_hor_advance(g))
                    .unwrap_or(f.units_per_em() / 2) as f32
            })
            .sum();
        units * size / f32::from(f.units_per_em())
    }

    /// Greedy wrapping on spaces; a word wider than the column is split where it must be.
    fn wrap(&self, face: Face, size: f32, max: f32, s: &str) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph in s.split('\n') {
            let mut line = String::new();
            for word in paragraph.split_whitespace() {
                let candidate = if line.is_empty() {
                    word.to_owned()
                } else {
                    format!("{line} {word}")
                };
                if self.width(face, size, &candidate) <= max {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                for c in word.chars() {
                    line.push(c);
                    if self.width(face, size, &line) > max && line.chars().count() > 1 {
                        let last = line.pop().expect("two characters");
                        lines.push(std::mem::replace(&mut line, last.to_string()));
                    }
                }
            }
            lines.push(line);
        }
        lines
    }

    fn page(&mut self) -> &mut Vec<Mark> {
        self.pages.last_mut().expect("a page")
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = MARGIN + 12.0;
    }

    /// Starts a new page unless `height` more points fit on this one.
    fn room(&mut self, height: f32) -> bool {
        if self.y + height > BOTTOM {
            self.new_page();
            false
        } else {
            true
        }
    }

    fn text(&mut self, x: f32, face: Face, size: f32, text: &str) {
        let y = self.y;
        self.page().push(Mark::Text {
            x,
            y,
            face,
            size,
            text: text.to_owned(),
        });
    }

    /// A wrapped paragraph across the page.
    fn paragraph(&mut self, face: Face, size: f32, s: &str) {
        let lead = size * 1.35;
        for line in self.wrap(face, size, WIDTH - 2.0 * MARGIN, s) {
            self.room(lead);
            self.text(MARGIN, face, size, &line);
            self.y += lead;
        }
    }

    fn space(&mut self, points: f32) {
        self.y += points;
    }

    /// A table whose heading repeats on each page it runs onto.
    fn table(&mut self, columns: &[Column], rows: &[Vec<String>]) {
        let lead = 10.0;
        let heading = |l: &mut Layout| {
            let mut x = MARGIN;
            for c in columns {
                l.text(x, Face::Bold, 7.5, c.heading);
                x += c.width + GAP;
            }
            l.y += 3.0;
            let y = l.y;
            l.page().push(Mark::Rule { y });
            l.y += lead;
        };
        self.room(3.0 * lead);
        heading(self);
        for row in rows {
            let cells: Vec<Vec<String>> = columns
                .iter()
                .zip(row)
                .map(|(c, text)| self.wrap(c.face, c.size, c.width, text))
                .collect();
            let lines = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
            let height = lines as f32 * lead;
            if !self.room(height) {
                heading(self);
            }
            let mut x = MARGIN;
            let top = self.y;
            for (c, lines) in columns.iter().zip(&cells) {
                for (i, line) in lines.iter().enumerate() {
                    self.y = top + i as f32 * lead;
                    self.text(x, c.face, c.size, line);
                }
                x += c.width + GAP;
            }
            self.y = top + (lines - 1) as f32 * lead + 3.5;
            let y = self.y;
            self.page().push(Mark::Rule { y });
            self.y += lead;
        }
    }

    fn render(self, footer: &str) -> Result<Vec<u8>> {
        let font = |bytes: &'static [u8]| {
            Font::new(bytes.to_vec().into(), 0).ok_or_else(|| {
                HarborError::new(crate::ErrorCode::Internal, "a bundled font does not load")
            })
        };
        let fonts = [font(SANS)?, font(BOLD)?, font(MONO)?];
        let total = self.pages.len();
        let settings = PageSettings::from_wh(WIDTH, HEIGHT).expect("A4 is a valid page size");
        let mut doc = Document::new();
        for (n, marks) in self.pages.iter().enumerate() {
            let mut page = doc.start_page_with(settings.clone());
            let mut surface = page.surface();
            for mark in marks {
                match mark {
                    Mark::Text {
                        x,
                        y,
                        face,
                        size,
                        text,
                    } => surface.draw_text(
                        Point::from_xy(*x, *y),
                        fonts[*face as usize].clone(),
                        *size,
                        text,
                        false,
                        TextDirection::Auto,
                    ),
                    Mark::Rule { y } => {
                        let mut path = PathBuilder::new();
                        path.move_to(MARGIN, *y);
                        path.line_to(WIDTH - MARGIN, *y);
                        if let Some(path) = path.finish() {
                            surface.set_stroke(Some(Stroke {
                                width: 0.3,
                                ..Default::default()
                            }));
                            surface.draw_path(&path);
                            surface.set_stroke(None);
                        }
                    }
                }
            }
            let label = format!("{footer} · page {} of {total}", n + 1);
            let w = self.width(Face::Sans, 7.0, &label);
            surface.draw_text(
                Point::from_xy(WIDTH - MARGIN - w, HEIGHT - MARGIN + 8.0),
                fonts[Face::Sans as usize].clone(),
                7.0,
                &label,
                false,
                TextDirection::Auto,
            );
            surface.finish();
            page.finish();
        }
        doc.finish().map_err(|e| {
            HarborError::new(
                crate::ErrorCode::Internal,
                format!("the PDF could not be written: {e:?}"),
            )
        })
    }
}

fn when(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn fact_words(f: &PrivilegeFact) -> String {
    match f.fact {
        Some(FactKind::EnteredPses) => "entered the PSES".into(),
        Some(FactKind::Revision) => "revision saved".into(),
        Some(FactKind::DroppedOut) => "dropped out of the PSES".into(),
        Some(FactKind::PromotedPswp) => "promoted to PSWP".into(),
        Some(FactKind::Unqueued) => "taken back out of the queue".into(),
        Some(FactKind::Disclosed) => "disclosed".into(),
        Some(FactKind::Reported) => "reported to the PSO".into(),
        Some(FactKind::Other) | None => f.event.clone().unwrap_or_default().replace('_', " "),
    }
}

fn details(f: &PrivilegeFact) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(v) = f.policy_version {
        parts.push(format!("under policy version {v}"));
    }
    if let Some(r) = f.revision {
        parts.push(format!("revision {r}"));
    }
    if let Some(p) = &f.profile {
        parts.push(format!("profile {p}"));
    }
    if let Some(r) = &f.reason {
        parts.push(format!("reason: {r}"));
    }
    if let Some(to) = &f.to {
        parts.push(format!("to {to}"));
    }
    if let Some(p) = f.permission {
        parts.push(match &f.citation {
            Some(c) => format!("under {c} ({})", p.as_str()),
            None => format!("{} (within the PSES)", p.as_str()),
        });
    }
    if let Some(c) = &f.channel {
        parts.push(format!("by {}", c.replace('_', " ")));
    }
    if let Some(p) = &f.pso {
        parts.push(format!("PSO {p}"));
    }
    if let Some(r) = &f.reference {
        parts.push(format!("ref {r}"));
    }
    if let Some(k) = &f.pso_key_id {
        parts.push(format!("receipt signed by PSO key {k}"));
    }
    parts.join("; ")
}

/// The hashes of a fact, one to a line: its own, the receipt's, the PSO's signature (in
/// two halves: 128 hex digits do not fit one line).
fn hashes(f: &PrivilegeFact) -> String {
    let mut lines: Vec<String> = Vec::new();
    if let Some(h) = &f.hash {
        lines.push(h.clone());
    }
    if let Some(h) = &f.receipt_sha256 {
        lines.push(h.clone());
    }
    if let Some(s) = &f.pso_signature {
        let (a, b) = s.split_at(s.len().min(64));
        lines.push(a.to_owned());
        if !b.is_empty() {
            lines.push(b.to_owned());
        }
    }
    lines.join("\n")
}

/// Renders the log as a PDF.
pub fn render(log: &PrivilegeLog) -> Result<Vec<u8>> {
    let mut l = Layout::new()?;
    l.text(MARGIN, Face::Bold, 20.0, "Privilege log");
    l.space(26.0);
    l.paragraph(
        Face::Sans,
        10.0,
        "Patient Safety Evaluation System (PSES) records of this agency, kept in Harbor: when each entered the PSES and under which policy, every revision, drop-out, promotion to patient safety work product (PSWP), disclosure and report to the Patient Safety Organization (PSO).",
    );
    l.space(6.0);
    let scope = match &log.scope {
        PrivilegeScope::Records => format!("{} records chosen by id", log.records.len()),
        PrivilegeScope::All => format!("every record in the PSES ({})", log.records.len()),
        PrivilegeScope::Period { since, until } => format!(
            "the {} records that entered the PSES from {} and before {}",
            log.records.len(),
            since
                .map(|t| when(&t))
                .unwrap_or_else(|| "the beginning".into()),
            until.map(|t| when(&t)).unwrap_or_else(|| "now".into())
        ),
    };
    let anchor = match &log.audit.pso_anchor {
        Some(a) => format!(
            "{} (acknowledged by the PSO in its signed receipt of submission {}, {})",
            a.audit_head, a.submission_id, a.received_at
        ),
        None => "none: this vault has not reported to a PSO".into(),
    };
    let facts: Vec<(String, String)> = vec![
        ("Vault".into(), log.vault_id.clone()),
        (
            "Agency at the PSO".into(),
            match (&log.agency_id, &log.pso_url) {
                (Some(a), Some(u)) => format!("{a} at {u}"),
                _ => "not enrolled with a PSO".into(),
            },
        ),
        ("Covers".into(), scope),
        (
            "Made".into(),
            format!("{} by {}", when(&log.generated_at), log.generated_by),
        ),
        (
            "Audit chain".into(),
            format!(
                "{} rows, head {}; {}",
                log.audit.rows,
                log.audit.head,
                if log.audit.verified {
                    "every row's hash and link verified when this log was made"
                } else {
                    "BROKEN: the chain did not verify when this log was made"
                }
            ),
        ),
        ("PSO anchor".into(), anchor),
        (
            "Backups".into(),
            match log.backups.as_slice() {
                [] => "none".into(),
                [one] => format!(
                    "1 encrypted backup of the whole vault, kept within the PSES, on {} by {} (it holds every record then in the vault)",
                    when(&one.at),
                    one.by
                ),
                [first, .., last] => format!(
                    "{} encrypted backups of the whole vault, kept within the PSES, from {} to {} (each holds every record then in the vault)",
                    log.backups.len(),
                    when(&first.at),
                    when(&last.at)
                ),
            },
        ),
    ];
    let key_columns = [
        Column {
            heading: "",
            width: 110.0,
            face: Face::Bold,
            size: 8.5,
        },
        Column {
            heading: "",
            width: WIDTH - 2.0 * MARGIN - 110.0 - GAP,
            face: Face::Sans,
            size: 8.5,
        },
    ];
    let rows: Vec<Vec<String>> = facts.into_iter().map(|(k, v)| vec![k, v]).collect();
    l.table(&key_columns, &rows);
    l.space(8.0);
    l.text(MARGIN, Face::Bold, 11.0, "PSES policy versions");
    l.space(16.0);
    let policy_rows: Vec<Vec<String>> = log
        .policy_versions
        .iter()
        .map(|p| {
            vec![
                p.version.to_string(),
                when(&p.adopted_at),
                p.adopted_by.clone(),
                if p.template {
                    "Harbor's template".into()
                } else {
                    String::new()
                },
                p.sha256.clone(),
            ]
        })
        .collect();
    if policy_rows.is_empty() {
        l.paragraph(
            Face::Sans,
            9.0,
            "No PSES policy was recorded in this vault.",
        );
    } else {
        l.table(
            &[
                Column {
                    heading: "Version",
                    width: 50.0,
                    face: Face::Sans,
                    size: 8.0,
                },
                Column {
                    heading: "Adopted (UTC)",
                    width: 100.0,
                    face: Face::Sans,
                    size: 8.0,
                },
                Column {
                    heading: "By",
                    width: 110.0,
                    face: Face::Sans,
                    size: 8.0,
                },
                Column {
                    heading: "Note",
                    width: 100.0,
                    face: Face::Sans,
                    size: 8.0,
                },
                Column {
                    heading: "SHA-256 of its text",
                    width: 270.0,
                    face: Face::Mono,
                    size: 7.0,
                },
            ],
            &policy_rows,
        );
    }
    l.space(8.0);
    l.paragraph(
        Face::Sans,
        9.0,
        "This log describes records by id, kind, dates and hashes. It holds no content of the records: no field of a review, case note or investigation appears in it. Deliberations and analyses (case notes, investigations) are marked as such; they are protected inside the PSES without being reported. Imported patient care reports (ePCRs) are original records, kept outside the PSES, and are not listed. Reasons for a drop-out or for taking a snapshot back out of the queue are given as the person wrote them.",
    );
    l.paragraph(
        Face::Sans,
        9.0,
        "How to verify: each revision hash is the SHA-256 of the record's canonical revision and chains to the one before; each reported snapshot hash is acknowledged in the PSO's receipt, whose SHA-256 and Ed25519 signature are listed; the PSO anchor above is the audit head that receipt signs. In the vault, \"harbor audit verify\" recomputes the audit chain and \"harbor policy show --version N\" prints each policy version, whose SHA-256 is listed above.",
    );

    // The records follow the cover, one section after another; a heading never ends a page.
    l.new_page();
    for (i, r) in log.records.iter().enumerate() {
        if i > 0 {
            l.space(14.0);
            l.room(80.0);
        }
        l.text(MARGIN, Face::Bold, 12.0, &format!("Record {}", r.id));
        l.space(16.0);
        l.paragraph(
            Face::Sans,
            9.0,
            &format!(
                "{}{}; PSES state now: {}; entered the PSES {}{}.",
                r.kind.as_str().replace('_', " "),
                if r.deliberation {
                    " (a deliberation or analysis of the PSES)"
                } else {
                    ""
                },
                r.pses_state.replace('_', " "),
                when(&r.entered_pses),
                match (r.policy_version, r.policy_template) {
                    (Some(v), false) => format!(" under PSES policy version {v}"),
                    (Some(v), true) => format!(
                        " under PSES policy version {v}, Harbor's template, not yet adopted in the agency's own words"
                    ),
                    (None, _) => ", before this vault recorded a PSES policy".into(),
                }
            ),
        );
        l.space(4.0);
        let rows: Vec<Vec<String>> = r
            .facts
            .iter()
            .map(|f| {
                vec![
                    f.at.map(|t| when(&t)).unwrap_or_default(),
                    fact_words(f),
                    f.by.clone(),
                    details(f),
                    hashes(f),
                ]
            })
            .collect();
        l.table(
            &[
                Column {
                    heading: "When (UTC)",
                    width: 92.0,
                    face: Face::Sans,
                    size: 7.5,
                },
                Column {
                    heading: "Fact",
                    width: 86.0,
                    face: Face::Sans,
                    size: 7.5,
                },
                Column {
                    heading: "By",
                    width: 80.0,
                    face: Face::Sans,
                    size: 7.5,
                },
                Column {
                    heading: "Details",
                    width: 222.0,
                    face: Face::Sans,
                    size: 7.5,
                },
                Column {
                    heading: "Hashes (SHA-256; receipt; PSO signature)",
                    width: 258.0,
                    face: Face::Mono,
                    size: 6.5,
                },
            ],
            &rows,
        );
    }
    l.render(&format!("Harbor privilege log · vault {}", log.vault_id))
}
