//! Loading scenario documents and action logs from JSON or YAML, and the embedded defaults.
//!
//! # Which YAML crate
//! `serde_yaml` is deprecated and archived (its author stopped maintaining it in 2024). Its
//! forks were compared: `serde_yml` is avoided (it had soundness problems and a poor maintenance
//! record); `serde_yaml_ng` 0.10 still depends on the archived `unsafe-libyaml`; `serde_norway`
//! (0.9.x) keeps `serde_yaml` 0.9's API and behaviour and ships with `unsafe-libyaml-norway`, a
//! maintained fork of the libyaml port that receives fixes. So this crate uses **`serde_norway`**:
//! a drop-in API, a maintained parser underneath, and error locations (line and column) that end
//! up in the `parse` issue's message.

use ismap_model::{LimitExceeded, Limits, Text};
use serde::de::DeserializeOwned;

use crate::doc::ScenarioDocument;
use crate::issue::{InvalidDocumentError, Issue, IssueCode};
use crate::log::ActionLog;
use crate::scenario::Scenario;

/// A file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// JSON.
    Json,
    /// YAML 1.1 / 1.2 (as read by `serde_norway`).
    Yaml,
}

impl Format {
    /// The format a file name suggests: `.json` is JSON, anything else YAML (YAML is a superset
    /// of JSON for the documents used here).
    #[must_use]
    pub fn from_path(path: &std::path::Path) -> Self {
        match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("json") => Self::Json,
            _ => Self::Yaml,
        }
    }
}

/// The embedded default scenario (YAML): a B-1-style incident in a fictional city.
pub const DEFAULT_SCENARIO_YAML: &str = include_str!("../data/minatogawa-b1.yaml");

/// The embedded sample action log (YAML) for [`DEFAULT_SCENARIO_YAML`].
pub const SAMPLE_LOG_YAML: &str = include_str!("../data/minatogawa-b1-log.yaml");

/// A limit exceeded, as a single `parse` issue at the root carrying the limit's bilingual message.
fn limit_error(e: &LimitExceeded) -> InvalidDocumentError {
    InvalidDocumentError::new(vec![Issue::error(IssueCode::Parse, "$".to_owned(), vec![], e.message())])
}

/// Reads `text` without tracking where the deserializer is (the fast path); only when that fails
/// is it read again with [`serde_path_to_error`], to locate the error by its JSON path.
fn parse<T: DeserializeOwned>(text: &str, format: Format, limits: &Limits) -> Result<T, InvalidDocumentError> {
    limits.check_text(text).map_err(|e| limit_error(&e))?;
    let fast = match format {
        Format::Json => serde_json::from_str::<T>(text).map_err(|e| e.to_string()),
        Format::Yaml => serde_norway::from_str::<T>(text).map_err(|e| e.to_string()),
    };
    let first = match fast {
        Ok(doc) => return Ok(doc),
        Err(msg) => msg,
    };
    let located = match format {
        Format::Json => {
            let mut de = serde_json::Deserializer::from_str(text);
            serde_path_to_error::deserialize::<_, T>(&mut de)
                .map_err(|e| (e.path().to_string(), e.into_inner().to_string()))
        }
        Format::Yaml => {
            let de = serde_norway::Deserializer::from_str(text);
            serde_path_to_error::deserialize::<_, T>(de).map_err(|e| (e.path().to_string(), e.into_inner().to_string()))
        }
    };
    // Both readers see the same text, so the second fails too; should it not, the first message
    // stands, at the root.
    let (path, msg) = match located {
        Ok(_) => (String::new(), first),
        Err(located) => located,
    };
    let path = if path == "." || path.is_empty() { "$".to_owned() } else { format!("$.{path}") };
    Err(InvalidDocumentError::new(vec![Issue::error(
        IssueCode::Parse,
        path,
        vec![],
        Text::new(format!("読み込めません: {msg}"), format!("cannot parse: {msg}")),
    )]))
}

/// Parses a scenario document (shape only), within the default [`Limits`].
///
/// # Errors
/// A single `parse` issue with the JSON path where parsing stopped, or naming the limit exceeded.
pub fn parse_document(text: &str, format: Format) -> Result<ScenarioDocument, InvalidDocumentError> {
    parse_document_with(text, format, &Limits::DEFAULT)
}

/// Parses a scenario document (shape only) within `limits`: the text's size
/// ([`ismap_model::LimitKind::InputBytes`]) and bracket nesting
/// ([`ismap_model::LimitKind::Depth`]), then the graph's size ([`ismap_model::LimitKind::Items`]):
/// actors, artefacts, attack steps, tasks, injects, objectives, segments and hosts, plus every
/// dependency edge (`requires`, `leaves`, `needs`, `after`, `blocks`).
///
/// # Errors
/// As [`parse_document`].
pub fn parse_document_with(
    text: &str,
    format: Format,
    limits: &Limits,
) -> Result<ScenarioDocument, InvalidDocumentError> {
    let doc: ScenarioDocument = parse(text, format, limits)?;
    let nodes = doc.actors.len()
        + doc.artefacts.len()
        + doc.attack_steps.len()
        + doc.tasks.len()
        + doc.injects.len()
        + doc.objectives.len()
        + doc.environment.segments.len()
        + doc.environment.hosts.len();
    let edges = doc.attack_steps.iter().map(|s| s.requires.len() + s.leaves.len()).sum::<usize>()
        + doc.tasks.iter().map(|t| t.needs.len() + t.after.len() + t.blocks.len()).sum::<usize>();
    limits.check_items(nodes.saturating_add(edges)).map_err(|e| limit_error(&e))?;
    Ok(doc)
}

/// Parses and validates a scenario, within the default [`Limits`].
///
/// # Errors
/// A `parse` issue, or every validation problem at once.
pub fn load_scenario(text: &str, format: Format) -> Result<Scenario, InvalidDocumentError> {
    load_scenario_with(text, format, &Limits::DEFAULT)
}

/// Parses and validates a scenario within `limits` (see [`parse_document_with`]).
///
/// # Errors
/// As [`load_scenario`].
pub fn load_scenario_with(text: &str, format: Format, limits: &Limits) -> Result<Scenario, InvalidDocumentError> {
    Scenario::new(parse_document_with(text, format, limits)?)
}

/// Parses an action log (shape only; check it against a scenario with [`ActionLog::check`]),
/// within the default [`Limits`].
///
/// # Errors
/// A single `parse` issue with the JSON path where parsing stopped, or naming the limit exceeded.
pub fn parse_log(text: &str, format: Format) -> Result<ActionLog, InvalidDocumentError> {
    parse_log_with(text, format, &Limits::DEFAULT)
}

/// Parses an action log within `limits`: size and nesting of the text, then the number of
/// entries ([`ismap_model::LimitKind::Items`]).
///
/// # Errors
/// As [`parse_log`].
pub fn parse_log_with(text: &str, format: Format, limits: &Limits) -> Result<ActionLog, InvalidDocumentError> {
    let log: ActionLog = parse(text, format, limits)?;
    limits.check_items(log.entries.len()).map_err(|e| limit_error(&e))?;
    Ok(log)
}

/// The embedded default scenario, validated.
///
/// # Errors
/// Never in a released build (a test validates the embedded file); the `Result` keeps this
/// function free of panics.
pub fn default_scenario() -> Result<Scenario, InvalidDocumentError> {
    load_scenario(DEFAULT_SCENARIO_YAML, Format::Yaml)
}

/// The embedded sample log.
///
/// # Errors
/// Never in a released build (a test checks it).
pub fn sample_log() -> Result<ActionLog, InvalidDocumentError> {
    parse_log(SAMPLE_LOG_YAML, Format::Yaml)
}
