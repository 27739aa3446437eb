//! The embedded sample journal: fictional services, providers and audit firms (in our own words)
//! that exercise a first registration, an acceptance return, additional and re-audits, renewals
//! (one decided after the expiry date while pending), a control change, an incident, an expiry,
//! a withdrawal, an ISMAP-LIU registration and an audit institution delisted.
//!
//! The journal (`data/sample-journal.jsonl`) is generated from `data/sample-events.json` by the
//! test `sample::tests::sample_journal_is_current` (`ISMAP_UPDATE_SAMPLE=1` rewrites it).

use std::path::PathBuf;

use chrono::NaiveDate;

use crate::journal::verify_lines;
use crate::{JournalEntry, JournalError, Registry, ReplayError, WorkflowRules};

/// The sample journal as stored (JSON Lines, hash-chained).
pub const SAMPLE_JOURNAL: &str = include_str!("../data/sample-journal.jsonl");

/// The sample journal's entries, verified.
///
/// # Errors
/// When the embedded file does not verify (a build defect the tests catch).
pub fn sample_entries() -> Result<Vec<JournalEntry>, JournalError> {
    let path = PathBuf::from("<embedded sample journal>");
    let mut out = Vec::new();
    let report = verify_lines(SAMPLE_JOURNAL.as_bytes(), |e| out.push(e)).map_err(|source| JournalError::Io {
        path: path.clone(),
        action: "read",
        source,
    })?;
    if let Some(entry) = report.bad_entry {
        return Err(JournalError::Corrupt { path, entry });
    }
    if let Some(tail) = report.torn_tail {
        return Err(JournalError::Torn { path, tail });
    }
    Ok(out)
}

/// The date of the sample's last event: the date the CLI uses for the sample when no `--on` is
/// given, so that its output does not depend on today's date.
#[must_use]
pub fn sample_as_of() -> Option<NaiveDate> {
    sample_entries().ok()?.last().map(|e| e.event.date())
}

/// Why the sample registry could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SampleError {
    /// The journal does not verify.
    #[error(transparent)]
    Journal(#[from] JournalError),
    /// An event is refused by the rules.
    #[error(transparent)]
    Replay(#[from] ReplayError),
}

/// The sample journal replayed with the default rules.
///
/// ```
/// use ismap_workflow::{sample_registry, ListFilter};
/// use ismap_model::Program;
/// let registry = sample_registry()?;
/// let on = chrono::NaiveDate::from_ymd_opt(2025, 5, 20).unwrap_or_default();
/// let list = registry.cloud_service_list(Program::Ismap, on, &ListFilter::new());
/// assert_eq!(list.entries.len(), 2);
/// # Ok::<(), ismap_workflow::SampleError>(())
/// ```
///
/// # Errors
/// A [`SampleError`] if the embedded journal is defective.
pub fn sample_registry() -> Result<Registry, SampleError> {
    let entries = sample_entries()?;
    Ok(Registry::replay(WorkflowRules::default(), entries.iter().map(|e| &e.event))?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Event;

    #[test]
    fn sample_journal_is_current() {
        let source = include_str!("../data/sample-events.json");
        let events: Vec<Event> = serde_json::from_str(source).unwrap();
        let mut out = Vec::new();
        crate::write_lines(&mut out, &events).unwrap();
        let text = String::from_utf8(out).unwrap();
        if std::env::var_os("ISMAP_UPDATE_SAMPLE").is_some() {
            std::fs::write(concat!(env!("CARGO_MANIFEST_DIR"), "/data/sample-journal.jsonl"), &text).unwrap();
        } else {
            assert!(text == SAMPLE_JOURNAL, "sample journal is stale: run with ISMAP_UPDATE_SAMPLE=1");
        }
        assert_eq!(sample_entries().unwrap().len(), events.len());
    }
}
