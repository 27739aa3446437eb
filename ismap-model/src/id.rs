//! Identifiers of the ISMAP control criteria (管理基準).
//!
//! Source: CC-EN-2022 §1.3.17–1.3.19 and §2.1 (`shared/reference/ismap-facts.md` §1.2, §1.3).
//! An identifier is one to four dot-separated positive numbers, optionally followed by one suffix:
//!
//! | level | digits | example | suffixes allowed |
//! |---|---|---|---|
//! | domain (chapter 5 clause, or chapter 3/4) | 1 | `8` | none |
//! | category | 2 | `8.1`, `6.3.P` | `P` |
//! | control objective (統制目標) | 3 | `8.1.2`, `6.3.1.P` | `P` |
//! | detailed control (詳細管理策) | 4 | `8.1.2.7.PB` | `P`, `B`, `PB` |
//!
//! `.P` marks cloud-specific items, `.B` basic statement requirements (mandatory), `.PB` both.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The level of a node in the criteria tree, given by how many numbers its id has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ControlLevel {
    /// One number: a domain, e.g. `8` (asset management) or `3` (governance criteria).
    Domain,
    /// Two numbers: a category, e.g. `8.1`.
    Category,
    /// Three numbers: a control objective (統制目標), e.g. `8.1.2`.
    Objective,
    /// Four numbers: a detailed control (詳細管理策), e.g. `8.1.2.7.PB`.
    Detailed,
}

impl ControlLevel {
    /// How many numbers an id of this level has.
    #[must_use]
    pub const fn depth(self) -> usize {
        match self {
            Self::Domain => 1,
            Self::Category => 2,
            Self::Objective => 3,
            Self::Detailed => 4,
        }
    }

    /// The level whose ids have `depth` numbers, if any.
    #[must_use]
    pub const fn from_depth(depth: usize) -> Option<Self> {
        match depth {
            1 => Some(Self::Domain),
            2 => Some(Self::Category),
            3 => Some(Self::Objective),
            4 => Some(Self::Detailed),
            _ => None,
        }
    }

    /// The level of this level's parent (`None` for a domain).
    #[must_use]
    pub const fn parent(self) -> Option<Self> {
        match self {
            Self::Domain => None,
            Self::Category => Some(Self::Domain),
            Self::Objective => Some(Self::Category),
            Self::Detailed => Some(Self::Objective),
        }
    }

    /// The Japanese name of the level.
    #[must_use]
    pub const fn name_ja(self) -> &'static str {
        match self {
            Self::Domain => "領域",
            Self::Category => "カテゴリ",
            Self::Objective => "統制目標",
            Self::Detailed => "詳細管理策",
        }
    }

    /// The English name of the level.
    #[must_use]
    pub const fn name_en(self) -> &'static str {
        match self {
            Self::Domain => "domain",
            Self::Category => "category",
            Self::Objective => "control objective",
            Self::Detailed => "detailed control",
        }
    }

    /// Which suffixes an id of this level may carry (CC-EN-2022 §2.1; facts §1.3 "Where suffixes occur").
    #[must_use]
    pub const fn allows(self, suffix: Suffix) -> bool {
        match self {
            Self::Domain => false,
            Self::Category | Self::Objective => matches!(suffix, Suffix::P),
            Self::Detailed => true,
        }
    }
}

impl fmt::Display for ControlLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name_en())
    }
}

/// The suffix of an id: `.P` (cloud-specific), `.B` (basic statement requirement) or `.PB` (both).
///
/// Source: CC-EN-2022 §2.1 (facts §1.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
pub enum Suffix {
    /// `.P`: specific to cloud services (from JIS Q 27017).
    P,
    /// `.B`: a basic statement requirement (基本言明要件), mandatory.
    B,
    /// `.PB`: cloud-specific and mandatory.
    PB,
}

impl Suffix {
    /// Whether the suffix marks a cloud-specific item (`P` or `PB`).
    #[must_use]
    pub const fn is_cloud_specific(self) -> bool {
        matches!(self, Self::P | Self::PB)
    }

    /// Whether the suffix marks a basic statement requirement (`B` or `PB`).
    #[must_use]
    pub const fn is_basic_requirement(self) -> bool {
        matches!(self, Self::B | Self::PB)
    }

    /// The suffix as written after the last dot.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::P => "P",
            Self::B => "B",
            Self::PB => "PB",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        match s {
            "P" => Some(Self::P),
            "B" => Some(Self::B),
            "PB" => Some(Self::PB),
            _ => None,
        }
    }
}

impl fmt::Display for Suffix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a string is not a [`ControlId`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ControlIdError {
    /// The string is empty.
    #[error("empty control id")]
    Empty,
    /// Two dots in a row, or a leading or trailing dot.
    #[error("control id `{input}` has an empty part at position {position}")]
    EmptyPart {
        /// The whole input.
        input: String,
        /// 1-based position of the empty part.
        position: usize,
    },
    /// A part is neither a number nor a known suffix.
    #[error("control id `{input}`: `{part}` is not a number (expected digits, or the suffix P, B or PB last)")]
    InvalidPart {
        /// The whole input.
        input: String,
        /// The offending part.
        part: String,
    },
    /// A number with a leading zero (`08`) or the number zero: ids number from 1.
    #[error("control id `{input}`: `{part}` must be a positive number without leading zeros")]
    NonCanonicalNumber {
        /// The whole input.
        input: String,
        /// The offending part.
        part: String,
    },
    /// A number above [`MAX_NUMBER`].
    #[error("control id `{input}`: `{part}` is larger than 9999")]
    NumberTooLarge {
        /// The whole input.
        input: String,
        /// The offending part.
        part: String,
    },
    /// More than four numbers.
    #[error("control id `{input}` has {count} numbers; ids have 1 to 4 (domain to detailed control)")]
    TooDeep {
        /// The whole input.
        input: String,
        /// How many numbers were found.
        count: usize,
    },
    /// A suffix alone, or a suffix in the middle.
    #[error("control id `{input}`: the suffix must come last, after at least one number")]
    MisplacedSuffix {
        /// The whole input.
        input: String,
    },
    /// The suffix is not allowed at this level (`B` on an objective, any suffix on a domain).
    #[error("control id `{input}`: suffix `{suffix}` is not allowed on a {level}")]
    SuffixNotAllowed {
        /// The whole input.
        input: String,
        /// The suffix found.
        suffix: Suffix,
        /// The level given by the numbers.
        level: ControlLevel,
    },
}

/// The largest number a part of an id may hold (serials reach about 20 in the 2022 criteria).
pub const MAX_NUMBER: u16 = 9999;

/// Regular expression that matches exactly the strings [`ControlId::from_str`] accepts.
pub const CONTROL_ID_PATTERN: &str = r"^[1-9][0-9]{0,3}(\.[1-9][0-9]{0,3}(\.P)?|\.[1-9][0-9]{0,3}\.[1-9][0-9]{0,3}(\.P)?|\.[1-9][0-9]{0,3}\.[1-9][0-9]{0,3}\.[1-9][0-9]{0,3}(\.(P|B|PB))?)?$";

/// A validated identifier of a node of the ISMAP criteria: `8`, `6.3.P`, `8.1.2`, `8.1.2.7.PB`.
///
/// Ordering is numeric (`9.2.10` after `9.2.9`), then by suffix; a parent sorts before its children.
/// Serialized as its string form; its JSON Schema carries [`CONTROL_ID_PATTERN`].
///
/// ```
/// use ismap_model::{ControlId, ControlLevel, Suffix};
/// let id: ControlId = "8.1.2.7.PB".parse()?;
/// assert_eq!(id.level(), ControlLevel::Detailed);
/// assert_eq!(id.suffix(), Some(Suffix::PB));
/// assert_eq!(id.parent().map(|p| p.to_string()), Some("8.1.2".to_string()));
/// assert!("9.2.9".parse::<ControlId>()? < "9.2.10".parse::<ControlId>()?);
/// # Ok::<(), ismap_model::ControlIdError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ControlId {
    nums: [u16; 4],
    len: u8,
    suffix: Option<Suffix>,
}

/// The numbers of an id without its suffix: how the criteria nest (`6.3.1.1.PB` sits under `6.3.1.P`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NumericPath {
    nums: [u16; 4],
    len: u8,
}

impl NumericPath {
    /// The numbers.
    #[must_use]
    pub fn numbers(&self) -> &[u16] {
        self.nums.get(..usize::from(self.len)).unwrap_or(&[])
    }

    /// The path one level up, if any.
    #[must_use]
    pub fn parent(&self) -> Option<Self> {
        if self.len <= 1 {
            return None;
        }
        let mut nums = self.nums;
        if let Some(last) = nums.get_mut(usize::from(self.len) - 1) {
            *last = 0;
        }
        Some(Self { nums, len: self.len - 1 })
    }
}

impl fmt::Display for NumericPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, n) in self.numbers().iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            write!(f, "{n}")?;
        }
        Ok(())
    }
}

impl ControlId {
    /// Builds an id from its numbers and suffix, checking the same rules as parsing.
    ///
    /// # Errors
    /// When there are 0 or more than 4 numbers, a zero, or a suffix the level does not allow.
    pub fn new(numbers: &[u16], suffix: Option<Suffix>) -> Result<Self, ControlIdError> {
        let mut s = numbers.iter().map(u16::to_string).collect::<Vec<_>>().join(".");
        if let Some(sfx) = suffix {
            s.push('.');
            s.push_str(sfx.as_str());
        }
        s.parse()
    }

    /// The level (domain, category, objective or detailed control).
    #[must_use]
    pub fn level(&self) -> ControlLevel {
        match self.len {
            1 => ControlLevel::Domain,
            2 => ControlLevel::Category,
            3 => ControlLevel::Objective,
            _ => ControlLevel::Detailed,
        }
    }

    /// The numbers, e.g. `[8, 1, 2, 7]` for `8.1.2.7.PB`.
    #[must_use]
    pub fn numbers(&self) -> &[u16] {
        self.nums.get(..usize::from(self.len)).unwrap_or(&[])
    }

    /// The suffix, if any.
    #[must_use]
    pub const fn suffix(&self) -> Option<Suffix> {
        self.suffix
    }

    /// The numbers without the suffix.
    #[must_use]
    pub const fn path(&self) -> NumericPath {
        NumericPath { nums: self.nums, len: self.len }
    }

    /// The first number: the domain (3 governance, 4 management, 5–18 controls).
    #[must_use]
    pub const fn domain(&self) -> u16 {
        self.nums[0]
    }

    /// The id of the domain this id lies in (`8` for `8.1.2.7.PB`).
    #[must_use]
    pub const fn domain_id(&self) -> Self {
        Self { nums: [self.nums[0], 0, 0, 0], len: 1, suffix: None }
    }

    /// The last number (the serial within the parent).
    #[must_use]
    pub fn serial(&self) -> u16 {
        self.numbers().last().copied().unwrap_or(0)
    }

    /// Whether the id is marked cloud-specific (`P` or `PB`).
    #[must_use]
    pub fn is_cloud_specific(&self) -> bool {
        self.suffix.is_some_and(Suffix::is_cloud_specific)
    }

    /// Whether the id is marked as a basic statement requirement (`B` or `PB`).
    #[must_use]
    pub fn is_basic_requirement(&self) -> bool {
        self.suffix.is_some_and(Suffix::is_basic_requirement)
    }

    /// The parent's id **without** a suffix (a parent's suffix cannot be read from a child's id:
    /// `6.3.1.1.PB` sits under `6.3.1.P`). Use [`ControlId::path`] to look parents up.
    #[must_use]
    pub fn parent(&self) -> Option<Self> {
        let p = self.path().parent()?;
        Some(Self { nums: p.nums, len: p.len, suffix: None })
    }

    /// Whether `self` lies under `ancestor` (compared by numbers, suffixes ignored).
    #[must_use]
    pub fn is_descendant_of(&self, ancestor: &Self) -> bool {
        ancestor.len < self.len && self.numbers().starts_with(ancestor.numbers())
    }
}

impl FromStr for ControlId {
    type Err = ControlIdError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        if input.is_empty() {
            return Err(ControlIdError::Empty);
        }
        let mut nums = [0u16; 4];
        let mut len = 0usize;
        let mut suffix = None;
        let mut parts = input.split('.').enumerate().peekable();
        while let Some((i, part)) = parts.next() {
            if part.is_empty() {
                return Err(ControlIdError::EmptyPart { input: input.to_owned(), position: i + 1 });
            }
            if let Some(sfx) = Suffix::parse(part) {
                if len == 0 || parts.peek().is_some() {
                    return Err(ControlIdError::MisplacedSuffix { input: input.to_owned() });
                }
                suffix = Some(sfx);
                continue;
            }
            if suffix.is_some() {
                return Err(ControlIdError::MisplacedSuffix { input: input.to_owned() });
            }
            if !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(ControlIdError::InvalidPart { input: input.to_owned(), part: part.to_owned() });
            }
            if part.starts_with('0') {
                return Err(ControlIdError::NonCanonicalNumber { input: input.to_owned(), part: part.to_owned() });
            }
            let n: u16 = match part.parse() {
                Ok(n) if n <= MAX_NUMBER => n,
                _ => return Err(ControlIdError::NumberTooLarge { input: input.to_owned(), part: part.to_owned() }),
            };
            match nums.get_mut(len) {
                Some(slot) => *slot = n,
                None => {
                    let count = input.split('.').filter(|p| Suffix::parse(p).is_none()).count();
                    return Err(ControlIdError::TooDeep { input: input.to_owned(), count });
                }
            }
            len += 1;
        }
        let level = ControlLevel::from_depth(len).ok_or(ControlIdError::Empty)?;
        if let Some(sfx) = suffix
            && !level.allows(sfx)
        {
            return Err(ControlIdError::SuffixNotAllowed { input: input.to_owned(), suffix: sfx, level });
        }
        // len is 1..=4 here, so it fits in a u8.
        Ok(Self { nums, len: u8::try_from(len).unwrap_or(4), suffix })
    }
}

impl fmt::Display for ControlId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.path(), f)?;
        if let Some(s) = self.suffix {
            write!(f, ".{s}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for ControlId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ControlId({self})")
    }
}

impl Ord for ControlId {
    fn cmp(&self, other: &Self) -> Ordering {
        self.numbers().cmp(other.numbers()).then(self.suffix.cmp(&other.suffix))
    }
}

impl PartialOrd for ControlId {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Serialize for ControlId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ControlId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for ControlId {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ControlId".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "An ISMAP criteria id: 1 to 4 dot-separated numbers, then optionally P (categories, objectives, detailed controls), B or PB (detailed controls only). Examples: 8, 6.3.P, 8.1.2, 8.1.2.7.PB.",
            "pattern": CONTROL_ID_PATTERN,
            "examples": ["8", "6.3.P", "8.1.2", "8.1.2.7.PB"]
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn id(s: &str) -> ControlId {
        s.parse().unwrap()
    }

    #[test]
    fn parses_every_level() {
        assert_eq!(id("8").level(), ControlLevel::Domain);
        assert_eq!(id("6.3.P").level(), ControlLevel::Category);
        assert_eq!(id("6.3.1.P").level(), ControlLevel::Objective);
        assert_eq!(id("8.1.2.7.PB").level(), ControlLevel::Detailed);
        assert_eq!(id("15.1.1.14.B").suffix(), Some(Suffix::B));
        assert!(id("8.1.5.4.P").is_cloud_specific());
        assert!(!id("8.1.5.4.P").is_basic_requirement());
    }

    #[test]
    fn precise_errors() {
        use ControlIdError as E;
        assert_eq!("".parse::<ControlId>(), Err(E::Empty));
        assert!(matches!("8..1".parse::<ControlId>(), Err(E::EmptyPart { position: 2, .. })));
        assert!(matches!("8.1.".parse::<ControlId>(), Err(E::EmptyPart { position: 3, .. })));
        assert!(matches!("8.x".parse::<ControlId>(), Err(E::InvalidPart { part, .. }) if part == "x"));
        assert!(matches!("08.1".parse::<ControlId>(), Err(E::NonCanonicalNumber { .. })));
        assert!(matches!("8.0".parse::<ControlId>(), Err(E::NonCanonicalNumber { .. })));
        assert!(matches!("1.2.3.4.5".parse::<ControlId>(), Err(E::TooDeep { count: 5, .. })));
        assert!(matches!("P".parse::<ControlId>(), Err(E::MisplacedSuffix { .. })));
        assert!(matches!("8.P.1".parse::<ControlId>(), Err(E::MisplacedSuffix { .. })));
        assert!(matches!(
            "8.1.2.B".parse::<ControlId>(),
            Err(E::SuffixNotAllowed { suffix: Suffix::B, level: ControlLevel::Objective, .. })
        ));
        assert!(matches!(
            "8.P".parse::<ControlId>(),
            Err(E::SuffixNotAllowed { suffix: Suffix::P, level: ControlLevel::Domain, .. })
        ));
        assert!(matches!(
            "6.3.PB".parse::<ControlId>(),
            Err(E::SuffixNotAllowed { suffix: Suffix::PB, level: ControlLevel::Category, .. })
        ));
        assert!(matches!("10000.1".parse::<ControlId>(), Err(E::NumberTooLarge { .. })));
    }

    #[test]
    fn numeric_order_and_parents() {
        assert!(id("9.2.9") < id("9.2.10"));
        assert!(id("8.1") < id("8.1.1"));
        assert!(id("6.3.1.P") < id("6.3.1.1.PB"));
        assert_eq!(id("6.3.1.1.PB").parent(), Some(id("6.3.1")));
        assert_eq!(id("6.3.1.1.PB").path().parent(), Some(id("6.3.1.P").path()));
        assert!(id("6.3.1.1.PB").is_descendant_of(&id("6.3.P")));
        assert!(!id("6.3").is_descendant_of(&id("6.3")));
        assert_eq!(id("8").parent(), None);
    }
}
