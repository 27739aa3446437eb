//! Identifiers used by the registry: services, audit institutions and incidents.

use std::fmt;
use std::str::FromStr;

/// Regular expression matching every identifier this module accepts: 1 to 64 ASCII letters,
/// digits, `.`, `_` or `-`, starting with a letter or digit.
pub const ID_PATTERN: &str = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$";

/// Why a string is not an identifier.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{input}` is not a valid {what} (1-64 ASCII letters, digits, `.`, `_`, `-`, starting with a letter or digit)")]
pub struct IdError {
    what: &'static str,
    input: String,
}

impl IdError {
    /// The rejected input.
    #[must_use]
    pub fn input(&self) -> &str {
        &self.input
    }

    /// What kind of identifier was expected.
    #[must_use]
    pub const fn what(&self) -> &'static str {
        self.what
    }
}

fn check(what: &'static str, s: &str) -> Result<(), IdError> {
    let ok = !s.is_empty()
        && s.len() <= 64
        && s.starts_with(|c: char| c.is_ascii_alphanumeric())
        && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if ok { Ok(()) } else { Err(IdError { what, input: s.to_owned() }) }
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
        #[serde(try_from = "String", into = "String")]
        #[schemars(extend("pattern" = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"))]
        pub struct $name(String);

        impl $name {
            /// The identifier as written.
            #[must_use]
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = IdError;

            fn try_from(s: String) -> Result<Self, Self::Error> {
                check($what, &s)?;
                Ok(Self(s))
            }
        }

        impl FromStr for $name {
            type Err = IdError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                check($what, s)?;
                Ok(Self(s.to_owned()))
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> Self {
                id.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

id_type!(
    /// The registry's key for a cloud service, e.g. `hoshizora-drive`.
    ///
    /// ```
    /// use ismap_workflow::ServiceId;
    /// assert!("hoshizora-drive".parse::<ServiceId>().is_ok());
    /// assert!("-bad".parse::<ServiceId>().is_err());
    /// ```
    ServiceId,
    "service id"
);

id_type!(
    /// The registry's key for an audit institution (監査機関), e.g. `aoba-audit`.
    InstitutionId,
    "audit institution id"
);

id_type!(
    /// A provider-chosen id tying an incident's preliminary (速報) and final (確報) reports together.
    IncidentId,
    "incident id"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        for ok in ["a", "A1", "kumo-base", "x.y_z-1", &"a".repeat(64)] {
            assert!(ok.parse::<ServiceId>().is_ok(), "{ok}");
        }
        for bad in ["", "-a", ".a", "a b", "あ", &"a".repeat(65)] {
            assert!(bad.parse::<InstitutionId>().is_err(), "{bad}");
        }
        assert!(serde_json::from_str::<IncidentId>("\"inc 1\"").is_err());
        assert_eq!(serde_json::to_string(&"inc-1".parse::<IncidentId>().unwrap()).unwrap(), "\"inc-1\"");
    }
}
