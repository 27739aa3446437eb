//! Strict readers for dates and times in documents: exactly the RFC 3339 shapes the JSON Schemas
//! promise (`format: date`, `format: date-time`, and a pattern for local date-times).
//!
//! chrono's own parsers are lenient (leading spaces, one-digit months, a space instead of `T`);
//! a document the schema rejects must not load. Use them as
//! `#[serde(deserialize_with = "ismap_model::strict::date")]` (or `option_date` with
//! `#[serde(default)]`); the schema is unchanged.

use std::borrow::Cow;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Deserializer, de::Error as _};

/// The schema pattern of a local date-time (`2026-10-15T10:00:00`, optional fraction): months
/// have their lengths, but February 29 is allowed in every year (a pattern cannot tell leap
/// years; the reader can: semantic check `calendar-date`).
pub const LOCAL_DATE_TIME_PATTERN: &str = concat!(
    r"^[0-9]{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)",
    r"|02-(?:0[1-9]|1[0-9]|2[0-9]))T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]+)?$"
);

fn digits(s: &[u8]) -> bool {
    !s.is_empty() && s.iter().all(u8::is_ascii_digit)
}

/// `YYYY-MM-DD`.
fn is_full_date(s: &[u8]) -> bool {
    matches!(s, [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1]
        if digits(&[*y0, *y1, *y2, *y3, *m0, *m1, *d0, *d1]))
}

/// `HH:MM:SS` with an optional `.fraction`.
fn is_local_time(s: &[u8]) -> bool {
    match s {
        [h0, h1, b':', m0, m1, b':', s0, s1, rest @ ..] => {
            digits(&[*h0, *h1, *m0, *m1, *s0, *s1])
                && match rest {
                    [] => true,
                    [b'.', frac @ ..] => digits(frac),
                    _ => false,
                }
        }
        _ => false,
    }
}

fn is_offset(s: &[u8]) -> bool {
    match s {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', h0, h1, b':', m0, m1] => digits(&[*h0, *h1, *m0, *m1]),
        _ => false,
    }
}

fn split_date(s: &str) -> Option<(&[u8], &[u8])> {
    let b = s.as_bytes();
    let (date, rest) = (b.get(..10)?, b.get(10..)?);
    let rest = match rest {
        [b'T' | b't', rest @ ..] => rest,
        _ => return None,
    };
    is_full_date(date).then_some((date, rest))
}

/// The length of `HH:MM:SS(.frac)` at the start of `s`.
fn time_len(s: &[u8]) -> usize {
    let frac = match s.get(8) {
        Some(b'.') => 1 + s.iter().skip(9).take_while(|c| c.is_ascii_digit()).count(),
        _ => 0,
    };
    8 + frac
}

fn cow<'de, D: Deserializer<'de>>(d: D) -> Result<Cow<'de, str>, D::Error> {
    <Cow<'de, str>>::deserialize(d)
}

fn parse_date<E: serde::de::Error>(s: &str) -> Result<NaiveDate, E> {
    if !is_full_date(s.as_bytes()) {
        return Err(E::custom(format!("`{s}` is not a date: expected YYYY-MM-DD")));
    }
    s.parse().map_err(E::custom)
}

/// Reads a `YYYY-MM-DD` date.
///
/// # Errors
/// Any other shape, or a day that does not exist.
pub fn date<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    parse_date(&cow(d)?)
}

/// Reads an optional `YYYY-MM-DD` date (use with `#[serde(default)]`); `null` is `None`.
///
/// # Errors
/// As [`date`].
pub fn option_date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    Option::<Cow<'de, str>>::deserialize(d)?.map(|s| parse_date(&s)).transpose()
}

/// Reads an RFC 3339 date-time with an offset (`2024-04-01T09:00:00+09:00`).
///
/// # Errors
/// Any other shape, or a time that does not exist.
pub fn date_time<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<FixedOffset>, D::Error> {
    let s = cow(d)?;
    let ok = split_date(&s).is_some_and(|(_, rest)| {
        let n = time_len(rest);
        rest.get(..n).is_some_and(is_local_time) && rest.get(n..).is_some_and(is_offset)
    });
    if !ok {
        return Err(D::Error::custom(format!(
            "`{s}` is not an RFC 3339 date-time: expected YYYY-MM-DDTHH:MM:SS with an offset (+09:00 or Z)"
        )));
    }
    DateTime::parse_from_rfc3339(&s).map_err(D::Error::custom)
}

/// Reads a local date-time (`2026-10-15T10:00:00`, optional fraction), see
/// [`LOCAL_DATE_TIME_PATTERN`].
///
/// # Errors
/// Any other shape, or a time that does not exist.
pub fn local_date_time<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDateTime, D::Error> {
    let s = cow(d)?;
    // chrono reads second 60 as a leap second; the schema (and ISO 8601 local times) do not.
    if !split_date(&s).is_some_and(|(_, rest)| is_local_time(rest) && rest.get(6) != Some(&b'6')) {
        return Err(D::Error::custom(format!("`{s}` is not a local date-time: expected YYYY-MM-DDTHH:MM:SS")));
    }
    s.parse().map_err(D::Error::custom)
}

fn collect_unique<T: Ord + std::fmt::Debug, E: serde::de::Error>(
    items: Vec<T>,
) -> Result<std::collections::BTreeSet<T>, E> {
    let mut set = std::collections::BTreeSet::new();
    for item in items {
        if let Some(dup) = set.replace(item) {
            return Err(E::custom(format!("{dup:?} is listed twice")));
        }
    }
    Ok(set)
}

/// Reads a set written as an array without repeated items (JSON Schema `uniqueItems`): a repeated
/// item is an error, not silently merged.
///
/// # Errors
/// The first repeated item, or a malformed one.
pub fn unique_set<'de, D, T>(d: D) -> Result<std::collections::BTreeSet<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Ord + std::fmt::Debug,
{
    collect_unique(Vec::<T>::deserialize(d)?)
}

/// [`unique_set`] for an optional set (use with `#[serde(default)]`); `null` is `None`.
///
/// # Errors
/// As [`unique_set`].
pub fn option_unique_set<'de, D, T>(d: D) -> Result<Option<std::collections::BTreeSet<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Ord + std::fmt::Debug,
{
    Option::<Vec<T>>::deserialize(d)?.map(collect_unique).transpose()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn de<T>(f: fn(serde_json::Value) -> Result<T, serde_json::Error>, s: &str) -> bool {
        f(serde_json::Value::from(s)).is_ok()
    }

    #[test]
    fn dates() {
        let f = |v| date(v);
        assert!(de(f, "2024-04-01"));
        for bad in [" 2024-04-01", "2024-4-01", "2024-04-01 ", "+2024-04-01", "2024-02-30", "20240401", ""] {
            assert!(!de(f, bad), "{bad}");
        }
        assert_eq!(option_date(serde_json::Value::Null).unwrap(), None);
        assert!(unique_set::<_, u8>(serde_json::json!([1, 2])).is_ok());
        assert!(unique_set::<_, u8>(serde_json::json!([1, 1])).is_err());
        assert_eq!(option_unique_set::<_, u8>(serde_json::Value::Null).unwrap(), None);
    }

    #[test]
    fn date_times() {
        let f = |v| date_time(v);
        for ok in ["2024-04-01T09:00:00+09:00", "2024-04-01T00:00:00Z", "2024-04-01t09:00:00.125-05:30"] {
            assert!(de(f, ok), "{ok}");
        }
        for bad in
            ["2024-04-01 09:00:00+09:00", "2024-04-01T09:00+09:00", "2024-04-01T09:00:00", " 2024-04-01T09:00:00Z"]
        {
            assert!(!de(f, bad), "{bad}");
        }
        let g = |v| local_date_time(v);
        assert!(de(g, "2026-10-15T10:00:00") && de(g, "2026-10-15T10:00:00.5"));
        for bad in ["2026-10-15T10:00", "2026-10-15 10:00:00", "2026-10-15T10:00:00Z"] {
            assert!(!de(g, bad), "{bad}");
        }
    }
}
