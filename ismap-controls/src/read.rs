//! Reading our documents from JSON and TOML text, with the JSON path of the first malformed
//! value: the one place every loader of this crate goes through.

use serde::de::DeserializeOwned;

/// A document that does not parse: format, JSON path of the offending value, parser message.
pub(crate) struct ReadError {
    pub(crate) format: &'static str,
    pub(crate) path: String,
    pub(crate) message: String,
}

/// Renders a serde path as a JSON path (`$.parts[0].domains`).
pub(crate) fn json_path(path: &serde_path_to_error::Path) -> String {
    let s = path.to_string();
    if s == "." || s.is_empty() {
        "$".to_owned()
    } else if s.starts_with('[') {
        format!("${s}")
    } else {
        format!("$.{s}")
    }
}

fn at_path<E: std::fmt::Display>(format: &'static str, e: &serde_path_to_error::Error<E>) -> ReadError {
    ReadError { format, path: json_path(e.path()), message: e.inner().to_string() }
}

/// Deserializes JSON text.
pub(crate) fn json<T: DeserializeOwned>(s: &str) -> Result<T, ReadError> {
    let de = &mut serde_json::Deserializer::from_str(s);
    serde_path_to_error::deserialize(de).map_err(|e| at_path("JSON", &e))
}

/// Deserializes TOML text (paths in JSON-path form, like JSON).
pub(crate) fn toml<T: DeserializeOwned>(s: &str) -> Result<T, ReadError> {
    let de = toml::Deserializer::parse(s).map_err(|e| ReadError {
        format: "TOML",
        path: "$".to_owned(),
        message: e.message().to_owned(),
    })?;
    serde_path_to_error::deserialize(de).map_err(|e| at_path("TOML", &e))
}
