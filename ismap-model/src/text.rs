//! Bilingual (Japanese and English) text.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A language the project writes in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// 日本語.
    #[default]
    Ja,
    /// English.
    En,
}

impl std::str::FromStr for Lang {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "ja" => Ok(Self::Ja),
            "en" => Ok(Self::En),
            other => Err(format!("unknown language `{other}` (expected ja or en)")),
        }
    }
}

/// Text in Japanese and English. At least one of the two is present and not blank.
///
/// [`Text::get`] falls back to the other language when the one asked for is missing, so a
/// statement written only in Japanese still renders in an English report.
///
/// ```
/// use ismap_model::{Lang, Text};
/// let t = Text::new("資産の目録", "Inventory of assets");
/// assert_eq!(t.get(Lang::En), "Inventory of assets");
/// let ja_only = Text::ja("監査ログを90日保管する");
/// assert_eq!(ja_only.get(Lang::En), "監査ログを90日保管する");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "RawText", deny_unknown_fields)]
pub struct Text {
    /// Japanese.
    #[serde(skip_serializing_if = "Option::is_none")]
    ja: Option<String>,
    /// English.
    #[serde(skip_serializing_if = "Option::is_none")]
    en: Option<String>,
}

/// Wire form of [`Text`] before the "at least one language" check.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawText {
    #[serde(default)]
    ja: Option<String>,
    #[serde(default)]
    en: Option<String>,
}

impl JsonSchema for Text {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Text".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "object",
            "description": "Text in Japanese (ja) and English (en); at least one is present and not blank.",
            "properties": {
                "ja": { "type": ["string", "null"], "description": "日本語" },
                "en": { "type": ["string", "null"], "description": "English" }
            },
            "additionalProperties": false,
            "anyOf": [
                { "required": ["ja"], "properties": { "ja": { "type": "string", "pattern": "\\S" } } },
                { "required": ["en"], "properties": { "en": { "type": "string", "pattern": "\\S" } } }
            ]
        })
    }
}

/// Why a [`Text`] could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("text needs a non-blank `ja` or `en` value")]
pub struct EmptyTextError;

impl TryFrom<RawText> for Text {
    type Error = EmptyTextError;

    fn try_from(raw: RawText) -> Result<Self, Self::Error> {
        Self::try_new(raw.ja, raw.en)
    }
}

fn non_blank(s: Option<String>) -> Option<String> {
    s.filter(|s| !s.trim().is_empty())
}

impl Text {
    /// Text in both languages. Blank strings count as missing; if both are blank the Japanese
    /// one is kept as given, so this constructor never fails (use [`Text::try_new`] to check).
    #[must_use]
    pub fn new(ja: impl Into<String>, en: impl Into<String>) -> Self {
        let (ja, en) = (ja.into(), en.into());
        Self::try_new(Some(ja.clone()), Some(en)).unwrap_or(Self { ja: Some(ja), en: None })
    }

    /// Japanese only.
    #[must_use]
    pub fn ja(ja: impl Into<String>) -> Self {
        Self { ja: Some(ja.into()), en: None }
    }

    /// English only.
    #[must_use]
    pub fn en(en: impl Into<String>) -> Self {
        Self { ja: None, en: Some(en.into()) }
    }

    /// Text from optional parts.
    ///
    /// # Errors
    /// When neither language holds a non-blank string.
    pub fn try_new(ja: Option<String>, en: Option<String>) -> Result<Self, EmptyTextError> {
        let (ja, en) = (non_blank(ja), non_blank(en));
        if ja.is_none() && en.is_none() {
            return Err(EmptyTextError);
        }
        Ok(Self { ja, en })
    }

    /// The text in `lang`, or in the other language when `lang` is missing.
    #[must_use]
    pub fn get(&self, lang: Lang) -> &str {
        let (first, second) = match lang {
            Lang::Ja => (&self.ja, &self.en),
            Lang::En => (&self.en, &self.ja),
        };
        first.as_deref().or(second.as_deref()).unwrap_or("")
    }

    /// The text in exactly `lang`, if present.
    #[must_use]
    pub fn exactly(&self, lang: Lang) -> Option<&str> {
        match lang {
            Lang::Ja => self.ja.as_deref(),
            Lang::En => self.en.as_deref(),
        }
    }

    /// Whether the text holds both languages.
    #[must_use]
    pub const fn is_bilingual(&self) -> bool {
        self.ja.is_some() && self.en.is_some()
    }
}

impl fmt::Display for Text {
    /// Japanese, then English in brackets when both are present.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.ja, &self.en) {
            (Some(ja), Some(en)) => write!(f, "{ja} ({en})"),
            (Some(one), None) | (None, Some(one)) => f.write_str(one),
            (None, None) => Ok(()),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn rejects_empty_and_unknown_fields() {
        assert!(serde_json::from_str::<Text>(r#"{"ja": " ", "en": ""}"#).is_err());
        assert!(serde_json::from_str::<Text>(r"{}").is_err());
        assert!(serde_json::from_str::<Text>(r#"{"ja": "a", "fr": "b"}"#).is_err());
        let t: Text = serde_json::from_str(r#"{"en": "x"}"#).unwrap();
        assert_eq!(t.get(Lang::Ja), "x");
        assert_eq!(serde_json::to_string(&t).unwrap(), r#"{"en":"x"}"#);
    }
}
