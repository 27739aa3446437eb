//! When rules are in force: effective ranges and the program's dated facts.
//!
//! The programs keep changing (new criteria revisions, ISMAP-LIU from 2022, its pre-application
//! abolished, multi-year audit cycles), so a rule that changed is never replaced: it carries the
//! dates it applies between, and a judgment about an event or a statement uses the rules in force
//! on its date.

use std::fmt;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::Serialize;

use crate::Program;

const fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(date) => date,
        None => NaiveDate::MIN,
    }
}

/// The ISMAP regulations (ISMAP基本規程 and the Control Criteria) took effect: 2020-06-03
/// (Control Criteria revision table, first row). No ISMAP event can predate it.
pub const ISMAP_REGULATIONS_EFFECTIVE: NaiveDate = ymd(2020, 6, 3);

/// The first ISMAP cloud service list was published: 2021-03-12 (the list published by IPA;
/// NEC Solution Innovators' glossary).
pub const ISMAP_FIRST_LIST: NaiveDate = ymd(2021, 3, 12);

/// ISMAP-LIU in operation: 2022-11-01 (Digital Agency ISMAP-LIU page; KPMG 2022-12).
pub const LIU_START: NaiveDate = ymd(2022, 11, 1);

/// The ISMAP-LIU special measures (特別措置), published by the Digital Agency on 2023-05-19.
pub const LIU_SPECIAL_MEASURES_FROM: NaiveDate = ymd(2023, 5, 19);

/// The last day an application may use the ISMAP-LIU special measures: 2025-03-31 (令和7年3月末;
/// Digital Agency, as reported by KPMG 2023-10 and x-regulation).
pub const LIU_SPECIAL_MEASURES_UNTIL: NaiveDate = ymd(2025, 3, 31);

/// ISMAP-LIU incident reporting (LIU registration rules Chapter 9, 様式7) applies to incidents
/// recognised on or after 2024-01-04 (ISMAP FAQ KB0010899).
pub const LIU_INCIDENT_REPORTING_FROM: NaiveDate = ymd(2024, 1, 4);

/// The management criteria's multi-year external audit cycle, conditional on an ISMS
/// certificate, applies from 2024-08-01 (ISMAP FAQ KB0011399; KPMG 2024-11).
pub const MANAGEMENT_MULTI_YEAR_CYCLE_FROM: NaiveDate = ymd(2024, 8, 1);

/// Default for the day the ISMAP-LIU pre-application (事前申請) was abolished: 2025-04-01, the
/// date of the portal's "ISMAP-LIU introduction material (2025-04-01)".
///
/// **UNVERIFIED** (a single third-party report): a setting with this default, never a constant
/// of the rules.
pub const LIU_PRE_APPLICATION_ABOLISHED_DEFAULT: NaiveDate = ymd(2025, 4, 1);

impl Program {
    /// The first day the program operated: ISMAP 2020-06-03 (its regulations took effect),
    /// ISMAP-LIU 2022-11-01. No registration, application or audit of the program can predate it.
    #[must_use]
    pub const fn start_date(self) -> NaiveDate {
        match self {
            Self::Ismap => ISMAP_REGULATIONS_EFFECTIVE,
            Self::IsmapLiu => LIU_START,
        }
    }
}

/// The days a rule is in force: from `from` through `until`, both inclusive; an open end is
/// unbounded.
///
/// ```
/// use chrono::NaiveDate;
/// use ismap_model::EffectiveRange;
/// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
/// let r = EffectiveRange::between(d(2023, 5, 19), d(2025, 3, 31));
/// assert!(r.contains(d(2025, 3, 31)) && !r.contains(d(2025, 4, 1)));
/// assert_eq!(r.to_string(), "2023-05-19 .. 2025-03-31");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, JsonSchema)]
#[non_exhaustive]
pub struct EffectiveRange {
    /// First day in force; `null` for a rule with no known start.
    pub from: Option<NaiveDate>,
    /// Last day in force; `null` while still in force.
    pub until: Option<NaiveDate>,
}

impl EffectiveRange {
    /// In force on every day.
    pub const ALWAYS: Self = Self { from: None, until: None };

    /// In force from `from` on.
    #[must_use]
    pub const fn starting(from: NaiveDate) -> Self {
        Self { from: Some(from), until: None }
    }

    /// In force from `from` through `until`.
    #[must_use]
    pub const fn between(from: NaiveDate, until: NaiveDate) -> Self {
        Self { from: Some(from), until: Some(until) }
    }

    /// The same range, ending the day before `end` (a rule abolished on `end`), or unchanged
    /// when `end` is `None`.
    #[must_use]
    pub fn ending_before(self, end: Option<NaiveDate>) -> Self {
        match end.and_then(|e| e.pred_opt()) {
            Some(last) => Self { until: Some(self.until.map_or(last, |u| u.min(last))), ..self },
            None => self,
        }
    }

    /// Whether the rule is in force on `date`.
    #[must_use]
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.from.is_none_or(|f| f <= date) && self.until.is_none_or(|u| date <= u)
    }
}

impl fmt::Display for EffectiveRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.from, self.until) {
            (None, None) => f.write_str("always"),
            (Some(a), None) => write!(f, "{a} .."),
            (None, Some(b)) => write!(f, ".. {b}"),
            (Some(a), Some(b)) => write!(f, "{a} .. {b}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_the_published_ones() {
        // Issue 13 item 5; ISMAP facts: regulations 2020-06-03, LIU 2022-11-01.
        assert_eq!(Program::Ismap.start_date().to_string(), "2020-06-03");
        assert_eq!(Program::IsmapLiu.start_date().to_string(), "2022-11-01");
        assert_eq!(LIU_INCIDENT_REPORTING_FROM.to_string(), "2024-01-04");
        assert_eq!(LIU_SPECIAL_MEASURES_UNTIL.to_string(), "2025-03-31");
        assert_eq!(LIU_PRE_APPLICATION_ABOLISHED_DEFAULT.to_string(), "2025-04-01");
    }

    #[test]
    fn ranges() {
        let r = EffectiveRange::starting(LIU_START).ending_before(Some(LIU_PRE_APPLICATION_ABOLISHED_DEFAULT));
        assert_eq!(r.to_string(), "2022-11-01 .. 2025-03-31");
        assert!(!r.contains(ymd(2022, 10, 31)) && r.contains(ymd(2022, 11, 1)) && !r.contains(ymd(2025, 4, 1)));
        assert_eq!(EffectiveRange::ALWAYS.ending_before(None), EffectiveRange::ALWAYS);
        assert!(EffectiveRange::ALWAYS.contains(NaiveDate::MIN));
    }
}
