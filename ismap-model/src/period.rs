//! Assessment periods (監査対象期間).

use chrono::{Datelike, Days, NaiveDate};
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
/// Default: at least 3 and at most 12 months (Control Criteria §2.2.5). Months are counted as
/// Japanese law counts them ([`months_end`], Civil Code arts. 140 and 143): a period is at least
/// `min_months` long when it ends on or after the last day of a `min_months` period from its
/// start, and at most `max_months` long when it ends on or before the last day of a `max_months`
/// period. So 2024-04-01..=2024-06-30 is exactly 3 months, 2024-03-31..=2024-06-30 too (June has
/// no 31st), and 2024-02-29..=2025-02-28 is exactly 12 months.
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

/// The last day of a period of `months` months whose first day is `start`, as Japanese law counts
/// it: the period ends on the day before the day that corresponds to `start` in the last month
/// or, when that month has no such day, on that month's last day (Civil Code art. 143(2); the
/// first day counts because the period begins at the start of that day, art. 140).
///
/// 3 months from 1 April end on 30 June; 3 months from 31 March also end on 30 June (June has no
/// 31st); 12 months from 29 February 2024 end on 28 February 2025. Every month-counted rule of
/// this workspace uses this function: the assessment period's length ([`PeriodRule`]) and the
/// registration workflow's deadlines counted in months. `None` when the date leaves chrono's
/// range. A period of 0 months ends the day before it starts.
///
/// ```
/// use chrono::NaiveDate;
/// use ismap_model::months_end;
/// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
/// assert_eq!(months_end(d(2024, 4, 1).unwrap_or_default(), 3), d(2024, 6, 30));
/// assert_eq!(months_end(d(2024, 3, 31).unwrap_or_default(), 3), d(2024, 6, 30));
/// assert_eq!(months_end(d(2024, 2, 29).unwrap_or_default(), 12), d(2025, 2, 28));
/// ```
#[must_use]
pub fn months_end(start: NaiveDate, months: u32) -> Option<NaiveDate> {
    let month0 = i64::from(start.month0()) + i64::from(months);
    let year = i32::try_from(i64::from(start.year()) + month0.div_euclid(12)).ok()?;
    let month = u32::try_from(month0.rem_euclid(12)).ok()? + 1;
    match NaiveDate::from_ymd_opt(year, month, start.day()) {
        // The corresponding day exists: the period ends the day before it.
        Some(corresponding) => corresponding.pred_opt(),
        // No corresponding day (31 June, 29 February in a common year): the month's last day.
        None => {
            let (ny, nm) = if month == 12 { (year.checked_add(1)?, 1) } else { (year, month + 1) };
            NaiveDate::from_ymd_opt(ny, nm, 1)?.pred_opt()
        }
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

    /// Checks the length rule, counting months with [`months_end`].
    ///
    /// # Errors
    /// [`PeriodError::TooShort`] or [`PeriodError::TooLong`].
    pub fn check(&self, rule: &PeriodRule) -> Result<(), PeriodError> {
        let min = months_end(self.start, rule.min_months).ok_or(PeriodError::OutOfRange)?;
        let max = months_end(self.start, rule.max_months).ok_or(PeriodError::OutOfRange)?;
        if self.end < min {
            return Err(PeriodError::TooShort { start: self.start, end: self.end, min_months: rule.min_months });
        }
        if self.end > max {
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
        // Civil Code art. 143: 3 months from 31 January end on 30 April (April has no 31st).
        assert!(matches!(p(d(2024, 1, 31), d(2024, 4, 29)), Err(PeriodError::TooShort { .. })));
        assert!(p(d(2024, 1, 31), d(2024, 4, 30)).is_ok());
        assert!(AssessmentPeriod::new(d(2024, 2, 1), d(2024, 1, 1)).is_err());
    }

    /// Civil Code arts. 140 and 143, as applied to the assessment period (issue 13 item 1): a
    /// 12-month period from 29 February 2024 ends on 28 February 2025, and 3 months from 31 March
    /// end on 30 June, so 2024-03-31..=2024-06-29 is short of 3 months.
    #[test]
    fn civil_code_month_ends() {
        let rule = PeriodRule::default();
        let p = |s, e| AssessmentPeriod::new(s, e).unwrap().check(&rule);
        assert!(p(d(2024, 2, 29), d(2025, 2, 28)).is_ok());
        assert!(matches!(p(d(2024, 2, 29), d(2025, 3, 1)), Err(PeriodError::TooLong { .. })));
        assert!(matches!(p(d(2024, 3, 31), d(2024, 6, 29)), Err(PeriodError::TooShort { .. })));
        assert!(p(d(2024, 3, 31), d(2024, 6, 30)).is_ok());
        assert_eq!(months_end(d(2023, 11, 30), 3), Some(d(2024, 2, 29)));
        assert_eq!(months_end(d(2024, 1, 29), 1), Some(d(2024, 2, 28)));
        assert_eq!(months_end(d(2024, 1, 30), 1), Some(d(2024, 2, 29)));
        assert_eq!(months_end(d(2024, 5, 1), 0), Some(d(2024, 4, 30)));
        assert_eq!(months_end(NaiveDate::MAX, 1), None);
    }

    /// A plain reference for [`months_end`], written from the wording of Civil Code art. 143 with
    /// no calendar library: find the last month, then the day before the corresponding day, or
    /// the month's last day when it has none.
    fn reference_end(y: i32, m: u32, day: u32, months: u32) -> (i32, u32, u32) {
        fn leap(y: i32) -> bool {
            (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        }
        fn days_in(y: i32, m: u32) -> u32 {
            match m {
                2 if leap(y) => 29,
                2 => 28,
                4 | 6 | 9 | 11 => 30,
                _ => 31,
            }
        }
        let total = m - 1 + months;
        let (ly, lm) = (y + i32::try_from(total / 12).unwrap(), total % 12 + 1);
        if day > days_in(ly, lm) {
            return (ly, lm, days_in(ly, lm));
        }
        if day > 1 {
            return (ly, lm, day - 1);
        }
        if lm == 1 { (ly - 1, 12, 31) } else { (ly, lm - 1, days_in(ly, lm - 1)) }
    }

    /// Every start day of a four-year leap cycle (2024-03-01 to 2028-02-29, one 29 February),
    /// every length from 0 to 36 months: the function agrees with the reference.
    #[test]
    fn months_end_matches_reference_over_a_leap_cycle() {
        let mut start = d(2024, 3, 1);
        while start <= d(2028, 2, 29) {
            for months in 0..=36 {
                let (y, m, day) = reference_end(start.year(), start.month(), start.day(), months);
                assert_eq!(months_end(start, months), Some(d(y, m, day)), "{start} + {months} months");
            }
            start = start.succ_opt().unwrap();
        }
    }

    proptest::proptest! {
        /// Any start day over four centuries (the full Gregorian cycle, century years included).
        #[test]
        fn months_end_matches_reference(offset in 0u64..146_097 * 4, months in 0u32..=240) {
            let start = d(1900, 1, 1).checked_add_days(Days::new(offset)).unwrap();
            let (y, m, day) = reference_end(start.year(), start.month(), start.day(), months);
            proptest::prop_assert_eq!(months_end(start, months), Some(d(y, m, day)));
        }
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
