//! Short string identifiers chosen by users (service ids, scenario-local ids): one error type and
//! one macro, [`string_id!`](crate::string_id), shared by the crates that define such ids.

/// Why a string is not a valid identifier of some kind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{value}` is not a valid {kind} (expected {expected})")]
pub struct IdError {
    kind: &'static str,
    value: String,
    expected: &'static str,
}

impl IdError {
    /// An error for `value`, which is not a `kind` (e.g. `service id`); `expected` says what is.
    #[must_use]
    pub const fn new(kind: &'static str, value: String, expected: &'static str) -> Self {
        Self { kind, value, expected }
    }

    /// The kind of id that was expected, e.g. `step id`.
    #[must_use]
    pub const fn kind(&self) -> &'static str {
        self.kind
    }

    /// The rejected value.
    #[must_use]
    pub fn value(&self) -> &str {
        &self.value
    }

    /// What a valid id looks like.
    #[must_use]
    pub const fn expected(&self) -> &'static str {
        self.expected
    }
}

/// Whether `s` is 1 to `max_len` bytes of ASCII letters, digits and the characters of `extra`,
/// starting with a letter or digit.
#[must_use]
pub fn is_simple_id(s: &str, max_len: usize, extra: &[char]) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && s.len() <= max_len
        && chars.all(|c| c.is_ascii_alphanumeric() || extra.contains(&c))
}

/// Defines a validated string identifier: a newtype over `String` that only holds strings for
/// which `$valid(&str) -> bool` holds, with `FromStr`, `TryFrom<String>`, `Display`, `AsRef<str>`,
/// serde (as a string, checked on the way in) and a JSON Schema carrying `$pattern`. Invalid input
/// is an [`IdError`] naming `$kind` and `$expected`.
///
/// The defining crate needs `serde` and `schemars` as dependencies.
///
/// ```
/// ismap_model::string_id!(
///     /// A room number such as `r-101`.
///     pub struct RoomId: "room id", r"^r-[0-9]+$", "`r-` and digits",
///     |s: &str| s.strip_prefix("r-").is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
/// );
/// assert_eq!("r-101".parse::<RoomId>()?.as_str(), "r-101");
/// let e = "101".parse::<RoomId>().unwrap_err();
/// assert_eq!(e.to_string(), "`101` is not a valid room id (expected `r-` and digits)");
/// # Ok::<(), ismap_model::IdError>(())
/// ```
#[macro_export]
macro_rules! string_id {
    ($(#[$doc:meta])* $vis:vis struct $name:ident : $kind:literal, $pattern:expr, $expected:expr, $valid:expr $(,)?) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, ::serde::Serialize, ::serde::Deserialize, ::schemars::JsonSchema)]
        #[serde(try_from = "String", into = "String")]
        #[schemars(extend("pattern" = $pattern))]
        $vis struct $name(String);

        impl $name {
            /// The identifier as written.
            #[must_use]
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl ::core::convert::TryFrom<String> for $name {
            type Error = $crate::IdError;

            fn try_from(s: String) -> Result<Self, Self::Error> {
                let valid: fn(&str) -> bool = $valid;
                if valid(&s) { Ok(Self(s)) } else { Err($crate::IdError::new($kind, s, $expected)) }
            }
        }

        impl ::core::str::FromStr for $name {
            type Err = $crate::IdError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::try_from(s.to_owned())
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

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simple_ids() {
        assert!(is_simple_id("a", 3, &[]));
        assert!(is_simple_id("a-b", 3, &['-']));
        assert!(!is_simple_id("a-bc", 3, &['-']));
        assert!(!is_simple_id("-a", 3, &['-']));
        assert!(!is_simple_id("", 3, &['-']));
        assert!(!is_simple_id("あ", 3, &[]));
    }
}
