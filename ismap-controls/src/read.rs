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
    let value = serde_path_to_error::deserialize(&mut *de).map_err(|e| at_path("JSON", &e))?;
    // Only whitespace may follow the document (found by fuzzing: `{...} x` was accepted).
    de.end().map_err(|e| ReadError { format: "JSON", path: "$".to_owned(), message: e.to_string() })?;
    Ok(value)
}

/// The 1-based line and column (in characters) of byte `offset` in `text`.
pub(crate) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or_default();
    (before.matches('\n').count() + 1, before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1)
}

/// Deserializes TOML text (paths in JSON-path form, like JSON). The message is toml's one-line
/// message with the line and column, not its multi-line rendering with a source excerpt.
pub(crate) fn toml<T: DeserializeOwned>(s: &str) -> Result<T, ReadError> {
    let one_line = |e: &toml::de::Error| match e.span() {
        Some(span) => {
            let (line, column) = line_column(s, span.start);
            format!("{} (line {line}, column {column})", e.message())
        }
        None => e.message().to_owned(),
    };
    let de = toml::Deserializer::parse(s).map_err(|e| ReadError {
        format: "TOML",
        path: "$".to_owned(),
        message: one_line(&e),
    })?;
    serde_path_to_error::deserialize(de).map_err(|e| ReadError {
        format: "TOML",
        path: json_path(e.path()),
        message: one_line(e.inner()),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Doc {
        version: u32,
        inner: Inner,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        name: String,
    }

    #[test]
    fn trailing_characters_after_a_json_document_are_an_error() {
        assert!(json::<Inner>(r#"{"name": "x"}  "#).is_ok());
        let e = json::<Inner>(r#"{"name": "x"} x"#).err().unwrap();
        assert!(e.message.contains("trailing characters"), "{}", e.message);
    }

    #[test]
    fn toml_errors_are_one_line_with_the_path_and_position() {
        let Err(e) = toml::<Doc>("version = 1\n[inner]\nnaem = \"x\"\n") else { panic!("read") };
        assert_eq!(e.path, "$.inner.naem");
        assert!(!e.message.contains('\n'), "{}", e.message);
        assert!(e.message.contains("naem") && e.message.contains("line 3, column 1"), "{}", e.message);
        let Err(e) = toml::<Doc>("version = \n") else { panic!("read") };
        assert!(!e.message.contains('\n') && e.message.contains("line 1"), "{}", e.message);
    }
}
