//! A streaming, hardened reader of NEMSIS v3.5 `EMSDataSet` documents.
//!
//! It walks the document as a stream of events (quick-xml), never builds a tree, and stops
//! at the first sign of hostility or damage: a DTD or entity declaration (no XXE, no
//! billion laughs), an undefined entity, nesting, attribute or text beyond the limits,
//! invalid UTF-8, the wrong root element or namespace, or a truncated file. Each error
//! names the line. A readable document yields one [`ParsedReport`] per
//! `PatientCareReport`, with the source text of that report kept verbatim.

use crate::extract::ReportBuilder;
use harbor_core::records::EpcrReference;
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;

/// The NEMSIS namespace.
pub const NEMSIS_NS: &str = "http://www.nemsis.org";
const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// Limits on what a document may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest file, in bytes.
    pub max_file_bytes: u64,
    /// Deepest element nesting.
    pub max_depth: usize,
    /// Most attributes on one element.
    pub max_attributes: usize,
    /// Longest attribute value, in bytes.
    pub max_attribute_bytes: usize,
    /// Longest text of one element, in bytes (narratives are the long ones).
    pub max_text_bytes: usize,
    /// Most reports in one file.
    pub max_reports: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 64 * 1024 * 1024,
            max_depth: 24,
            max_attributes: 16,
            max_attribute_bytes: 4096,
            max_text_bytes: 256 * 1024,
            max_reports: 50_000,
        }
    }
}

/// Why a document is refused. Every variant says where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    /// The file is over the size limit.
    #[error("the file is {size} bytes, over the limit of {limit} bytes")]
    TooLarge {
        /// Its size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// The bytes are not UTF-8.
    #[error("line {line}: the file is not valid UTF-8 (NEMSIS documents are UTF-8)")]
    NotUtf8 {
        /// Line of the first bad byte.
        line: usize,
    },
    /// A DOCTYPE (and with it any entity declaration) is present.
    #[error(
        "line {line}: a DOCTYPE or entity declaration is not allowed in a NEMSIS document (refused to protect against XXE and entity expansion)"
    )]
    Doctype {
        /// Its line.
        line: usize,
    },
    /// An entity reference other than the five predefined ones or a character reference.
    #[error("line {line}: the entity '&{name};' is not defined")]
    UndefinedEntity {
        /// Its line.
        line: usize,
        /// The entity's name.
        name: String,
    },
    /// The root element is not `EMSDataSet`.
    #[error(
        "line {line}: the root element is <{found}>, not <EMSDataSet>: this is not a NEMSIS EMS dataset"
    )]
    WrongRoot {
        /// Its line.
        line: usize,
        /// The name found.
        found: String,
    },
    /// An element outside the NEMSIS namespace.
    #[error("line {line}: <{element}> is not in the NEMSIS namespace (http://www.nemsis.org)")]
    WrongNamespace {
        /// Its line.
        line: usize,
        /// The element.
        element: String,
    },
    /// Nesting deeper than the limit.
    #[error("line {line}: elements nest deeper than {limit} levels")]
    TooDeep {
        /// Its line.
        line: usize,
        /// The limit.
        limit: usize,
    },
    /// Too many attributes on an element.
    #[error("line {line}: <{element}> has more than {limit} attributes")]
    TooManyAttributes {
        /// Its line.
        line: usize,
        /// The element.
        element: String,
        /// The limit.
        limit: usize,
    },
    /// An attribute value over the limit.
    #[error("line {line}: an attribute of <{element}> is longer than {limit} bytes")]
    AttributeTooLong {
        /// Its line.
        line: usize,
        /// The element.
        element: String,
        /// The limit.
        limit: usize,
    },
    /// Element text over the limit.
    #[error("line {line}: the text of <{element}> is longer than {limit} bytes")]
    TextTooLong {
        /// Its line.
        line: usize,
        /// The element.
        element: String,
        /// The limit.
        limit: usize,
    },
    /// More reports than the limit.
    #[error("the file holds more than {limit} patient care reports")]
    TooManyReports {
        /// The limit.
        limit: usize,
    },
    /// The file ends before the document does.
    #[error("the file ends inside <{element}> (opened on line {line}): it is truncated")]
    Truncated {
        /// The innermost open element.
        element: String,
        /// Where it was opened.
        line: usize,
    },
    /// Empty, or no root element at all.
    #[error("the file holds no XML element")]
    Empty,
    /// Not well-formed XML.
    #[error("line {line}: the XML is not well-formed: {reason}")]
    Malformed {
        /// Its line.
        line: usize,
        /// The parser's reason.
        reason: String,
    },
    /// A report without any identifier.
    #[error("line {line}: a PatientCareReport has neither a UUID nor a PCR number (eRecord.01)")]
    NoIdentifier {
        /// Its line.
        line: usize,
    },
}

/// One `PatientCareReport` read from a document.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedReport {
    /// What a review needs, with labels resolved and warnings.
    pub reference: EpcrReference,
    /// The report's XML exactly as it appears in the file.
    pub xml: String,
    /// The line where the report starts.
    pub line: usize,
}

/// Line number (1-based) of a byte offset.
fn line_at(bytes: &[u8], offset: usize) -> usize {
    let end = offset.min(bytes.len());
    1 + memchr_count(b'\n', &bytes[..end])
}

fn memchr_count(needle: u8, hay: &[u8]) -> usize {
    hay.iter().filter(|b| **b == needle).count()
}

/// Counts lines forward as the reader advances, so that naming a line costs nothing extra.
#[derive(Default)]
struct LineCounter {
    pos: usize,
    line: usize,
}

impl LineCounter {
    fn line_at(&mut self, src: &[u8], pos: usize) -> usize {
        let pos = pos.min(src.len());
        if pos >= self.pos {
            self.line += memchr_count(b'\n', &src[self.pos..pos]);
        } else {
            self.line = memchr_count(b'\n', &src[..pos]);
        }
        self.pos = pos;
        self.line + 1
    }
}

/// Reads a whole document held in memory.
pub fn read_document(bytes: &[u8], limits: &Limits) -> Result<Vec<ParsedReport>, ReadError> {
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
            limit: limits.max_file_bytes,
        });
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            return Err(ReadError::NotUtf8 {
                line: line_at(bytes, e.valid_up_to()),
            });
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let src = text.as_bytes();

    let mut reader = NsReader::from_reader(src);
    let config = reader.config_mut();
    config.check_end_names = true;
    config.check_comments = true;
    config.expand_empty_elements = false;

    // Open elements: (local name, line opened). Lines are computed lazily from offsets.
    let mut stack: Vec<(String, usize)> = Vec::new();
    let mut reports = Vec::new();
    let mut header_agency: Option<String> = None;
    let mut version_hint: Option<String> = None;
    let mut current: Option<(ReportBuilder, usize, usize)> = None; // builder, start offset, line
    let mut leaf: Option<crate::extract::Leaf> = None;
    let mut seen_root = false;

    let mut lines = LineCounter::default();
    loop {
        let before = reader.buffer_position() as usize;
        let here = lines.line_at(src, before);
        let line = || here;
        let event = reader.read_resolved_event();
        let (ns, event) = match event {
            Ok(ok) => ok,
            Err(e) => {
                let at = reader.error_position() as usize;
                return Err(match (&e, stack.last()) {
                    (quick_xml::Error::Syntax(_), Some((element, opened)))
                        if !src[at.min(src.len())..].contains(&b'>') =>
                    {
                        ReadError::Truncated {
                            element: element.clone(),
                            line: *opened,
                        }
                    }
                    _ => ReadError::Malformed {
                        line: line_at(src, at),
                        reason: e.to_string(),
                    },
                });
            }
        };
        let in_nemsis = matches!(&ns, ResolveResult::Bound(n) if n.as_ref() == NEMSIS_NS);
        let (event, is_empty) = match event {
            Event::Empty(start) => (Event::Start(start), true),
            other => (other, false),
        };
        match event {
            Event::DocType(_) => return Err(ReadError::Doctype { line: line() }),
            Event::Start(start) => {
                let name = start.local_name().as_ref().to_owned();
                let line_no = line();
                if !seen_root {
                    seen_root = true;
                    if name != "EMSDataSet" {
                        return Err(ReadError::WrongRoot {
                            line: line_no,
                            found: name,
                        });
                    }
                }
                if !in_nemsis {
                    return Err(ReadError::WrongNamespace {
                        line: line_no,
                        element: name,
                    });
                }
                if stack.len() + 1 > limits.max_depth {
                    return Err(ReadError::TooDeep {
                        line: line_no,
                        limit: limits.max_depth,
                    });
                }
                // Attributes: count, length, and the ones NEMSIS gives meaning to.
                let mut attrs = crate::extract::Attrs::default();
                let mut count = 0;
                for attr in start.attributes() {
                    let attr = attr.map_err(|e| ReadError::Malformed {
                        line: line_no,
                        reason: e.to_string(),
                    })?;
                    count += 1;
                    if count > limits.max_attributes {
                        return Err(ReadError::TooManyAttributes {
                            line: line_no,
                            element: name,
                            limit: limits.max_attributes,
                        });
                    }
                    if attr.value.len() > limits.max_attribute_bytes {
                        return Err(ReadError::AttributeTooLong {
                            line: line_no,
                            element: name,
                            limit: limits.max_attribute_bytes,
                        });
                    }
                    let value = attr
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .map_err(|e| ReadError::Malformed {
                            line: line_no,
                            reason: e.to_string(),
                        })?;
                    let (attr_ns, local) = reader.resolver().resolve_attribute(attr.key);
                    let local = local.as_ref();
                    let xsi = matches!(attr_ns, ResolveResult::Bound(n) if n.as_ref() == XSI_NS);
                    match (xsi, local) {
                        (true, "nil") => attrs.nil = value.trim() == "true" || value.trim() == "1",
                        (true, "schemaLocation") => {
                            if value.contains("3.5.0") {
                                version_hint = Some("3.5.0".into());
                            } else if value.contains("3.5.1") {
                                version_hint = Some("3.5.1".into());
                            }
                        }
                        (false, "NV") => attrs.nv = Some(value.into_owned()),
                        (false, "PN") => attrs.pn = Some(value.into_owned()),
                        (false, "UUID") => attrs.uuid = Some(value.into_owned()),
                        _ => {}
                    }
                }
                if name == "PatientCareReport" {
                    if current.is_some() {
                        return Err(ReadError::Malformed {
                            line: line_no,
                            reason: "a PatientCareReport inside another".into(),
                        });
                    }
                    if reports.len() >= limits.max_reports {
                        return Err(ReadError::TooManyReports {
                            limit: limits.max_reports,
                        });
                    }
                    let builder = ReportBuilder::new(attrs.uuid.clone(), header_agency.clone());
                    current = Some((builder, before, line_no));
                } else if let Some((builder, _, _)) = current.as_mut() {
                    if crate::extract::is_leaf(&name) {
                        leaf = Some(crate::extract::Leaf::new(name.clone(), attrs));
                    } else {
                        builder.open_group(&name);
                    }
                } else if crate::extract::is_leaf(&name) {
                    leaf = Some(crate::extract::Leaf::new(name.clone(), attrs));
                }
                if is_empty {
                    close(&name, &mut leaf, &mut current, &mut header_agency);
                } else {
                    stack.push((name, line_no));
                }
            }
            Event::Text(t) => {
                if let Some(l) = leaf.as_mut() {
                    l.text.push_str(&t.xml10_content());
                    if l.text.len() > limits.max_text_bytes {
                        return Err(ReadError::TextTooLong {
                            line: line(),
                            element: l.name.clone(),
                            limit: limits.max_text_bytes,
                        });
                    }
                } else if t.len() > limits.max_text_bytes {
                    return Err(ReadError::TextTooLong {
                        line: line(),
                        element: stack.last().map(|s| s.0.clone()).unwrap_or_default(),
                        limit: limits.max_text_bytes,
                    });
                }
            }
            Event::CData(c) => {
                if let Some(l) = leaf.as_mut() {
                    l.text.push_str(c.as_ref());
                    if l.text.len() > limits.max_text_bytes {
                        return Err(ReadError::TextTooLong {
                            line: line(),
                            element: l.name.clone(),
                            limit: limits.max_text_bytes,
                        });
                    }
                }
            }
            Event::GeneralRef(r) => {
                let resolved = if r.is_char_ref() {
                    r.resolve_char_ref().ok().flatten()
                } else {
                    match &*r {
                        "amp" => Some('&'),
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "quot" => Some('"'),
                        "apos" => Some('\''),
                        _ => None,
                    }
                };
                let Some(c) = resolved else {
                    return Err(ReadError::UndefinedEntity {
                        line: line(),
                        name: r.chars().take(64).collect(),
                    });
                };
                if let Some(l) = leaf.as_mut() {
                    l.text.push(c);
                }
            }
            Event::End(end) => {
                let name = end.local_name().as_ref().to_owned();
                stack.pop();
                if name == "PatientCareReport" {
                    if let Some((builder, start, line_no)) = current.take() {
                        let end_pos = reader.buffer_position() as usize;
                        let xml = text[start..end_pos].to_owned();
                        let mut reference = builder.finish(version_hint.as_deref());
                        if reference.pcr_number.is_empty() {
                            match &reference.report_uuid {
                                Some(uuid) => {
                                    reference.pcr_number = uuid.clone();
                                    reference.warnings.push(
                                        "eRecord.01 (PCR number) is missing: the report's UUID stands in for it".into(),
                                    );
                                }
                                None => return Err(ReadError::NoIdentifier { line: line_no }),
                            }
                        }
                        reports.push(ParsedReport {
                            reference,
                            xml,
                            line: line_no,
                        });
                    }
                } else {
                    close(&name, &mut leaf, &mut current, &mut header_agency);
                }
            }
            Event::Eof => {
                if let Some((element, line)) = stack.last() {
                    return Err(ReadError::Truncated {
                        element: element.clone(),
                        line: *line,
                    });
                }
                if !seen_root {
                    return Err(ReadError::Empty);
                }
                break;
            }
            _ => {}
        }
    }
    Ok(reports)
}

fn close(
    name: &str,
    leaf: &mut Option<crate::extract::Leaf>,
    current: &mut Option<(ReportBuilder, usize, usize)>,
    header_agency: &mut Option<String>,
) {
    if let Some(l) = leaf.take_if(|l| l.name == name) {
        match current.as_mut() {
            Some((builder, _, _)) => builder.leaf(l),
            None => {
                if l.name == "dAgency.02" {
                    *header_agency = Some(l.text.trim().to_owned());
                }
            }
        }
    } else if let Some((builder, _, _)) = current.as_mut() {
        builder.close_group(name);
    }
}
