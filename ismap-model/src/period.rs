//! Assessment periods (監査対象期間).

use chrono::{Days, Months, NaiveDate};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::Text;

/// An inclusive date range: the period whose controls the audit covers.
///
/// The start is never after the end (checked on construction and deserialization). Whether the
/// length satisfies the program's rule is a separate, checkable property ([`AssessmentPeriod::check`]),
/// because a statement with a bad period must still be loadable to be reported on.
///
/// ```
/// use chrono::NaiveDate;
/// use ismap_model::{AssessmentPeriod, PeriodRule};
/// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
/// let p = AssessmentPeriod::new(d(2024, 4, 1), d(2025, 3, 31))?;
/// assert!(p.check(&PeriodRule::default()).is_ok());
/// let short = AssessmentPeriod::new(d(2024, 4, 1), d(2024, 6, 29))?;
/// assert!(short.check(&PeriodRule::default()).is_err());
/// # Ok::<(), ismap_model::PeriodError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(try_from = "RawPeriod", deny_unknown_fields)]
pub struct AssessmentPeriod {
    /// First day covered.
    start: NaiveDate,
    /// Last day covered.
    end: NaiveDate,
}

/// Wire form of [`AssessmentPeriod`].
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawPeriod {
    /// First day covered (inclusive).
    #[serde(deserialize_with = "crate::strict::date")]
    start: NaiveDate,
    /// Last day covered (inclusive); not before `start`.
    #[serde(deserialize_with = "crate::strict::date")]
    end: NaiveDate,
}

impl TryFrom<RawPeriod> for AssessmentPeriod {
    type Error = PeriodError;

    fn try_from(raw: RawPeriod) -> Result<Self, Self::Error> {
        Self::new(raw.start, raw.end)
    }
}

/// A problem with an assessment period.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PeriodError {
    /// The start comes after the end.
    #[error("assessment period starts on {start}, after its end {end}")]
    Reversed {
        /// First day.
        start: NaiveDate,
        /// Last day.
        end: NaiveDate,
    },
    /// Shorter than the rule's minimum.
    #[error("assessment period {start}..={end} is shorter than {min_months} months")]
    TooShort {
        /// First day.
        start: NaiveDate,
        /// Last day.
        end: NaiveDate,
        /// The minimum in months.
        min_months: u32,
    },
    /// Longer than the rule's maximum.
    #[error("assessment period {start}..={end} is longer than {max_months} months")]
    TooLong {
        /// First day.
        start: NaiveDate,
        /// Last day.
        end: NaiveDate,
        /// The maximum in months.
        max_months: u32,
    },
    /// A following period that does not start the day after the previous one ended.
    #[error(
        "assessment period starts on {start}; it must start on {expected}, the day after the previous period ended"
    )]
    NotContiguous {
        /// Where it starts.
        start: NaiveDate,
        /// Where it must start.
        expected: NaiveDate,
    },
    /// A date computation left chrono's range.
    #[error("date out of range")]
    OutOfRange,
}

impl PeriodError {
    /// The message in both languages, for reports.
    #[must_use]
    pub fn text(&self) -> Text {
        match self {
            Self::Reversed { start, end } => {
                Text::new(format!("監査対象期間の開始日 {start} が終了日 {end} より後です"), self.to_string())
            }
            Self::TooShort { start, end, min_months } => {
                Text::new(format!("監査対象期間 {start}〜{end} が{min_months}か月に満たない"), self.to_string())
            }
            Self::TooLong { start, end, max_months } => {
                Text::new(format!("監査対象期間 {start}〜{end} が{max_months}か月を超えている"), self.to_string())
            }
            Self::NotContiguous { start, expected } => Text::new(
                format!("監査対象期間の開始日は前回期間終了日の翌日 {expected} でなければならない（実際は {start}）"),
                self.to_string(),
            ),
            Self::OutOfRange => Text::new("日付が範囲外です", self.to_string()),
        }
    }
}

/// The length rule for assessment periods.
///
/// Default: at least 3 and at most 12 months (CC-EN-2022 §2.2.5, facts rule 5, OFFICIAL).
/// A period of `m` months runs from its start up to the day before the same day `m` months later:
/// 2024-04-01..=2024-06-30 is exactly 3 months. Month-end starts clamp (2024-01-31 + 1 month is
/// 2024-02-29), the reading that never shortens a period a regulator would accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct PeriodRule {
    /// Minimum length in months (3).
    pub min_months: u32,
    /// Maximum length in months (12).
    pub max_months: u32,
}

impl Default for PeriodRule {
    fn default() -> Self {
        Self { min_months: 3, max_months: 12 }
    }
}

impl PeriodRule {
    /// A rule with other bounds.
    #[must_use]
    pub const fn new(min_months: u32, max_months: u32) -> Self {
        Self { min_months, max_months }
    }
}

impl AssessmentPeriod {
    /// A period from `start` to `end`, both inclusive.
    ///
    /// # Errors
    /// [`PeriodError::Reversed`] when `start > end`.
    pub fn new(start: NaiveDate, end: NaiveDate) -> Result<Self, PeriodError> {
        if start > end {
            return Err(PeriodError::Reversed { start, end });
        }
        Ok(Self { start, end })
    }

    /// First day covered.
    #[must_use]
    pub const fn start(&self) -> NaiveDate {
        self.start
    }

    /// Last day covered.
    #[must_use]
    pub const fn end(&self) -> NaiveDate {
        self.end
    }

    /// The day after the last day (where the next period must start; the base of the expiry).
    #[must_use]
    pub fn day_after_end(&self) -> Option<NaiveDate> {
        self.end.checked_add_days(Days::new(1))
    }

    /// Number of days covered, both ends included.
    #[must_use]
    pub fn days(&self) -> i64 {
        (self.end - self.start).num_days() + 1
    }

    /// Whether `date` lies in the period.
    #[must_use]
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.start <= date && date <= self.end
    }

    /// Checks the length rule.
    ///
    /// # Errors
    /// [`PeriodError::TooShort`] or [`PeriodError::TooLong`].
    pub fn check(&self, rule: &PeriodRule) -> Result<(), PeriodError> {
        let after = self.day_after_end().ok_or(PeriodError::OutOfRange)?;
        let min = self.start.checked_add_months(Months::new(rule.min_months)).ok_or(PeriodError::OutOfRange)?;
        let max = self.start.checked_add_months(Months::new(rule.max_months)).ok_or(PeriodError::OutOfRange)?;
        if after < min {
            return Err(PeriodError::TooShort { start: self.start, end: self.end, min_months: rule.min_months });
        }
        if after > max {
            return Err(PeriodError::TooLong { start: self.start, end: self.end, max_months: rule.max_months });
        }
        Ok(())
    }

    /// Checks that `self` starts the day after `previous` ended (CC-EN-2022 §2.2.5, facts rule 5).
    ///
    /// # Errors
    /// [`PeriodError::NotContiguous`].
    pub fn check_follows(&self, previous: &Self) -> Result<(), PeriodError> {
        let expected = previous.day_after_end().ok_or(PeriodError::OutOfRange)?;
        if self.start == expected { Ok(()) } else { Err(PeriodError::NotContiguous { start: self.start, expected }) }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn length_boundaries() {
        let rule = PeriodRule::default();
        let p = |s, e| AssessmentPeriod::new(s, e).unwrap().check(&rule);
        assert!(p(d(2024, 4, 1), d(2024, 6, 30)).is_ok());
        assert!(matches!(p(d(2024, 4, 1), d(2024, 6, 29)), Err(PeriodError::TooShort { .. })));
        assert!(p(d(2024, 4, 1), d(2025, 3, 31)).is_ok());
        assert!(matches!(p(d(2024, 4, 1), d(2025, 4, 1)), Err(PeriodError::TooLong { .. })));
        assert!(p(d(2024, 1, 31), d(2024, 4, 29)).is_ok());
        assert!(AssessmentPeriod::new(d(2024, 2, 1), d(2024, 1, 1)).is_err());
    }

    #[test]
    fn contiguity() {
        let a = AssessmentPeriod::new(d(2023, 4, 1), d(2024, 3, 31)).unwrap();
        let b = AssessmentPeriod::new(d(2024, 4, 1), d(2025, 3, 31)).unwrap();
        let c = AssessmentPeriod::new(d(2024, 4, 2), d(2025, 3, 31)).unwrap();
        assert!(b.check_follows(&a).is_ok());
        assert!(matches!(c.check_follows(&a), Err(PeriodError::NotContiguous { .. })));
    }

    #[test]
    fn serde_rejects_reversed() {
        assert!(serde_json::from_str::<AssessmentPeriod>(r#"{"start":"2024-05-01","end":"2024-04-01"}"#).is_err());
        assert!(
            serde_json::from_str::<AssessmentPeriod>(r#"{"start":"2024-04-01","end":"2024-09-30","x":1}"#).is_err()
        );
    }
}
