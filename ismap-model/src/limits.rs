//! Caps on what a loader accepts from an untrusted file, and the error saying which was exceeded.
//! See [`Limits`] for the caps and their defaults.
//!
//! ```
//! use ismap_model::{LimitKind, Limits};
//! let limits = Limits::default().with_input_bytes(1024);
//! let e = limits.check_input_bytes(2048).unwrap_err();
//! assert_eq!(e.kind(), LimitKind::InputBytes);
//! assert_eq!((e.max(), e.actual()), (1024, 2048));
//! assert_eq!(e.to_string(), "input of 2048 bytes exceeds the limit of 1024 bytes (`input_bytes`)");
//! ```

use std::fmt;

use crate::Text;

/// Which limit was exceeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum LimitKind {
    /// The size of one document, in bytes.
    InputBytes,
    /// Nesting depth of arrays and objects (which also bounds OSCAL groups, controls and parts:
    /// two levels each).
    Depth,
    /// The number of items in one document.
    Items,
    /// The length of one journal line, in bytes.
    LineBytes,
    /// Steps visited while enumerating attack paths.
    PathVisits,
}

impl LimitKind {
    /// The limit's name as written in the docs and in [`Limits`]' builder methods.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::InputBytes => "input_bytes",
            Self::Depth => "depth",
            Self::Items => "items",
            Self::LineBytes => "line_bytes",
            Self::PathVisits => "path_visits",
        }
    }

    /// What is counted, in English (`bytes`, `levels`, …).
    const fn unit_en(self) -> &'static str {
        match self {
            Self::InputBytes | Self::LineBytes => "bytes",
            Self::Depth => "levels",
            Self::Items => "items",
            Self::PathVisits => "steps visited",
        }
    }

    const fn unit_ja(self) -> &'static str {
        match self {
            Self::InputBytes | Self::LineBytes => "バイト",
            Self::Depth => "階層",
            Self::Items => "項目",
            Self::PathVisits => "ステップ訪問",
        }
    }

    const fn subject_en(self) -> &'static str {
        match self {
            Self::InputBytes => "input",
            Self::Depth => "nesting",
            Self::Items => "document",
            Self::LineBytes => "line",
            Self::PathVisits => "attack path enumeration",
        }
    }

    const fn subject_ja(self) -> &'static str {
        match self {
            Self::InputBytes => "入力",
            Self::Depth => "入れ子",
            Self::Items => "文書",
            Self::LineBytes => "行",
            Self::PathVisits => "攻撃経路の列挙",
        }
    }
}

impl fmt::Display for LimitKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A limit was exceeded: which one, its value, and the size found.
///
/// For [`LimitKind::Depth`], [`LimitKind::Items`] and [`LimitKind::PathVisits`] the checks stop
/// counting once past the limit, so `actual` is the count reached when the check stopped (at
/// least `max + 1`); for sizes in bytes it is the exact size, except for the inflated size of a
/// compressed container (an XLSX workbook), which is counted only up to `max + 1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[error("{} of {actual} {} exceeds the limit of {max} {} (`{}`)", kind.subject_en(), kind.unit_en(), kind.unit_en(), kind.name())]
pub struct LimitExceeded {
    kind: LimitKind,
    max: usize,
    actual: usize,
}

impl LimitExceeded {
    /// An error for `kind`, whose limit `max` was exceeded by `actual`.
    #[must_use]
    pub const fn new(kind: LimitKind, max: usize, actual: usize) -> Self {
        Self { kind, max, actual }
    }

    /// Which limit.
    #[must_use]
    pub const fn kind(&self) -> LimitKind {
        self.kind
    }

    /// The limit's value.
    #[must_use]
    pub const fn max(&self) -> usize {
        self.max
    }

    /// The size found (see the type's docs for the counted limits).
    #[must_use]
    pub const fn actual(&self) -> usize {
        self.actual
    }

    /// The message in Japanese and English.
    #[must_use]
    pub fn message(&self) -> Text {
        let k = self.kind;
        Text::new(
            format!(
                "{}の大きさ {} {}が上限 {} {}を超えています（`{}`）",
                k.subject_ja(),
                self.actual,
                k.unit_ja(),
                self.max,
                k.unit_ja(),
                k.name()
            ),
            self.to_string(),
        )
    }
}

/// Caps on untrusted input.
///
/// Every document loader of the workspace (catalogs, statements, OSCAL documents, spreadsheets,
/// journals, scenarios and action logs) checks its input against a [`Limits`] before and while
/// parsing. The defaults are far above any real document (the embedded ISMAP catalog is 83 KB;
/// the NIST SP 800-53 rev. 5 catalog about 10 MB) and low enough that a hostile file cannot make a loader
/// exhaust memory, the stack or the CPU. Library users pass their own with the `*_with` loaders.
///
/// | Limit | Default | What it caps |
/// |---|---|---|
/// | [`LimitKind::InputBytes`] | 64 MiB | the size of one document in bytes; for an XLSX workbook also its inflated size and the text of the cells the import keeps |
/// | [`LimitKind::Depth`] | 64 | nesting of arrays and objects (JSON, TOML, YAML flow style), checked before parsing; it bounds OSCAL groups, controls and parts too, each level being two levels of brackets (31 levels of controls by default) |
/// | [`LimitKind::Items`] | 1,000,000 | items in one document: catalog nodes, statement selections, OSCAL catalog controls (nested ones included), OSCAL profile imports plus `set-parameters` and `alters` entries, OSCAL maps, spreadsheet rows (CSV records; XLSX rows up to the last cell, declared and read), scenario steps, tasks and dependency edges, log entries |
/// | [`LimitKind::LineBytes`] | 1 MiB | one line of a JSON Lines journal |
/// | [`LimitKind::PathVisits`] | 1,000,000 | steps visited while enumerating attack paths |
///
///
/// Built from [`Limits::default`] (or [`Limits::DEFAULT`]) and adjusted with the `with_*` methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Limits {
    input_bytes: usize,
    depth: usize,
    items: usize,
    line_bytes: usize,
    path_visits: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl Limits {
    /// The defaults: 64 MiB per document, depth 64, 1,000,000 items, 1 MiB per journal line,
    /// 1,000,000 steps visited per attack path enumeration.
    pub const DEFAULT: Self =
        Self { input_bytes: 64 << 20, depth: 64, items: 1_000_000, line_bytes: 1 << 20, path_visits: 1_000_000 };

    /// The largest document, in bytes.
    #[must_use]
    pub const fn input_bytes(&self) -> usize {
        self.input_bytes
    }

    /// The deepest nesting.
    #[must_use]
    pub const fn depth(&self) -> usize {
        self.depth
    }

    /// The most items in one document.
    #[must_use]
    pub const fn items(&self) -> usize {
        self.items
    }

    /// The longest journal line, in bytes (without its newline).
    #[must_use]
    pub const fn line_bytes(&self) -> usize {
        self.line_bytes
    }

    /// The most steps visited while enumerating attack paths.
    #[must_use]
    pub const fn path_visits(&self) -> usize {
        self.path_visits
    }

    /// With another [`LimitKind::InputBytes`] limit.
    #[must_use]
    pub const fn with_input_bytes(mut self, max: usize) -> Self {
        self.input_bytes = max;
        self
    }

    /// With another [`LimitKind::Depth`] limit.
    #[must_use]
    pub const fn with_depth(mut self, max: usize) -> Self {
        self.depth = max;
        self
    }

    /// With another [`LimitKind::Items`] limit.
    #[must_use]
    pub const fn with_items(mut self, max: usize) -> Self {
        self.items = max;
        self
    }

    /// With another [`LimitKind::LineBytes`] limit.
    #[must_use]
    pub const fn with_line_bytes(mut self, max: usize) -> Self {
        self.line_bytes = max;
        self
    }

    /// With another [`LimitKind::PathVisits`] limit.
    #[must_use]
    pub const fn with_path_visits(mut self, max: usize) -> Self {
        self.path_visits = max;
        self
    }

    /// The value of `kind`'s limit.
    #[must_use]
    pub const fn get(&self, kind: LimitKind) -> usize {
        match kind {
            LimitKind::InputBytes => self.input_bytes,
            LimitKind::Depth => self.depth,
            LimitKind::Items => self.items,
            LimitKind::LineBytes => self.line_bytes,
            LimitKind::PathVisits => self.path_visits,
        }
    }

    /// Checks a count against `kind`'s limit.
    ///
    /// # Errors
    /// [`LimitExceeded`] when `actual` is above the limit.
    pub const fn check(&self, kind: LimitKind, actual: usize) -> Result<(), LimitExceeded> {
        let max = self.get(kind);
        if actual > max { Err(LimitExceeded::new(kind, max, actual)) } else { Ok(()) }
    }

    /// Checks a document's size.
    ///
    /// # Errors
    /// [`LimitExceeded`] when `len` is above [`Limits::input_bytes`].
    pub const fn check_input_bytes(&self, len: usize) -> Result<(), LimitExceeded> {
        self.check(LimitKind::InputBytes, len)
    }

    /// Checks a number of items.
    ///
    /// # Errors
    /// [`LimitExceeded`] when `count` is above [`Limits::items`].
    pub const fn check_items(&self, count: usize) -> Result<(), LimitExceeded> {
        self.check(LimitKind::Items, count)
    }

    /// Checks a document's size and its bracket nesting ([`Limits::check_bracket_depth`]):
    /// what every text loader does before parsing.
    ///
    /// # Errors
    /// [`LimitExceeded`] for the first limit exceeded.
    pub fn check_text(&self, text: &str) -> Result<(), LimitExceeded> {
        self.check_input_bytes(text.len())?;
        self.check_bracket_depth(text)
    }

    /// Checks the nesting of `[`/`{` in a JSON, TOML or YAML text, ignoring brackets inside
    /// double-quoted strings (with `\` escapes) and, for TOML and YAML, inside single-quoted
    /// strings and `#` comments. Runs in one pass without allocating, before a parser recurses.
    ///
    /// It bounds the nesting that parsers build by recursion. Nesting that other syntax builds
    /// (TOML dotted keys and table headers, YAML block indentation) is bounded by the item and
    /// size limits and by the document types, whose shapes are not recursive apart from OSCAL's;
    /// OSCAL documents are JSON, where each level of groups, controls or parts is two bracket
    /// levels (an array and an object), so this check bounds them too (depth 64: controls nest at
    /// most 31 deep).
    ///
    /// # Errors
    /// [`LimitExceeded`] with [`LimitKind::Depth`] once the nesting passes [`Limits::depth`].
    pub fn check_bracket_depth(&self, text: &str) -> Result<(), LimitExceeded> {
        #[derive(Clone, Copy, PartialEq, Eq)]
        enum In {
            Code,
            Double,
            DoubleEscape,
            Single,
            Comment,
        }
        let mut state = In::Code;
        let mut depth = 0usize;
        for b in text.bytes() {
            state = match (state, b) {
                (In::Code, b'[' | b'{') => {
                    depth += 1;
                    self.check(LimitKind::Depth, depth)?;
                    In::Code
                }
                (In::Code, b']' | b'}') => {
                    depth = depth.saturating_sub(1);
                    In::Code
                }
                (In::Code, b'"') => In::Double,
                (In::Code, b'\'') => In::Single,
                (In::Code, b'#') => In::Comment,
                (In::Double, b'\\') => In::DoubleEscape,
                (In::Double, b'"') | (In::Single, b'\'') | (In::Double | In::Single | In::Comment, b'\n') => In::Code,
                (In::DoubleEscape, _) => In::Double,
                (s, _) => s,
            };
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Lang;

    #[test]
    fn checks_are_inclusive_of_the_limit() {
        let l = Limits::default().with_items(3);
        assert_eq!(l.check_items(3), Ok(()));
        assert_eq!(l.check_items(4), Err(LimitExceeded::new(LimitKind::Items, 3, 4)));
    }

    #[test]
    fn messages_name_the_limit_its_value_and_the_size_in_both_languages() {
        let e = LimitExceeded::new(LimitKind::Depth, 64, 65);
        assert_eq!(e.to_string(), "nesting of 65 levels exceeds the limit of 64 levels (`depth`)");
        assert_eq!(e.message().get(Lang::Ja), "入れ子の大きさ 65 階層が上限 64 階層を超えています（`depth`）");
    }

    #[test]
    fn bracket_depth_counts_structure_not_strings_or_comments() {
        let l = Limits::default().with_depth(2);
        assert_eq!(l.check_bracket_depth(r#"{"a": [1, 2]}"#), Ok(()));
        assert_eq!(l.check_bracket_depth(r#"{"a": [[1]]}"#).map_err(|e| e.actual()), Err(3));
        assert_eq!(l.check_bracket_depth(r#"{"a": "[[[[\"[[["}"#), Ok(()));
        assert_eq!(l.check_bracket_depth("a = '[[[['\n# [[[[\nb = [1]"), Ok(()));
        assert_eq!(l.check_bracket_depth("[[[").map(|()| 0).map_err(|e| e.kind()), Err(LimitKind::Depth));
        // Closing brackets never underflow.
        assert_eq!(l.check_bracket_depth("]]]]{{"), Ok(()));
    }

    #[test]
    fn defaults_are_documented_values() {
        let d = Limits::default();
        assert_eq!(
            (d.input_bytes(), d.depth(), d.items(), d.line_bytes(), d.path_visits()),
            (64 << 20, 64, 1_000_000, 1 << 20, 1_000_000)
        );
    }
}
