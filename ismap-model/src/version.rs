//! Document format versions.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer, de::Error as _};

/// The format version of a document whose newest format is `CURRENT`.
///
/// A document written before format versions existed has no version field: it is version 0
/// (`#[serde(default = "DocumentVersion::unversioned", skip_serializing_if = "DocumentVersion::is_unversioned")]`),
/// and reading then writing it leaves it unchanged. Loaders call [`DocumentVersion::upgrade`]
/// (or build the document with [`DocumentVersion::current`]), so that what they return is
/// written in the current format. A version above `CURRENT` is an error naming both versions;
/// an explicit `0` is an error too (version 0 is written by leaving the field out).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DocumentVersion<const CURRENT: u32>(u32);

impl<const CURRENT: u32> DocumentVersion<CURRENT> {
    /// The newest format version this library reads and writes.
    #[must_use]
    pub const fn current() -> Self {
        Self(CURRENT)
    }

    /// Version 0: a document without the field.
    #[must_use]
    pub const fn unversioned() -> Self {
        Self(0)
    }

    /// Whether this is version 0 (the field is then not written).
    #[must_use]
    pub const fn is_unversioned(&self) -> bool {
        self.0 == 0
    }

    /// The version number.
    #[must_use]
    pub const fn get(self) -> u32 {
        self.0
    }

    /// Brings the version up to [`DocumentVersion::current`]. Every older format of the documents
    /// using this type is a subset of the current one, so nothing else changes.
    pub const fn upgrade(&mut self) {
        self.0 = CURRENT;
    }
}

impl<const CURRENT: u32> Default for DocumentVersion<CURRENT> {
    /// The current version.
    fn default() -> Self {
        Self::current()
    }
}

impl<const CURRENT: u32> fmt::Display for DocumentVersion<CURRENT> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl<const CURRENT: u32> Serialize for DocumentVersion<CURRENT> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u32(self.0)
    }
}

impl<'de, const CURRENT: u32> Deserialize<'de> for DocumentVersion<CURRENT> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let v = u32::deserialize(deserializer)?;
        if v > CURRENT {
            return Err(D::Error::custom(format!(
                "文書の形式バージョン {v} はこのライブラリが読める最新の {CURRENT} より新しい \
                 (document format version {v} is newer than {CURRENT}, the newest this library reads)"
            )));
        }
        if v == 0 {
            return Err(D::Error::custom(
                "形式バージョン 0 は書かない。版 0 の文書には版の項目がない (format version 0 is never written: a version 0 document has no version field)",
            ));
        }
        Ok(Self(v))
    }
}

impl<const CURRENT: u32> JsonSchema for DocumentVersion<CURRENT> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("DocumentVersion{CURRENT}").into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "integer",
            "minimum": 1,
            "maximum": CURRENT,
            "description": format!(
                "Format version of this document, 1 to {CURRENT}. Documents written before format versions have no such field: they are version 0, read and upgraded by the loaders."
            )
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn reads_known_versions_and_names_both_for_newer_ones() {
        type V = DocumentVersion<2>;
        assert_eq!(serde_json::from_str::<V>("1").unwrap().get(), 1);
        assert_eq!(serde_json::from_str::<V>("2").unwrap(), V::current());
        let e = serde_json::from_str::<V>("3").unwrap_err().to_string();
        assert!(e.contains("version 3 is newer than 2"), "{e}");
        assert!(serde_json::from_str::<V>("0").is_err());
        let mut v = V::unversioned();
        assert!(v.is_unversioned());
        v.upgrade();
        assert_eq!(serde_json::to_string(&v).unwrap(), "2");
    }
}
