//! Journal checkpoints: the head (entry count, hash, time) recorded in a small file, so that a
//! journal whose last entries were removed fails verification.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use ismap_model::DocumentVersion;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Digest, VerifyReport};

/// The format version of checkpoint files written by this library.
pub const CHECKPOINT_FORMAT_VERSION: u32 = 1;

/// A journal's head at one time: `ismap registry checkpoint` writes it beside the journal
/// (`<journal>.checkpoint`), and `ismap registry verify` checks it when present. A hash chain
/// verifies after its last entries are removed; a checkpoint kept where the journal's writer
/// cannot change it is what detects that.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(title = "ISMAP journal checkpoint")]
#[non_exhaustive]
pub struct Checkpoint {
    /// Format version ([`CHECKPOINT_FORMAT_VERSION`]).
    #[serde(rename = "format_version")]
    pub format_version: DocumentVersion<CHECKPOINT_FORMAT_VERSION>,
    /// The journal's file name when the checkpoint was taken (for people; not checked).
    pub journal: String,
    /// The number of entries then (the sequence number of the head entry).
    pub entries: u64,
    /// The head entry's hash.
    pub head: Digest,
    /// When the checkpoint was taken.
    #[serde(deserialize_with = "ismap_model::strict::date_time")]
    pub at: DateTime<FixedOffset>,
}

/// Why a checkpoint file cannot be read or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CheckpointError {
    /// A file-system operation failed.
    #[error("cannot {action} checkpoint {}: {source}", path.display())]
    Io {
        /// The checkpoint file.
        path: PathBuf,
        /// What was being done.
        action: &'static str,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is not a checkpoint.
    #[error("checkpoint {}: {message}", path.display())]
    Invalid {
        /// The checkpoint file.
        path: PathBuf,
        /// The parser's message.
        message: String,
    },
}

impl CheckpointError {
    /// The message in both languages.
    #[must_use]
    pub fn text(&self) -> ismap_model::Text {
        let ja = match self {
            Self::Io { path, action, source } => {
                format!("チェックポイント {} を{action}できない: {source}", path.display())
            }
            Self::Invalid { path, message } => format!("チェックポイント {} が不正: {message}", path.display()),
        };
        ismap_model::Text::new(ja, self.to_string())
    }
}

impl Checkpoint {
    /// The head of a verified journal, or `None` when it has no verified entry.
    ///
    /// ```
    /// use ismap_workflow::Checkpoint;
    /// let journal = ismap_workflow::SAMPLE_JOURNAL;
    /// let report = ismap_workflow::verify_lines(journal.as_bytes(), drop)?;
    /// let at = "2025-06-01T09:00:00+09:00".parse()?;
    /// let cp = Checkpoint::of(&report, "sample.jsonl", at).ok_or("not empty")?;
    /// assert_eq!(cp.entries, 73);
    /// // The same journal without its last entry no longer matches.
    /// let cut: String = journal.lines().take(72).map(|l| format!("{l}\n")).collect();
    /// let mut shorter = ismap_workflow::verify_lines(cut.as_bytes(), drop)?;
    /// cp.check(&mut shorter, "sample.jsonl.checkpoint", None);
    /// assert!(!shorter.valid);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn of(report: &VerifyReport, journal: &str, at: DateTime<FixedOffset>) -> Option<Self> {
        Some(Self {
            format_version: DocumentVersion::current(),
            journal: journal.to_owned(),
            entries: report.entries,
            head: report.head?,
            at,
        })
    }

    /// Where `ismap registry checkpoint` writes a journal's checkpoint: `<journal>.checkpoint`.
    #[must_use]
    pub fn default_path(journal: &Path) -> PathBuf {
        let mut s = journal.as_os_str().to_owned();
        s.push(".checkpoint");
        PathBuf::from(s)
    }

    /// Reads a checkpoint document (unknown fields and newer versions are refused).
    ///
    /// # Errors
    /// The parser's message.
    pub fn from_json_str(text: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// Reads a checkpoint file (unknown fields and newer versions are refused).
    ///
    /// # Errors
    /// [`CheckpointError`].
    pub fn read(path: &Path) -> Result<Self, CheckpointError> {
        let text = std::fs::read_to_string(path).map_err(|source| CheckpointError::Io {
            path: path.to_owned(),
            action: "read",
            source,
        })?;
        if text.len() > 64 * 1024 {
            return Err(CheckpointError::Invalid { path: path.to_owned(), message: "larger than 64 KiB".to_owned() });
        }
        Self::from_json_str(&text)
            .map_err(|e| CheckpointError::Invalid { path: path.to_owned(), message: e.to_string() })
    }

    /// Writes the checkpoint atomically: a temporary file beside `path`, synced, then renamed
    /// over it (and the directory synced), so a crash leaves the old or the new checkpoint.
    ///
    /// # Errors
    /// [`CheckpointError::Io`].
    pub fn write(&self, path: &Path) -> Result<(), CheckpointError> {
        let io = |action| move |source| CheckpointError::Io { path: path.to_owned(), action, source };
        let json = serde_json::to_string_pretty(self)
            .map_err(|e| CheckpointError::Invalid { path: path.to_owned(), message: e.to_string() })?;
        let mut tmp = path.as_os_str().to_owned();
        tmp.push(format!(".tmp-{}", std::process::id()));
        let tmp = PathBuf::from(tmp);
        let mut f = std::fs::File::create(&tmp).map_err(io("create"))?;
        f.write_all(json.as_bytes()).and_then(|()| f.write_all(b"\n")).map_err(io("write"))?;
        f.sync_all().map_err(io("sync"))?;
        drop(f);
        std::fs::rename(&tmp, path).map_err(io("replace"))?;
        #[cfg(unix)]
        {
            let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or_else(|| Path::new("."));
            std::fs::File::open(parent).and_then(|d| d.sync_all()).map_err(io("sync the directory of"))?;
        }
        Ok(())
    }

    /// Checks `report` (a verification of the journal) against this checkpoint: the journal must
    /// still hold entry `entries` with hash `head` (it may have grown since). `hash_at` is the
    /// hash of entry `entries` noted during verification ([`super::ScanOptions::watch`]).
    pub fn check(&self, report: &mut VerifyReport, source: &str, hash_at: Option<Digest>) {
        report.check_tail(source, Some(self.entries), Some(self.head), true, hash_at);
    }
}
