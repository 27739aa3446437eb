//! Japanese era dates (和暦) and fiscal years (年度).
//!
//! Era start dates (Gregorian): 明治 from 1873-01-01 only (the day Japan adopted the Gregorian
//! calendar; earlier Meiji dates were lunisolar and are out of scope), 大正 1912-07-30,
//! 昭和 1926-12-25, 平成 1989-01-08, 令和 2019-05-01. The first year of an era is written 元年.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A Japanese era (元号).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Era {
    /// 明治 (supported from 1873-01-01, Meiji 6).
    Meiji,
    /// 大正 (1912-07-30).
    Taisho,
    /// 昭和 (1926-12-25).
    Showa,
    /// 平成 (1989-01-08).
    Heisei,
    /// 令和 (2019-05-01).
    Reiwa,
}

impl Era {
    /// All supported eras, oldest first.
    pub const ALL: [Self; 5] = [Self::Meiji, Self::Taisho, Self::Showa, Self::Heisei, Self::Reiwa];

    /// The era's name in kanji.
    #[must_use]
    pub const fn kanji(self) -> &'static str {
        match self {
            Self::Meiji => "明治",
            Self::Taisho => "大正",
            Self::Showa => "昭和",
            Self::Heisei => "平成",
            Self::Reiwa => "令和",
        }
    }

    /// Gregorian year of the era's first year (元年).
    #[must_use]
    pub const fn first_year(self) -> i32 {
        match self {
            Self::Meiji => 1868,
            Self::Taisho => 1912,
            Self::Showa => 1926,
            Self::Heisei => 1989,
            Self::Reiwa => 2019,
        }
    }

    /// The first date this library accepts in the era.
    #[must_use]
    pub fn start(self) -> NaiveDate {
        let (y, m, d) = match self {
            Self::Meiji => (1873, 1, 1),
            Self::Taisho => (1912, 7, 30),
            Self::Showa => (1926, 12, 25),
            Self::Heisei => (1989, 1, 8),
            Self::Reiwa => (2019, 5, 1),
        };
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
    }

    /// The era that follows, if any.
    #[must_use]
    pub const fn next(self) -> Option<Self> {
        match self {
            Self::Meiji => Some(Self::Taisho),
            Self::Taisho => Some(Self::Showa),
            Self::Showa => Some(Self::Heisei),
            Self::Heisei => Some(Self::Reiwa),
            Self::Reiwa => None,
        }
    }

    /// Whether `date` falls in the era.
    #[must_use]
    pub fn contains(self, date: NaiveDate) -> bool {
        date >= self.start() && self.next().is_none_or(|n| date < n.start())
    }

    /// The era in effect on `date`, if the date is supported.
    #[must_use]
    pub fn of(date: NaiveDate) -> Option<Self> {
        Self::ALL.into_iter().rev().find(|e| date >= e.start())
    }

    fn from_kanji(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.kanji() == s)
    }
}

impl fmt::Display for Era {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kanji())
    }
}

/// Why a Japanese date or fiscal year could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EraError {
    /// The text does not start with a known era name.
    #[error("`{0}` does not start with a known era (明治, 大正, 昭和, 平成, 令和)")]
    UnknownEra(String),
    /// The text does not have the expected shape.
    #[error("`{input}` is not a Japanese date; expected e.g. 令和2年5月13日 ({detail})")]
    Syntax {
        /// The rejected input.
        input: String,
        /// What was expected where.
        detail: &'static str,
    },
    /// Year, month and day do not form a calendar date.
    #[error("`{0}` is not a calendar date")]
    NoSuchDate(String),
    /// The date exists but the era was not in effect on it (e.g. 平成31年5月1日).
    #[error("{input} is outside the {era} era ({era} began on {start})")]
    OutsideEra {
        /// The rejected input.
        input: String,
        /// The era named.
        era: Era,
        /// When it began.
        start: NaiveDate,
    },
    /// The date is before 1873-01-01 (or the fiscal year before FY1873).
    #[error("{0} is before 1873-01-01, the earliest supported date")]
    Unsupported(String),
}

/// Reads a number written in ASCII or full-width digits, or 元 (= 1).
fn read_number(s: &str) -> Option<u32> {
    if s == "元" {
        return Some(1);
    }
    if s.is_empty() || s.chars().count() > 4 {
        return None;
    }
    s.chars().try_fold(0u32, |acc, c| {
        let d = match c {
            '0'..='9' => c.to_digit(10),
            '０'..='９' => Some(u32::from(c) - u32::from('０')),
            _ => None,
        }?;
        Some(acc * 10 + d)
    })
}

/// Splits `s` at the first `sep`, returning the part before and after.
fn cut<'a>(s: &'a str, sep: char, input: &str, detail: &'static str) -> Result<(&'a str, &'a str), EraError> {
    s.split_once(sep).ok_or_else(|| EraError::Syntax { input: input.to_owned(), detail })
}

fn split_era(input: &str) -> Result<(Era, &str), EraError> {
    let s = input.trim();
    let era_str: String = s.chars().take(2).collect();
    let era = Era::from_kanji(&era_str).ok_or_else(|| EraError::UnknownEra(input.to_owned()))?;
    Ok((era, s.get(era_str.len()..).unwrap_or("").trim_start()))
}

fn year_number(rest: &str, input: &str) -> Result<(u32, String), EraError> {
    let (y, after) = cut(rest, '年', input, "a year followed by 年")?;
    let year = read_number(y.trim())
        .filter(|y| *y >= 1)
        .ok_or_else(|| EraError::Syntax { input: input.to_owned(), detail: "the year is a number from 元 or 1" })?;
    Ok((year, after.to_owned()))
}

/// Formats a Gregorian date in the Japanese era style: `2020-05-13` → `令和2年5月13日`.
///
/// ```
/// use chrono::NaiveDate;
/// use ismap_model::era::{format_japanese_date, parse_japanese_date};
/// let d = NaiveDate::from_ymd_opt(2020, 5, 13).unwrap_or_default();
/// assert_eq!(format_japanese_date(d).as_deref(), Some("令和2年5月13日"));
/// assert_eq!(parse_japanese_date("令和2年5月13日"), Ok(d));
/// assert_eq!(parse_japanese_date("令和元年5月1日").map(|d| d.to_string()).as_deref(), Ok("2019-05-01"));
/// ```
#[must_use]
pub fn format_japanese_date(date: NaiveDate) -> Option<String> {
    let era = Era::of(date)?;
    let year = date.year() - era.first_year() + 1;
    Some(format!("{}{}年{}月{}日", era.kanji(), year_label(year), date.month(), date.day()))
}

fn year_label(year: i32) -> String {
    if year == 1 { "元".to_owned() } else { year.to_string() }
}

/// Parses a Japanese era date: `令和2年5月13日`, `令和元年5月1日`, full-width digits too.
///
/// # Errors
/// An [`EraError`] saying what is wrong; a date outside the named era (`平成31年5月1日`) is rejected.
pub fn parse_japanese_date(input: &str) -> Result<NaiveDate, EraError> {
    let (era, rest) = split_era(input)?;
    let (year, rest) = year_number(rest, input)?;
    let (m, rest) = cut(&rest, '月', input, "a month followed by 月")?;
    let (d, tail) = cut(rest, '日', input, "a day followed by 日")?;
    if !tail.trim().is_empty() {
        return Err(EraError::Syntax { input: input.to_owned(), detail: "nothing may follow 日" });
    }
    let bad = |detail| EraError::Syntax { input: input.to_owned(), detail };
    let month = read_number(m.trim()).ok_or_else(|| bad("the month is a number"))?;
    let day = read_number(d.trim()).ok_or_else(|| bad("the day is a number"))?;
    let greg_year = era.first_year() + i32::try_from(year).unwrap_or(i32::MAX - era.first_year()) - 1;
    let date = NaiveDate::from_ymd_opt(greg_year, month, day).ok_or_else(|| EraError::NoSuchDate(input.to_owned()))?;
    if !era.contains(date) {
        return Err(EraError::OutsideEra { input: input.to_owned(), era, start: era.start() });
    }
    Ok(date)
}

/// A Japanese fiscal year (年度): April 1 of `year` to March 31 of `year + 1`.
///
/// Serialized as the starting calendar year (FY2019 = `2019`). Named in Japanese by the era in
/// effect on its first day (April 1): FY1988 is 昭和63年度, FY1989 平成元年度, FY1926 大正15年度.
/// The one exception is FY2019, which began under 平成 but which the government names 令和元年度
/// (the era was announced on 2019-04-01 and took effect on 2019-05-01); its older name 平成31年度 is
/// still accepted when parsing, as is any era name in effect during the fiscal year.
///
/// ```
/// use ismap_model::FiscalYear;
/// let fy: FiscalYear = "令和元年度".parse()?;
/// assert_eq!(fy, FiscalYear::new(2019));
/// assert_eq!("平成31年度".parse::<FiscalYear>()?, fy);
/// assert_eq!(fy.to_japanese().as_deref(), Some("令和元年度"));
/// assert_eq!(fy.first_day().to_string(), "2019-04-01");
/// assert_eq!(fy.last_day().to_string(), "2020-03-31");
/// # Ok::<(), ismap_model::EraError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(transparent)]
pub struct FiscalYear(i32);

impl FiscalYear {
    /// The fiscal year starting in April of `year`.
    #[must_use]
    pub const fn new(year: i32) -> Self {
        Self(year)
    }

    /// The fiscal year containing `date`.
    #[must_use]
    pub fn containing(date: NaiveDate) -> Self {
        Self(if date.month() >= 4 { date.year() } else { date.year() - 1 })
    }

    /// The calendar year it starts in.
    #[must_use]
    pub const fn year(self) -> i32 {
        self.0
    }

    /// April 1.
    #[must_use]
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.0, 4, 1).unwrap_or(NaiveDate::MAX)
    }

    /// March 31 of the next calendar year.
    #[must_use]
    pub fn last_day(self) -> NaiveDate {
        // `checked_add`: any i32 can arrive through serde; past chrono's range the date saturates.
        self.0.checked_add(1).and_then(|y| NaiveDate::from_ymd_opt(y, 3, 31)).unwrap_or(NaiveDate::MAX)
    }

    /// Whether `date` lies in the fiscal year.
    #[must_use]
    pub fn contains(self, date: NaiveDate) -> bool {
        Self::containing(date) == self
    }

    /// The Japanese name, e.g. `令和元年度`; `None` before FY1873.
    #[must_use]
    pub fn to_japanese(self) -> Option<String> {
        let first = NaiveDate::from_ymd_opt(self.0, 4, 1)?;
        let era = if self.0 == 2019 { Era::Reiwa } else { Era::of(first)? };
        Some(format!("{}{}年度", era.kanji(), year_label(self.0 - era.first_year() + 1)))
    }
}

impl fmt::Display for FiscalYear {
    /// `FY2019`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FY{}", self.0)
    }
}

impl FromStr for FiscalYear {
    type Err = EraError;

    /// Accepts `FY2019`, `2019年度` and era forms such as `令和元年度` or `平成31年度`.
    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let s = input.trim();
        if let Some(y) = s.strip_prefix("FY").or_else(|| s.strip_suffix("年度").filter(|y| read_number(y).is_some()))
        {
            return read_number(y)
                .and_then(|y| i32::try_from(y).ok())
                .filter(|y| *y >= 1873)
                .map(Self)
                .ok_or_else(|| EraError::Syntax { input: input.to_owned(), detail: "a year from 1873" });
        }
        let (era, rest) = split_era(s)?;
        let (year, tail) = year_number(rest, input)?;
        if tail.trim() != "度" {
            return Err(EraError::Syntax { input: input.to_owned(), detail: "an era year followed by 年度" });
        }
        let fy = era.first_year() + i32::try_from(year).unwrap_or(9999) - 1;
        // The fiscal year must overlap the era: FY2019 may be 平成31年度 or 令和元年度.
        let fiscal = Self(fy);
        let overlaps = era.start() <= fiscal.last_day() && era.next().is_none_or(|n| fiscal.first_day() < n.start());
        if !overlaps || fy < 1873 {
            return Err(EraError::OutsideEra { input: input.to_owned(), era, start: era.start() });
        }
        // The same range as `FY` + four digits, so that every fiscal year read one way is shown
        // and read back the other way (found by fuzzing: 令和9020年度 was FY11038, unreadable).
        if fy > 9999 {
            return Err(EraError::Syntax { input: input.to_owned(), detail: "a fiscal year up to FY9999" });
        }
        Ok(fiscal)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn era_fiscal_years_stay_within_what_fy_reads() {
        assert!("令和9020年度".parse::<FiscalYear>().is_err());
        let last: FiscalYear = "令和7981年度".parse().unwrap();
        assert_eq!(last.to_string(), "FY9999");
        assert_eq!(last.to_string().parse::<FiscalYear>(), Ok(last));
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn era_boundaries() {
        assert_eq!(format_japanese_date(d(2019, 4, 30)).unwrap(), "平成31年4月30日");
        assert_eq!(format_japanese_date(d(2019, 5, 1)).unwrap(), "令和元年5月1日");
        assert_eq!(format_japanese_date(d(1989, 1, 7)).unwrap(), "昭和64年1月7日");
        assert_eq!(format_japanese_date(d(1989, 1, 8)).unwrap(), "平成元年1月8日");
        assert_eq!(format_japanese_date(d(1872, 12, 31)), None);
        assert_eq!(parse_japanese_date("平成31年4月30日").unwrap(), d(2019, 4, 30));
        assert_eq!(parse_japanese_date("令和２年５月１３日").unwrap(), d(2020, 5, 13));
        assert!(matches!(parse_japanese_date("平成31年5月1日"), Err(EraError::OutsideEra { .. })));
        assert!(matches!(parse_japanese_date("令和元年4月30日"), Err(EraError::OutsideEra { .. })));
        assert!(matches!(parse_japanese_date("令和2年2月30日"), Err(EraError::NoSuchDate(_))));
        assert!(matches!(parse_japanese_date("天平2年2月3日"), Err(EraError::UnknownEra(_))));
        assert!(matches!(parse_japanese_date("令和2年5月"), Err(EraError::Syntax { .. })));
        assert!(matches!(parse_japanese_date("令和2年5月13日です"), Err(EraError::Syntax { .. })));
        assert!(matches!(parse_japanese_date("令和0年5月13日"), Err(EraError::Syntax { .. })));
    }

    #[test]
    fn fiscal_years() {
        assert_eq!(FiscalYear::containing(d(2020, 3, 31)), FiscalYear::new(2019));
        assert_eq!(FiscalYear::containing(d(2020, 4, 1)), FiscalYear::new(2020));
        assert_eq!(FiscalYear::new(1988).to_japanese().unwrap(), "昭和63年度");
        assert_eq!(FiscalYear::new(1989).to_japanese().unwrap(), "平成元年度");
        assert_eq!(FiscalYear::new(2018).to_japanese().unwrap(), "平成30年度");
        assert_eq!(FiscalYear::new(2019).to_japanese().unwrap(), "令和元年度");
        assert_eq!(FiscalYear::new(2020).to_japanese().unwrap(), "令和2年度");
        assert_eq!(FiscalYear::new(1926).to_japanese().unwrap(), "大正15年度");
        assert_eq!("昭和元年度".parse::<FiscalYear>().unwrap(), FiscalYear::new(1926));
        assert_eq!("平成30年度".parse::<FiscalYear>().unwrap(), FiscalYear::new(2018));
        assert_eq!("FY2017".parse::<FiscalYear>().unwrap(), FiscalYear::new(2017));
        assert_eq!("2017年度".parse::<FiscalYear>().unwrap(), FiscalYear::new(2017));
        assert!("平成32年度".parse::<FiscalYear>().is_err());
        // Found by reading the fuzz target: the last fiscal year must not overflow.
        let extreme: FiscalYear = serde_json::from_str("2147483647").unwrap();
        assert_eq!(extreme.last_day(), NaiveDate::MAX);
        assert_eq!(extreme.to_japanese(), None);
        assert!("令和年度".parse::<FiscalYear>().is_err());
    }

    proptest::proptest! {
        #[test]
        fn date_round_trip(days in 0i64..80_000) {
            let date = d(1873, 1, 1) + chrono::Duration::days(days);
            let s = format_japanese_date(date).unwrap();
            proptest::prop_assert_eq!(parse_japanese_date(&s).unwrap(), date);
        }

        #[test]
        fn fiscal_round_trip(y in 1873i32..2200) {
            let fy = FiscalYear::new(y);
            proptest::prop_assert_eq!(fy.to_japanese().unwrap().parse::<FiscalYear>().unwrap(), fy);
        }
    }
}
