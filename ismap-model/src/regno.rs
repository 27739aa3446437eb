//! ISMAP registration numbers (登録番号), e.g. `C21-0004-2`.

use std::fmt;
use std::str::FromStr;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Regular expression matching every string [`RegistrationNumber::from_str`] accepts.
///
/// The published examples (Google Cloud Platform `C21-0004-2`, Google Workspace `C21-0005-2`,
/// Gemini Enterprise `C26-0114-2`; facts §4) are `C`, two digits, a dash, four digits, a dash
/// and one digit. The meaning of the parts is **UNVERIFIED** and ISMAP-LIU may use another
/// letter (facts §4), so the first letter may be any ASCII capital and the parts stay opaque.
pub const REGISTRATION_NUMBER_PATTERN: &str = r"^[A-Z][0-9]{2}-[0-9]{4}-[0-9]$";

/// A registration number on the ISMAP cloud service list.
///
/// Only the shape is checked (see [`REGISTRATION_NUMBER_PATTERN`]); the parts are deliberately
/// not exposed because their meaning has not been published.
///
/// ```
/// use ismap_model::RegistrationNumber;
/// let n: RegistrationNumber = "C21-0004-2".parse()?;
/// assert_eq!(n.as_str(), "C21-0004-2");
/// assert!("C21-4-2".parse::<RegistrationNumber>().is_err());
/// # Ok::<(), ismap_model::RegistrationNumberError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RegistrationNumber(String);

/// Why a string is not a [`RegistrationNumber`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{input}` is not a registration number (expected a capital letter, 2 digits, `-`, 4 digits, `-`, 1 digit, like C21-0004-2)"
)]
pub struct RegistrationNumberError {
    /// The rejected input.
    pub input: String,
}

impl RegistrationNumber {
    /// The number as written.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for RegistrationNumber {
    type Err = RegistrationNumberError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let b = s.as_bytes();
        let ok = b.len() == 10
            && b.iter().enumerate().all(|(i, c)| match i {
                0 => c.is_ascii_uppercase(),
                3 | 8 => *c == b'-',
                _ => c.is_ascii_digit(),
            });
        if ok { Ok(Self(s.to_owned())) } else { Err(RegistrationNumberError { input: s.to_owned() }) }
    }
}

impl fmt::Display for RegistrationNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for RegistrationNumber {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Serialize for RegistrationNumber {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for RegistrationNumber {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for RegistrationNumber {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "RegistrationNumber".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "ISMAP registration number, e.g. C21-0004-2 (the meaning of the parts is unpublished).",
            "pattern": REGISTRATION_NUMBER_PATTERN
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape() {
        for ok in ["C21-0004-2", "C26-0114-2", "L24-0001-1"] {
            assert!(ok.parse::<RegistrationNumber>().is_ok(), "{ok}");
        }
        for bad in ["", "c21-0004-2", "C21-0004-", "C210004-2", "C21-0004-22", "C2A-0004-2", "C21-0004-2 "] {
            assert!(bad.parse::<RegistrationNumber>().is_err(), "{bad}");
        }
    }
}
