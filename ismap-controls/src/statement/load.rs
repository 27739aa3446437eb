//! Reading a statement and reporting **every** problem at once, each with its location.
//!
//! The typed parse stops at the first malformed value. When it fails, the document is read again
//! as a tree and each top-level field, each selection and each agency response is checked on its
//! own, so that a statement with three faults in three places gets three problems, each with its
//! JSON path and the offending value. TOML goes through the same tree (its native dates become
//! `YYYY-MM-DD` text), so the two formats report alike.

use std::fmt;

use ismap_model::{DocumentVersion, Lang, Limits, Text};
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{AgencyResponse, ControlChange, IndividualControl, Representative, Selection, ServiceScope, Statement};
use crate::read::json_path;

/// The most characters of an offending value shown in a problem.
const VALUE_CHARS: usize = 80;

/// One problem of a statement that does not load.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct StatementProblem {
    /// Where: a JSON path (`$.selections[3].id`) for JSON and TOML, `sheet!cell` (`回答!F12`)
    /// for workbooks, `line:column` for CSV.
    pub location: String,
    /// The offending value as written, shortened to about 80 characters, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// What is wrong, in both languages.
    pub message: Text,
}

impl StatementProblem {
    /// A problem at `location`.
    #[must_use]
    pub fn new(location: impl Into<String>, value: Option<String>, message: Text) -> Self {
        Self { location: location.into(), value: value.map(|v| shorten(&v)), message }
    }

    /// The problem as one line in `lang`: location, message and value.
    #[must_use]
    pub fn line(&self, lang: Lang) -> String {
        match &self.value {
            Some(v) if lang == Lang::Ja => format!("{}: {}（値: `{v}`）", self.location, self.message.get(lang)),
            Some(v) => format!("{}: {} (value: `{v}`)", self.location, self.message.get(lang)),
            None => format!("{}: {}", self.location, self.message.get(lang)),
        }
    }
}

impl fmt::Display for StatementProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.line(Lang::En))
    }
}

/// `s` cut to about [`VALUE_CHARS`] characters, on one line.
pub(crate) fn shorten(s: &str) -> String {
    let one_line = s.replace(['\n', '\r'], " ");
    if one_line.chars().count() <= VALUE_CHARS {
        one_line
    } else {
        let mut cut: String = one_line.chars().take(VALUE_CHARS - 1).collect();
        cut.push('…');
        cut
    }
}

/// Every problem of a statement that does not load (never empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementProblems(pub Vec<StatementProblem>);

impl fmt::Display for StatementProblems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.as_slice() {
            [] => f.write_str("no problem"),
            [one] => write!(f, "{one}"),
            [first, rest @ ..] => write!(f, "{first} (and {} more)", rest.len()),
        }
    }
}

impl std::error::Error for StatementProblems {}

impl StatementProblems {
    /// The problems, in document order.
    #[must_use]
    pub fn problems(&self) -> &[StatementProblem] {
        &self.0
    }
}

impl From<super::StatementError> for StatementProblems {
    fn from(e: super::StatementError) -> Self {
        Self(vec![StatementProblem::new(e.path, None, Text::new(format!("読み込めません: {}", e.message), e.message))])
    }
}

/// The result of `ismap statement validate`: a statement's problems, or none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Statement validation report")]
#[non_exhaustive]
pub struct StatementValidation {
    /// Format version of this report.
    pub format_version: DocumentVersion<1>,
    /// Whether the statement loads (no problems).
    pub valid: bool,
    /// Every problem, in document order.
    pub problems: Vec<StatementProblem>,
}

impl StatementValidation {
    /// The report for a load result.
    #[must_use]
    pub fn new<T>(result: &Result<T, StatementProblems>) -> Self {
        let problems = result.as_ref().err().map(|p| p.0.clone()).unwrap_or_default();
        Self { format_version: DocumentVersion::current(), valid: problems.is_empty(), problems }
    }
}

/// A serde message in both languages (serde's own text is English; the Japanese says where the
/// English detail is).
fn serde_message(message: &str) -> Text {
    Text::new(format!("値が正しくありません（{message}）"), message)
}

/// The value at a serde path inside `root`, rendered for a problem.
fn value_at(root: &Value, path: &serde_path_to_error::Path) -> Option<String> {
    use serde_path_to_error::Segment;
    let mut v = root;
    for seg in path {
        v = match seg {
            Segment::Seq { index } => v.get(*index)?,
            Segment::Map { key } => v.get(key.as_str())?,
            Segment::Enum { .. } | Segment::Unknown => return render(v),
        };
    }
    render(v)
}

fn render(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// Joins a prefix path (`$.selections[2]`) and a serde path relative to it.
fn join(prefix: &str, inner: &serde_path_to_error::Path) -> String {
    let rel = json_path(inner);
    match rel.strip_prefix('$') {
        Some(rest) => format!("{prefix}{rest}"),
        None => prefix.to_owned(),
    }
}

/// Checks that `value` reads as a `T`; on failure records the problem at its exact path.
fn check<T: DeserializeOwned>(value: &Value, prefix: &str, problems: &mut Vec<StatementProblem>) -> bool {
    match serde_path_to_error::deserialize::<_, T>(value) {
        Ok(_) => true,
        Err(e) => {
            problems.push(StatementProblem::new(
                join(prefix, e.path()),
                value_at(value, e.path()),
                serde_message(&e.inner().to_string()),
            ));
            false
        }
    }
}

/// Checks each element of an array on its own.
fn check_each<T: DeserializeOwned>(
    value: &Value,
    prefix: &str,
    problems: &mut Vec<StatementProblem>,
    element: impl Fn(&Value, &str, &mut Vec<StatementProblem>),
) {
    match value.as_array() {
        Some(items) => {
            for (i, item) in items.iter().enumerate() {
                element(item, &format!("{prefix}[{i}]"), problems);
            }
        }
        None => {
            check::<Vec<T>>(value, prefix, problems);
        }
    }
}

/// A selection: its fields one by one first (exact paths, which the tagged form hides), then
/// the selection as a whole (missing or unknown fields, a status that does not fit).
fn check_selection(value: &Value, prefix: &str, problems: &mut Vec<StatementProblem>) {
    let before = problems.len();
    if let Some(obj) = value.as_object() {
        for (key, v) in obj {
            let at = format!("{prefix}.{key}");
            match key.as_str() {
                "id" => {
                    check::<ismap_model::ControlId>(v, &at, problems);
                }
                "status" => {
                    check::<super::SelectionStatus>(v, &at, problems);
                }
                "controls" => check_each::<IndividualControl>(v, &at, problems, |c, p, ps| {
                    check::<IndividualControl>(c, p, ps);
                }),
                "changes" => check_each::<ControlChange>(v, &at, problems, |c, p, ps| {
                    check::<ControlChange>(c, p, ps);
                }),
                "reason" | "from" => {
                    check::<String>(v, &at, problems);
                }
                _ => {}
            }
        }
    }
    if problems.len() == before {
        check::<Selection>(value, prefix, problems);
    }
}

/// The fields of a statement, and whether each is required.
const FIELDS: &[(&str, bool)] = &[
    ("format_version", false),
    ("service", true),
    ("program", true),
    ("catalog_version", true),
    ("period", true),
    ("previous_period", false),
    ("representative", true),
    ("selections", true),
    ("agency_responses", false),
];

/// Every problem of a statement tree, field by field and element by element.
pub(crate) fn collect(root: &Value) -> Vec<StatementProblem> {
    let mut problems = Vec::new();
    let Some(obj) = root.as_object() else {
        let kind = match root {
            Value::Array(_) => "an array",
            Value::String(_) => "a string",
            Value::Number(_) => "a number",
            Value::Bool(_) => "a boolean",
            Value::Null => "null",
            Value::Object(_) => "an object",
        };
        problems.push(StatementProblem::new(
            "$",
            None,
            Text::new(
                format!("言明書はオブジェクト（キーと値の組）で書きます。{kind} ではありません"),
                format!("a statement is an object of named fields, not {kind}"),
            ),
        ));
        return problems;
    };
    for (key, v) in obj {
        let at = format!("$.{key}");
        match key.as_str() {
            "format_version" => {
                check::<DocumentVersion<1>>(v, &at, &mut problems);
            }
            "service" => {
                check::<ServiceScope>(v, &at, &mut problems);
            }
            "program" => {
                check::<ismap_model::Program>(v, &at, &mut problems);
            }
            "catalog_version" => {
                check::<semver::Version>(v, &at, &mut problems);
            }
            "period" | "previous_period" => {
                check::<ismap_model::AssessmentPeriod>(v, &at, &mut problems);
            }
            "representative" => {
                check::<Representative>(v, &at, &mut problems);
            }
            "selections" => check_each::<Selection>(v, &at, &mut problems, check_selection),
            "agency_responses" => check_each::<AgencyResponse>(v, &at, &mut problems, |r, p, ps| {
                check::<AgencyResponse>(r, p, ps);
            }),
            unknown => {
                let expected: Vec<&str> = FIELDS.iter().map(|(f, _)| *f).collect();
                problems.push(StatementProblem::new(
                    at,
                    None,
                    Text::new(
                        format!("不明な項目 `{unknown}` です（使える項目: {}）", expected.join("、")),
                        format!("unknown field `{unknown}` (expected one of {})", expected.join(", ")),
                    ),
                ));
            }
        }
    }
    for (field, required) in FIELDS {
        if *required && !obj.contains_key(*field) {
            problems.push(StatementProblem::new(
                "$",
                None,
                Text::new(format!("必須の項目 `{field}` がありません"), format!("missing field `{field}`")),
            ));
        }
    }
    problems
}

/// Reads a statement from a tree, or every problem in it.
pub(crate) fn from_value(root: &Value, limits: &Limits) -> Result<Statement, StatementProblems> {
    match serde_path_to_error::deserialize::<_, Statement>(root) {
        Ok(st) => {
            limits.check_items(st.items()).map_err(|e| limit_problems(&e))?;
            Ok(st.upgraded())
        }
        Err(e) => {
            let mut problems = collect(root);
            if problems.is_empty() {
                // The pieces read on their own but not together: report the whole-document error.
                problems.push(StatementProblem::new(
                    join("$", e.path()),
                    value_at(root, e.path()),
                    serde_message(&e.inner().to_string()),
                ));
            }
            Err(StatementProblems(problems))
        }
    }
}

fn limit_problems(e: &ismap_model::LimitExceeded) -> StatementProblems {
    StatementProblems(vec![StatementProblem::new("$", None, e.message())])
}

/// A syntax error: nothing past it can be read.
fn syntax(format: &str, line: usize, column: usize, message: &str) -> StatementProblems {
    StatementProblems(vec![StatementProblem::new(
        format!("{line}:{column}"),
        None,
        Text::new(
            format!("{format} の構文が正しくありません（{line} 行 {column} 列: {message}）"),
            format!("not valid {format} at line {line}, column {column}: {message}"),
        ),
    )])
}

/// Reads JSON text (a UTF-8 byte-order mark is ignored): the typed parse first, every problem
/// when it fails.
pub(crate) fn json(text: &str, limits: &Limits) -> Result<Statement, StatementProblems> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    limits.check_text(text).map_err(|e| limit_problems(&e))?;
    if let Ok(st) = serde_json::from_str::<Statement>(text) {
        limits.check_items(st.items()).map_err(|e| limit_problems(&e))?;
        return Ok(st.upgraded());
    }
    let root: Value = serde_json::from_str(text).map_err(|e| {
        let msg = e.to_string();
        let msg = msg.split(" at line ").next().unwrap_or(&msg).to_owned();
        syntax("JSON", e.line(), e.column(), &msg)
    })?;
    from_value(&root, limits)
}

/// Reads TOML text: native TOML dates are read as `YYYY-MM-DD`; every problem is reported with
/// its JSON path.
pub(crate) fn toml(text: &str, limits: &Limits) -> Result<Statement, StatementProblems> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    limits.check_text(text).map_err(|e| limit_problems(&e))?;
    let table: toml::Table = toml::from_str(text).map_err(|e| {
        let (line, column) = e.span().map_or((1, 1), |span| crate::read::line_column(text, span.start));
        syntax("TOML", line, column, e.message())
    })?;
    from_value(&toml_to_json(toml::Value::Table(table)), limits)
}

/// A TOML tree as a JSON tree; dates and times become their RFC 3339 text.
fn toml_to_json(v: toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => Value::Object(t.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect()),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn sample() -> Value {
        serde_json::from_str(Statement::sample_json()).unwrap()
    }

    #[test]
    fn three_faults_are_three_problems_with_paths_and_values() {
        let mut v = sample();
        v["period"]["end"] = Value::from("2025-02-30");
        v["selections"][0]["id"] = Value::from("99..1");
        v["selections"][2]["controls"] = serde_json::json!([{"text": 5}]);
        let text = v.to_string();
        let problems = json(&text, &Limits::DEFAULT).unwrap_err().0;
        let at: Vec<&str> = problems.iter().map(|p| p.location.as_str()).collect();
        assert_eq!(problems.len(), 3, "{problems:#?}");
        assert!(at.contains(&"$.period.end") || at.contains(&"$.period"), "{at:?}");
        assert!(at.contains(&"$.selections[0].id"), "{at:?}");
        assert!(at.contains(&"$.selections[2].controls[0].text"), "{at:?}");
        let id = problems.iter().find(|p| p.location == "$.selections[0].id").unwrap();
        assert_eq!(id.value.as_deref(), Some("99..1"));
    }

    #[test]
    fn unknown_and_missing_fields_are_reported_together() {
        let mut v = sample();
        let obj = v.as_object_mut().unwrap();
        obj.remove("representative");
        obj.insert("colour".into(), Value::from("blue"));
        let problems = json(&v.to_string(), &Limits::DEFAULT).unwrap_err().0;
        assert!(problems.iter().any(|p| p.location == "$.colour"));
        assert!(problems.iter().any(|p| p.message.get(Lang::En) == "missing field `representative`"));
    }

    #[test]
    fn arrays_bom_and_syntax_errors() {
        let p = json("[1, 2]", &Limits::DEFAULT).unwrap_err().0;
        assert_eq!(p.len(), 1);
        assert!(p[0].message.get(Lang::En).contains("not an array"));
        let with_bom = format!("\u{feff}{}", Statement::sample_json());
        assert!(json(&with_bom, &Limits::DEFAULT).is_ok());
        let p = json("{\n  \"service\": ", &Limits::DEFAULT).unwrap_err().0;
        assert_eq!(p[0].location, "2:13");
    }

    #[test]
    fn toml_native_dates_are_read() {
        let st = Statement::try_sample().unwrap();
        let mut text = toml::to_string(&st).unwrap();
        text = text.replace("start = \"2024-04-01\"", "start = 2024-04-01");
        assert!(text.contains("start = 2024-04-01"));
        assert_eq!(toml(&text, &Limits::DEFAULT).unwrap(), st);
    }

    #[test]
    fn long_values_are_shortened() {
        let long = "x".repeat(500);
        let p = StatementProblem::new("$", Some(long), Text::en("bad"));
        assert_eq!(p.value.unwrap().chars().count(), VALUE_CHARS);
    }
}
