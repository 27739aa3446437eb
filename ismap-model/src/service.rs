//! Cloud services and their providers.

use std::fmt;
use std::str::FromStr;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{RegistrationNumber, ServiceModel, Text};

/// A Japanese corporate number (法人番号): 13 digits, the first a check digit.
///
/// Check digit (National Tax Agency rule): `9 - (Σ Pn·Qn mod 9)` over the 12 base digits, `Pn` the
/// n-th digit counted from the right, `Qn` 1 for odd n and 2 for even n.
///
/// ```
/// use ismap_model::CorporateNumber;
/// assert!("7000012050002".parse::<CorporateNumber>().is_ok());
/// assert!("1000012050002".parse::<CorporateNumber>().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CorporateNumber(String);

/// Why a string is not a [`CorporateNumber`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CorporateNumberError {
    /// Not 13 ASCII digits.
    #[error("`{0}` is not a corporate number (法人番号): expected 13 digits")]
    Shape(String),
    /// The check digit does not match.
    #[error("corporate number `{input}` has check digit {found}, expected {expected}")]
    CheckDigit {
        /// The rejected input.
        input: String,
        /// The first digit as written.
        found: u32,
        /// The check digit computed from the other 12.
        expected: u32,
    },
}

impl FromStr for CorporateNumber {
    type Err = CorporateNumberError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let digits: Vec<u32> = s.chars().filter_map(|c| c.to_digit(10)).collect();
        if s.len() != 13 || digits.len() != 13 {
            return Err(CorporateNumberError::Shape(s.to_owned()));
        }
        let (check, base) = digits.split_first().ok_or_else(|| CorporateNumberError::Shape(s.to_owned()))?;
        let sum: u32 = base.iter().rev().enumerate().map(|(i, d)| d * if i % 2 == 0 { 1 } else { 2 }).sum();
        let expected = 9 - sum % 9;
        if *check != expected {
            return Err(CorporateNumberError::CheckDigit { input: s.to_owned(), found: *check, expected });
        }
        Ok(Self(s.to_owned()))
    }
}

impl fmt::Display for CorporateNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for CorporateNumber {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for CorporateNumber {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for CorporateNumber {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "CorporateNumber".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "Japanese corporate number (法人番号): 13 digits, the first being a check digit.",
            "pattern": "^[1-9][0-9]{12}$"
        })
    }
}

/// A cloud service provider (クラウドサービス事業者, CSP).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Provider {
    /// The provider's name.
    pub name: Text,
    /// Its corporate number (法人番号), when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub corporate_number: Option<CorporateNumber>,
}

impl Provider {
    /// A provider with a name only.
    #[must_use]
    pub const fn new(name: Text) -> Self {
        Self { name, corporate_number: None }
    }
}

/// A cloud service as it appears on the cloud service list or in a statement's scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct CloudService {
    /// The service's name.
    pub name: Text,
    /// Who provides it.
    pub provider: Provider,
    /// IaaS, PaaS or SaaS.
    pub model: ServiceModel,
    /// The regions (or data-centre locations) in scope, e.g. `ap-northeast-1` or `東京`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<String>,
    /// Its ISMAP registration number, when registered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration: Option<RegistrationNumber>,
}

impl CloudService {
    /// A service with no regions and no registration.
    #[must_use]
    pub const fn new(name: Text, provider: Provider, model: ServiceModel) -> Self {
        Self { name, provider, model, regions: Vec::new(), registration: None }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corporate_number_check_digit() {
        assert!("7000012050002".parse::<CorporateNumber>().is_ok());
        assert!(matches!(
            "1000012050002".parse::<CorporateNumber>(),
            Err(CorporateNumberError::CheckDigit { expected: 7, found: 1, .. })
        ));
        assert!(matches!("700001205000".parse::<CorporateNumber>(), Err(CorporateNumberError::Shape(_))));
        assert!(matches!("７000012050002".parse::<CorporateNumber>(), Err(CorporateNumberError::Shape(_))));
    }
}
