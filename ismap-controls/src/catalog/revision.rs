//! Revisions of the control criteria: the revision history, the embedded revisions, which one is
//! in force on a date, and what changed between two (added, removed, renumbered, re-flagged and
//! retitled items).
//!
//! A revision that renumbers items (the 2025 draft may re-base the criteria on ISO/IEC
//! 27002:2022; its content is not public) carries a [`Renumbering`] from the previous revision's
//! ids to its own: the diff and the statement migration follow it, so such a revision fits the
//! same code as the 2024 one, which only added items.

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::sync::OnceLock;

use chrono::NaiveDate;
use ismap_model::{ControlId, ControlLevel, DocumentVersion, Lang, Text};
use schemars::JsonSchema;
use semver::Version;
use serde::Serialize;

use super::{Catalog, Node, Requirement};

/// How precisely a revision's date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DatePrecision {
    /// The day is published.
    Day,
    /// Only the month is published; the date is the month's first day.
    Month,
}

/// A mapping from one revision's item ids to the next revision's (old → new), for revisions
/// that renumber items. Items it does not name keep their numbers.
///
/// ```
/// use ismap_controls::Renumbering;
/// let r = Renumbering::new([("5.1.1".parse()?, "5.1".parse()?)]);
/// assert_eq!(r.apply(&"5.1.1".parse()?).to_string(), "5.1");
/// assert_eq!(r.apply(&"6.1.1".parse()?).to_string(), "6.1.1");
/// assert_eq!(r.inverse().apply(&"5.1".parse()?).to_string(), "5.1.1");
/// # Ok::<(), ismap_model::ControlIdError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(transparent)]
pub struct Renumbering(BTreeMap<ControlId, ControlId>);

impl Renumbering {
    /// A renumbering from (old, new) pairs.
    pub fn new(pairs: impl IntoIterator<Item = (ControlId, ControlId)>) -> Self {
        Self(pairs.into_iter().collect())
    }

    /// Whether it renumbers nothing.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The new id of `id`: its mapping (matched by id, or by its numbers whatever the suffix),
    /// or `id` itself.
    #[must_use]
    pub fn apply(&self, id: &ControlId) -> ControlId {
        self.0
            .get(id)
            .or_else(|| self.0.iter().find(|(old, _)| old.path() == id.path()).map(|(_, new)| new))
            .copied()
            .unwrap_or(*id)
    }

    /// This renumbering followed by `next`.
    #[must_use]
    pub fn then(&self, next: &Self) -> Self {
        let mut out: BTreeMap<ControlId, ControlId> = self.0.iter().map(|(a, b)| (*a, next.apply(b))).collect();
        for (a, b) in &next.0 {
            if !self.0.values().any(|v| v.path() == a.path()) {
                out.entry(*a).or_insert(*b);
            }
        }
        out.retain(|a, b| a != b);
        Self(out)
    }

    /// The mapping back (new → old).
    #[must_use]
    pub fn inverse(&self) -> Self {
        Self(self.0.iter().map(|(a, b)| (*b, *a)).collect())
    }

    /// The (old, new) pairs.
    pub fn pairs(&self) -> impl Iterator<Item = (&ControlId, &ControlId)> + '_ {
        self.0.iter()
    }
}

/// One revision of the control criteria, from the revision history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[non_exhaustive]
pub struct CatalogRevision {
    /// Its version (`year.month.day` of the revision date).
    #[schemars(with = "String")]
    pub version: Version,
    /// The day it took effect (the month's first day when only the month is published).
    pub effective: NaiveDate,
    /// Whether the day or only the month is published.
    pub precision: DatePrecision,
    /// What changed, in our own words.
    pub changes: Text,
    /// The public document that reports it.
    pub source: String,
    /// Whether the library embeds its structure ([`Catalog::revision`]).
    pub embedded: bool,
    /// Ids renumbered from the previous embedded revision (empty when none).
    #[serde(skip_serializing_if = "Renumbering::is_empty")]
    pub renumbering: Renumbering,
}

impl CatalogRevision {
    /// The effective date as published: `2024-07` for a month, `2022-04-01` for a day.
    #[must_use]
    pub fn effective_text(&self) -> String {
        match self.precision {
            DatePrecision::Day => self.effective.to_string(),
            DatePrecision::Month => self.effective.format("%Y-%m").to_string(),
        }
    }
}

/// A criteria revision the library does not embed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("criteria revision `{version}` is not known (known revisions: {})", known_list(.known))]
#[non_exhaustive]
pub struct UnknownRevision {
    /// The version asked for.
    pub version: Version,
    /// The embedded revisions.
    pub known: Vec<Version>,
}

fn known_list(known: &[Version]) -> String {
    known.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
}

impl UnknownRevision {
    /// The message in both languages.
    #[must_use]
    pub fn text(&self) -> Text {
        Text::new(
            format!("管理基準の版 `{}` は未知です（既知の版: {}）", self.version, known_list(&self.known)),
            self.to_string(),
        )
    }
}

const ISMAP_2024_JSON: &str = include_str!("../../data/ismap-2024-07-01.json");

fn revision(
    version: (u64, u64, u64),
    precision: DatePrecision,
    changes: (&str, &str),
    source: &str,
    embedded: bool,
) -> Option<CatalogRevision> {
    let (y, m, d) = version;
    Some(CatalogRevision {
        version: Version::new(y, m, d),
        effective: NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, u32::try_from(m).ok()?, u32::try_from(d).ok()?)?,
        precision,
        changes: Text::new(changes.0, changes.1),
        source: source.to_owned(),
        embedded,
        renumbering: Renumbering::default(),
    })
}

fn history() -> Vec<CatalogRevision> {
    use DatePrecision::{Day, Month};
    let table = "Control Criteria (English reference translation, 2022-04-01), revision table";
    [
        revision(
            (2020, 6, 3),
            Day,
            ("ISMAP の規程の施行（初版）", "ISMAP regulations take effect (first version)"),
            table,
            false,
        ),
        revision((2020, 8, 20), Day, ("軽微な修正", "Minor corrections"), table, false),
        revision(
            (2020, 12, 25),
            Day,
            ("付録1（重点領域）の追加、軽微な修正", "Appendix 1 (critical areas) added; minor corrections"),
            table,
            false,
        ),
        revision((2021, 3, 12), Day, ("定義1.3.15「暗号」の改訂", "Definition 1.3.15 \"Cryptography\" revised"), table, false),
        revision((2021, 6, 22), Day, ("2.2.5「監査対象期間」の改訂", "§2.2.5 \"Assessment period\" revised"), table, false),
        revision(
            (2022, 4, 1),
            Day,
            (
                "第5章に統制目標の文言を追加、統一基準（2021年7月）に合わせ詳細管理策を改訂、1.2・2.2.3・2.2.4（基本言明要件）の改訂",
                "Control Objective text added to Chapter 5; detailed controls revised for the July 2021 Common Standards; §1.2, §2.2.3 and §2.2.4 (basic statement requirements) revised",
            ),
            table,
            true,
        ),
        revision(
            (2023, 10, 1),
            Month,
            (
                "管理策の重要度による分類と複数年の外部監査サイクルの導入（管理策の数と番号は変わらない）",
                "Controls classified by importance; multi-year external audit cycle (no item added, removed or renumbered)",
            ),
            "KPMG Japan, ISMAP revision overview (2024-05)",
            false,
        ),
        revision(
            (2024, 7, 1),
            Month,
            (
                "詳細管理策4件の追加（8.1.5.4.P、12.2.1.15、13.2.3.7.P、16.1.5.10）、例示4件の追加、統一基準に合わせた文言修正",
                "Four detailed controls added (8.1.5.4.P, 12.2.1.15, 13.2.3.7.P, 16.1.5.10), four examples added, wording aligned with the Common Standards",
            ),
            "KPMG Japan, ISMAP control criteria revision (2024-09)",
            true,
        ),
    ]
    .into_iter()
    .flatten()
    .collect()
}

impl Catalog {
    /// The revision history of the control criteria, oldest first, as far as public sources
    /// give it; [`CatalogRevision::embedded`] marks the revisions whose structure the library
    /// holds (2022.4.1 and 2024.7.1).
    #[must_use]
    pub fn revisions() -> &'static [CatalogRevision] {
        static HISTORY: OnceLock<Vec<CatalogRevision>> = OnceLock::new();
        HISTORY.get_or_init(history)
    }

    /// The embedded structure of the July 2024 revision (version 2024.7.1): the 2022-04-01
    /// structure plus the four detailed controls the revision added.
    #[must_use]
    pub fn ismap_2024() -> &'static Self {
        static CATALOG: OnceLock<Catalog> = OnceLock::new();
        CATALOG.get_or_init(|| Self::from_json_str(ISMAP_2024_JSON).map(|(c, _)| c).unwrap_or_else(|_| Self::empty()))
    }

    /// The July 2024 revision's source text (JSON).
    #[must_use]
    pub const fn ismap_2024_json() -> &'static str {
        ISMAP_2024_JSON
    }

    /// Every embedded revision, oldest first.
    #[must_use]
    pub fn embedded() -> [&'static Self; 2] {
        [Self::ismap_2022(), Self::ismap_2024()]
    }

    /// The embedded revision with this version, as a statement's `catalog_version` names it.
    ///
    /// ```
    /// use ismap_controls::Catalog;
    /// assert_eq!(Catalog::revision(&"2024.7.1".parse()?)?.meta().effective.to_string(), "2024-07-01");
    /// let err = Catalog::revision(&"2025.1.1".parse()?).unwrap_err();
    /// assert!(err.to_string().contains("known revisions: 2022.4.1, 2024.7.1"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`UnknownRevision`], listing the known versions.
    pub fn revision(version: &Version) -> Result<&'static Self, UnknownRevision> {
        Self::embedded().into_iter().find(|c| c.meta().version == *version).ok_or_else(|| UnknownRevision {
            version: version.clone(),
            known: Self::embedded().iter().map(|c| c.meta().version.clone()).collect(),
        })
    }

    /// The newest embedded revision in force on `date`; `None` before 2022-04-01 (the earlier
    /// revisions' structure is not embedded). Revisions that changed no item (2023-10) are in
    /// [`Catalog::revisions`] but not embedded, so the one before them stays in force here.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use ismap_controls::Catalog;
    /// let on = |y, m, d| Catalog::in_force(NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default());
    /// assert_eq!(on(2024, 6, 30).map(|c| c.meta().version.to_string()).as_deref(), Some("2022.4.1"));
    /// assert_eq!(on(2024, 7, 1).map(|c| c.meta().version.to_string()).as_deref(), Some("2024.7.1"));
    /// assert!(on(2021, 1, 1).is_none());
    /// ```
    #[must_use]
    pub fn in_force(date: NaiveDate) -> Option<&'static Self> {
        Self::embedded().into_iter().rev().find(|c| c.meta().effective <= date)
    }

    /// The renumbering from embedded revision `from` to embedded revision `to` (either
    /// direction): the revisions' renumberings composed in order.
    #[must_use]
    pub fn renumbering_between(from: &Version, to: &Version) -> Renumbering {
        let (lo, hi, back) = if from <= to { (from, to, false) } else { (to, from, true) };
        let forward = Self::revisions()
            .iter()
            .filter(|r| r.version > *lo && r.version <= *hi)
            .fold(Renumbering::default(), |acc, r| acc.then(&r.renumbering));
        if back { forward.inverse() } else { forward }
    }
}

/// An item of a diff: its id, level, requirement and title.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[non_exhaustive]
pub struct DiffItem {
    /// Its id.
    pub id: ControlId,
    /// Its level.
    pub level: ControlLevel,
    /// What the criteria require of it.
    pub requirement: Requirement,
    /// Its title (or a generic one).
    pub title: Text,
}

impl DiffItem {
    fn of(n: &Node) -> Self {
        Self { id: n.id, level: n.level, requirement: n.requirement, title: n.title_or_default() }
    }
}

/// An item whose id changed through a renumbering.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[non_exhaustive]
pub struct Renumbered {
    /// The id in the older revision.
    pub from: ControlId,
    /// The id in the newer revision.
    pub to: ControlId,
}

/// An item whose suffix or requirement changed (e.g. an optional control becoming `.B`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[non_exhaustive]
pub struct Reflagged {
    /// The id before.
    pub from: ControlId,
    /// The id after.
    pub to: ControlId,
    /// The requirement before.
    pub requirement_before: Requirement,
    /// The requirement after.
    pub requirement_after: Requirement,
}

/// An item whose title changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[non_exhaustive]
pub struct Retitled {
    /// The id (in the newer revision).
    pub id: ControlId,
    /// The title before.
    pub before: Option<Text>,
    /// The title after.
    pub after: Option<Text>,
}

/// What changed from one catalog revision to another.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[schemars(title = "ISMAP criteria catalog diff")]
#[non_exhaustive]
pub struct CatalogDiff {
    /// Format version of this report (1).
    pub format_version: DocumentVersion<1>,
    /// The older catalog's version.
    pub from: String,
    /// The newer catalog's version.
    pub to: String,
    /// Items only the newer catalog has.
    pub added: Vec<DiffItem>,
    /// Items only the older catalog has.
    pub removed: Vec<DiffItem>,
    /// Items renumbered.
    pub renumbered: Vec<Renumbered>,
    /// Items whose suffix or requirement changed.
    pub reflagged: Vec<Reflagged>,
    /// Items whose title changed.
    pub retitled: Vec<Retitled>,
}

impl CatalogDiff {
    /// What changed from `from` to `to`, following `renumbering` (old id → new id; items it does
    /// not name are matched by their numbers).
    ///
    /// ```
    /// use ismap_controls::{Catalog, CatalogDiff};
    /// let renumbering = Catalog::renumbering_between(&"2022.4.1".parse()?, &"2024.7.1".parse()?);
    /// let diff = CatalogDiff::between(Catalog::ismap_2022(), Catalog::ismap_2024(), &renumbering);
    /// let added: Vec<String> = diff.added.iter().map(|i| i.id.to_string()).collect();
    /// assert_eq!(added, ["8.1.5.4.P", "12.2.1.15", "13.2.3.7.P", "16.1.5.10"]);
    /// assert!(diff.removed.is_empty() && diff.renumbered.is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn between(from: &Catalog, to: &Catalog, renumbering: &Renumbering) -> Self {
        let mut diff = Self {
            format_version: DocumentVersion::current(),
            from: from.meta().version.to_string(),
            to: to.meta().version.to_string(),
            added: Vec::new(),
            removed: Vec::new(),
            renumbered: Vec::new(),
            reflagged: Vec::new(),
            retitled: Vec::new(),
        };
        let mut matched = HashSet::new();
        for n in from.nodes() {
            let target = renumbering.apply(&n.id);
            let Some(m) = to.get_by_path(&target.path()) else {
                diff.removed.push(DiffItem::of(n));
                continue;
            };
            matched.insert(m.id.path());
            if target.path() != n.id.path() {
                diff.renumbered.push(Renumbered { from: n.id, to: m.id });
            }
            if m.id.suffix() != n.id.suffix() || m.requirement != n.requirement {
                diff.reflagged.push(Reflagged {
                    from: n.id,
                    to: m.id,
                    requirement_before: n.requirement,
                    requirement_after: m.requirement,
                });
            }
            if m.title != n.title {
                diff.retitled.push(Retitled { id: m.id, before: n.title.clone(), after: m.title.clone() });
            }
        }
        diff.added = to.nodes().filter(|m| !matched.contains(&m.id.path())).map(DiffItem::of).collect();
        diff
    }

    /// Whether nothing changed.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.renumbered.is_empty()
            && self.reflagged.is_empty()
            && self.retitled.is_empty()
    }
}

impl CatalogDiff {
    /// One line counting each kind of change, in both languages.
    #[must_use]
    pub fn summary(&self) -> Text {
        let (a, r, n, f, t) =
            (self.added.len(), self.removed.len(), self.renumbered.len(), self.reflagged.len(), self.retitled.len());
        Text::new(
            format!("{} → {}: 追加 {a}、削除 {r}、番号変更 {n}、区分変更 {f}、名称変更 {t}", self.from, self.to),
            format!(
                "{} → {}: {a} added, {r} removed, {n} renumbered, {f} re-flagged, {t} retitled",
                self.from, self.to
            ),
        )
    }
}

impl fmt::Display for CatalogDiff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.summary().get(Lang::En))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> ControlId {
        s.parse().unwrap()
    }

    /// Two renumbering revisions in a row compose: 5.1.2 → 5.1.3 then 5.1.3 → 5.2.1 is
    /// 5.1.2 → 5.2.1; an item the first left alone follows the second.
    #[test]
    fn renumberings_compose_and_invert() {
        let first = Renumbering::new([(id("5.1.2"), id("5.1.3"))]);
        let second = Renumbering::new([(id("5.1.3"), id("5.2.1")), (id("6.1.1"), id("6.1.9"))]);
        let both = first.then(&second);
        assert_eq!(both.apply(&id("5.1.2")), id("5.2.1"));
        assert_eq!(both.apply(&id("6.1.1")), id("6.1.9"));
        assert_eq!(both.apply(&id("7.1.1")), id("7.1.1"));
        assert_eq!(both.inverse().apply(&id("5.2.1")), id("5.1.2"));
        // Matched by numbers whatever the suffix.
        assert_eq!(Renumbering::new([(id("6.3.1.P"), id("6.4.1.P"))]).apply(&id("6.3.1")), id("6.4.1.P"));
        // Between the embedded revisions nothing is renumbered.
        let (a, b) = (Version::new(2022, 4, 1), Version::new(2024, 7, 1));
        assert!(Catalog::renumbering_between(&a, &b).is_empty() && Catalog::renumbering_between(&b, &a).is_empty());
    }

    #[test]
    fn the_history_is_ordered_and_the_embedded_revisions_load() {
        let history = Catalog::revisions();
        assert!(history.windows(2).all(|w| w.first().map(|x| &x.effective) < w.get(1).map(|x| &x.effective)));
        for c in Catalog::embedded() {
            let r = history.iter().find(|r| r.version == c.meta().version);
            assert!(r.is_some_and(|r| r.embedded && r.effective == c.meta().effective), "{}", c.meta().version);
            assert!(c.nodes().len() > 300);
        }
        assert_eq!(Catalog::ismap_2024().nodes().len(), Catalog::ismap_2022().nodes().len() + 4);
    }
}
