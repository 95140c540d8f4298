//! A minimal indented XML writer over a `String`, with the NEMSIS idioms (nil with `NV` or `PN`).

use std::fmt::Write as _;

/// Appends XML to a string, indenting one tab per level.
pub(crate) struct XmlWriter {
    pub(crate) out: String,
    depth: usize,
}

impl XmlWriter {
    pub(crate) fn with_capacity(cap: usize) -> Self {
        XmlWriter {
            out: String::with_capacity(cap),
            depth: 0,
        }
    }

    fn indent(&mut self) {
        for _ in 0..self.depth {
            self.out.push('\t');
        }
    }

    /// `<tag>` on its own line, and one level deeper.
    pub(crate) fn open(&mut self, tag: &str) {
        self.indent();
        self.out.push('<');
        self.out.push_str(tag);
        self.out.push_str(">\n");
        self.depth += 1;
    }

    /// `<tag a="v" ...>` on its own line, and one level deeper.
    pub(crate) fn open_attrs(&mut self, tag: &str, attrs: &[(&str, &str)]) {
        self.indent();
        self.out.push('<');
        self.out.push_str(tag);
        self.attrs(attrs);
        self.out.push_str(">\n");
        self.depth += 1;
    }

    /// `</tag>`, one level up.
    pub(crate) fn close(&mut self, tag: &str) {
        self.depth = self.depth.saturating_sub(1);
        self.indent();
        self.out.push_str("</");
        self.out.push_str(tag);
        self.out.push_str(">\n");
    }

    fn attrs(&mut self, attrs: &[(&str, &str)]) {
        for (k, v) in attrs {
            self.out.push(' ');
            self.out.push_str(k);
            self.out.push_str("=\"");
            escape_into(&mut self.out, v);
            self.out.push('"');
        }
    }

    /// `<tag>text</tag>` with the text escaped.
    pub(crate) fn leaf(&mut self, tag: &str, text: &str) {
        self.leaf_attrs(tag, &[], text);
    }

    /// `<tag a="v">text</tag>` with text and attribute values escaped.
    pub(crate) fn leaf_attrs(&mut self, tag: &str, attrs: &[(&str, &str)], text: &str) {
        self.indent();
        self.out.push('<');
        self.out.push_str(tag);
        self.attrs(attrs);
        self.out.push('>');
        escape_into(&mut self.out, text);
        self.out.push_str("</");
        self.out.push_str(tag);
        self.out.push_str(">\n");
    }

    /// `<tag>n</tag>` for a number.
    pub(crate) fn leaf_num(&mut self, tag: &str, n: impl std::fmt::Display) {
        self.indent();
        let _ = writeln!(self.out, "<{tag}>{n}</{tag}>");
    }

    /// `<tag xsi:nil="true" NV="code"/>`: a not value.
    pub(crate) fn nil_nv(&mut self, tag: &str, nv: &str) {
        self.indent();
        let _ = writeln!(self.out, "<{tag} xsi:nil=\"true\" NV=\"{nv}\"/>");
    }

    /// `<tag xsi:nil="true" PN="code"/>`: a pertinent negative without a value.
    pub(crate) fn nil_pn(&mut self, tag: &str, pn: &str) {
        self.indent();
        let _ = writeln!(self.out, "<{tag} xsi:nil=\"true\" PN=\"{pn}\"/>");
    }

    /// The value when there is one, else nil with the given `NV`.
    pub(crate) fn opt(&mut self, tag: &str, value: Option<&str>, nv: &str) {
        match value {
            Some(v) => self.leaf(tag, v),
            None => self.nil_nv(tag, nv),
        }
    }
}

/// Appends `text` with `&`, `<`, `>`, `"` and `'` escaped.
pub(crate) fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_text_and_attributes() {
        let mut w = XmlWriter::with_capacity(64);
        w.leaf_attrs("a", &[("k", "x\"<y")], "Tom & Jerry's <b>");
        assert_eq!(
            w.out,
            "<a k=\"x&quot;&lt;y\">Tom &amp; Jerry&apos;s &lt;b&gt;</a>\n"
        );
    }
}
