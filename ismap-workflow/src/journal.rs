//! The durable event journal: hash-chained entries behind one trait, [`JournalStore`], with two
//! stores, [`JsonlJournal`] (JSON Lines) and [`SqliteJournal`] (SQLite).
//!
//! # Entry format and chain
//! Each entry is one line of compact JSON, in this field order (the *canonical* form):
//!
//! ```text
//! {"format_version":1,"seq":N,"prev":"<64 hex>"[,"eventId":"…"][,"batch":{"index":I,"size":S}],"event":{...},"hash":"<64 hex>"}
//! ```
//!
//! `seq` counts from 1; `prev` is the previous entry's `hash` (64 zeros for the first);
//! `hash = SHA-256(prev as 32 raw bytes ‖ the line without its "prev" and "hash" fields)`, that is
//! `{"format_version":1,"seq":N[,"eventId":…][,"batch":…],"event":{...}}`. The hash covers the
//! exact bytes stored, so any change to any byte is detected ([`JournalStore::verify_path`]
//! names the first bad entry), and verifying never re-serializes an entry.
//!
//! `eventId` (optional, [`EventId`]) makes appends idempotent: a journal holds each id once.
//! `batch` (optional, [`BatchPos`]) frames the entries of one append of two or more events:
//! a journal whose last batch is incomplete ends with a torn tail, removed whole by
//! [`JournalStore::truncate_torn_tail`]. Both fields are new optional fields of format version 1:
//! entries without them are written and hashed exactly as before.
//!
//! # Guarantees
//! - A complete, verifying last entry is never removed: without its final newline it is valid
//!   (a warning, [`VerifyReport::missing_newline`]); the next append or
//!   [`JournalStore::repair_path`] adds the newline.
//! - One append call is all or nothing ([`JournalStore::append_batch`]).
//! - Removed tail entries are detected against a head recorded earlier
//!   ([`VerifyReport::check_tail`], [`Checkpoint`]).
//! - Verification is one streaming pass whose memory does not grow with the journal (the
//!   lifecycle replay, [`LifecycleCheck`], grows with the number of services).
//!
//! # Format versions
//! Entries are written in the current format ([`JOURNAL_FORMAT_VERSION`], with the event in
//! [`crate::EVENT_FORMAT_VERSION`]). Journals written before format versions hold version 0
//! entries: the same line without `format_version` (in the entry and in its event), hashed without
//! it. A hash chain cannot be rewritten, so old entries are never upgraded in place: they verify
//! and replay as they are, and a journal may hold version 0 entries followed by current ones
//! (appending to an old journal continues it in the current format).

mod chain;
mod checkpoint;
mod jsonl;
mod sqlite;

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use chain::{
    BatchPos, ChainWriter, EVENT_ID_MAX, EventId, EventIdError, JournalEntry, read_lines_unverified, verify_lines,
    verify_lines_with, verify_reader, write_lines,
};
pub use checkpoint::{CHECKPOINT_FORMAT_VERSION, Checkpoint, CheckpointError};
pub use jsonl::JsonlJournal;
pub use sqlite::SqliteJournal;

use crate::{Event, EventType, LifecycleRule, Registry, State, Subject, WorkflowRules};

/// A SHA-256 digest, written as 64 lowercase hex digits.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Digest([u8; 32]);

impl Digest {
    /// The all-zero digest, the `prev` of the first entry.
    pub const ZERO: Self = Self([0; 32]);

    /// The raw bytes.
    #[must_use]
    pub const fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The lowercase hex form.
    #[must_use]
    pub fn to_hex(&self) -> String {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut s = String::with_capacity(64);
        for b in self.0 {
            for nibble in [b >> 4, b & 15] {
                s.push(char::from(HEX.get(usize::from(nibble)).copied().unwrap_or(b'0')));
            }
        }
        s
    }
}

/// Why a string is not a digest.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{input}` is not a SHA-256 digest (64 lowercase hex digits)")]
pub struct DigestError {
    input: String,
}

impl std::str::FromStr for Digest {
    type Err = DigestError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || DigestError { input: s.to_owned() };
        let nib = |c: u8| match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            _ => None,
        };
        if s.len() != 64 {
            return Err(err());
        }
        let mut out = [0u8; 32];
        for (o, pair) in out.iter_mut().zip(s.as_bytes().chunks_exact(2)) {
            let (Some(&h), Some(&l)) = (pair.first(), pair.get(1)) else { return Err(err()) };
            *o = (nib(h).ok_or_else(err)? << 4) | nib(l).ok_or_else(err)?;
        }
        Ok(Self(out))
    }
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Digest({})", self.to_hex())
    }
}

impl Serialize for Digest {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_hex())
    }
}

impl<'de> Deserialize<'de> for Digest {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for Digest {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Digest".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "SHA-256 digest as 64 lowercase hexadecimal digits.",
            "pattern": "^[0-9a-f]{64}$"
        })
    }
}

/// The format version of journal entries written by this library (see the module docs).
pub const JOURNAL_FORMAT_VERSION: u32 = 1;

/// What is wrong with an entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema, thiserror::Error)]
#[serde(tag = "type", rename_all = "camelCase", rename_all_fields = "camelCase")]
#[non_exhaustive]
pub enum EntryProblem {
    /// Not a journal entry (bad JSON, unknown field, invalid value, not UTF-8).
    #[error("unreadable entry: {message}")]
    Unreadable {
        /// The parser's message.
        message: String,
    },
    /// The sequence number is not the next one.
    #[error("sequence number {found}, expected {expected}")]
    Sequence {
        /// The expected number.
        expected: u64,
        /// The number found.
        found: u64,
    },
    /// `prev` is not the previous entry's hash.
    #[error("previous-hash link {found} does not match the previous entry's hash {expected}")]
    PreviousHash {
        /// The previous entry's hash.
        expected: Digest,
        /// The link found.
        found: Digest,
    },
    /// `hash` does not match the content.
    #[error("hash {found} does not match the content (computed {computed})")]
    Hash {
        /// The hash computed from the content.
        computed: Digest,
        /// The hash found.
        found: Digest,
    },
    /// The entry is valid but not written in the canonical form.
    #[error("entry is not in canonical form")]
    NotCanonical,
    /// The entry breaks the batch framing: an earlier batch is unfinished, or the entry claims a
    /// place in a batch that did not start.
    #[error("batch framing: expected {}, found {}", batch_text(*.expected), batch_text(*.found))]
    Batch {
        /// The place the entry should have (`None`: outside any batch, or a batch's first entry).
        expected: Option<BatchPos>,
        /// The place it has.
        found: Option<BatchPos>,
    },
}

fn batch_text(b: Option<BatchPos>) -> String {
    b.map_or_else(|| "no unfinished batch".to_owned(), |b| format!("entry {b} of a batch"))
}

/// The first bad entry of a journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema, thiserror::Error)]
#[serde(rename_all = "camelCase")]
#[error("entry #{seq}: {problem}")]
#[non_exhaustive]
pub struct BadEntry {
    /// Its position (1-based line number or row position).
    pub seq: u64,
    /// What is wrong.
    pub problem: EntryProblem,
}

/// What a crash in the middle of an append leaves at the end of a journal: bytes that are not a
/// complete, verifying entry (an incomplete last line), and with them every complete entry of an
/// unfinished batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TornTail {
    /// Byte offset where it starts (the length the file would be truncated to; 0 in SQLite).
    pub offset: u64,
    /// Its length in bytes.
    pub bytes: u64,
    /// The sequence number the torn tail starts at (the first entry that would be removed).
    pub from_seq: u64,
    /// Complete entries of an unfinished batch inside it (removed with it).
    pub entries: u64,
}

/// The result of verifying a journal: the `ismap registry verify` document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(title = "ISMAP journal verification report")]
#[non_exhaustive]
pub struct VerifyReport {
    /// Format version of this report (1).
    #[serde(rename = "format_version")]
    pub format_version: ismap_model::DocumentVersion<1>,
    /// Whether the journal verifies: no bad entry, no torn tail, no refused event (when the
    /// lifecycle was checked), and every tail check passed.
    pub valid: bool,
    /// Entries verified before the first problem (all of them when there is none), in complete
    /// batches only.
    pub entries: u64,
    /// The hash of the last verified entry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub head: Option<Digest>,
    /// The first bad entry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bad_entry: Option<BadEntry>,
    /// An incomplete last line or unfinished last batch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub torn_tail: Option<TornTail>,
    /// The first entry whose event the lifecycle rules refuse, when the verified entries were
    /// also replayed ([`VerifyReport::check_lifecycle`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refused_entry: Option<RefusedEntry>,
    /// A warning, not an error: the last entry is complete and verifies but lacks its final
    /// newline (the next append or `ismap registry repair` adds it).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub missing_newline: bool,
    /// The expected head the journal was compared with ([`VerifyReport::check_tail`]): a
    /// checkpoint, or `--expect-head` / `--expect-count`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tail_check: Option<TailCheck>,
}

/// A comparison of the journal with a head recorded earlier, which detects removed entries at
/// the end of the journal (a hash chain alone cannot).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TailCheck {
    /// Where the expectation comes from: the checkpoint file's path, or `command line`.
    pub source: String,
    /// The expected number of entries (for a checkpoint: at least this many).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected_entries: Option<u64>,
    /// The expected hash of entry `expected_entries` (or of the last entry, without a count).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected_hash: Option<Digest>,
    /// Whether the journal may have grown since (a checkpoint) or must end there (`--expect-*`).
    pub may_grow: bool,
    /// The hash the journal holds at that position, if it has that many entries.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub found_hash: Option<Digest>,
    /// Whether the journal matches.
    pub ok: bool,
}

/// A journal entry whose hash chain verifies but whose event the lifecycle rules refuse: it was
/// recorded without going through [`Registry::apply`] (or under other rules).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct RefusedEntry {
    /// Its position.
    pub seq: u64,
    /// The service or audit institution.
    pub subject: Subject,
    /// The subject's state when the event arrived.
    pub state: State,
    /// The event's transition label.
    pub event: EventType,
    /// The rule broken.
    pub rule: LifecycleRule,
    /// Why, in both languages.
    pub message: ismap_model::Text,
}

impl VerifyReport {
    /// Whether every entry verifies, there is no torn tail, (when checked) every event is allowed
    /// by the lifecycle rules, and (when checked) the tail matches: the same as `valid`.
    #[must_use]
    pub fn is_ok(&self) -> bool {
        self.bad_entry.is_none()
            && self.torn_tail.is_none()
            && self.refused_entry.is_none()
            && self.tail_check.as_ref().is_none_or(|t| t.ok)
    }

    /// Sets `valid` from the other fields.
    pub(crate) fn refresh(&mut self) {
        self.valid = self.is_ok();
    }

    /// Replays `entries` (the verified entries of the same journal) under `rules` and records the
    /// first refused event in [`VerifyReport::refused_entry`].
    pub fn check_lifecycle(&mut self, rules: WorkflowRules, entries: &[JournalEntry]) {
        let mut check = LifecycleCheck::new(rules);
        for e in entries {
            check.apply(e);
        }
        check.finish(self);
    }

    /// Compares the journal with an expected head: `expected_entries` entries (at least that many
    /// when `may_grow`) and, when given, `expected_hash` for entry `expected_entries` (or for the
    /// last entry). `hash_at` is the hash of entry `expected_entries` as verified (see
    /// [`ScanOptions::watch`]); it is ignored without a count.
    pub fn check_tail(
        &mut self,
        source: &str,
        expected_entries: Option<u64>,
        expected_hash: Option<Digest>,
        may_grow: bool,
        hash_at: Option<Digest>,
    ) {
        let found_hash = match expected_entries {
            Some(n) if n == self.entries => self.head,
            Some(n) if n < self.entries => hash_at,
            Some(_) => None,
            None => self.head,
        };
        let count_ok = expected_entries.is_none_or(|n| if may_grow { self.entries >= n } else { self.entries == n });
        let hash_ok = expected_hash.is_none_or(|h| found_hash == Some(h));
        self.tail_check = Some(TailCheck {
            source: source.to_owned(),
            expected_entries,
            expected_hash,
            may_grow,
            found_hash,
            ok: count_ok && hash_ok,
        });
        self.refresh();
    }
}

/// Replays verified entries through the lifecycle rules one at a time, keeping the first refused
/// one: the streaming form of [`VerifyReport::check_lifecycle`] (memory bounded by the number of
/// services, not entries).
#[derive(Debug)]
pub struct LifecycleCheck {
    registry: Registry,
    refused: Option<RefusedEntry>,
}

impl LifecycleCheck {
    /// An empty registry under `rules`.
    #[must_use]
    pub fn new(rules: WorkflowRules) -> Self {
        Self { registry: Registry::new(rules), refused: None }
    }

    /// Applies the next entry (nothing more after the first refusal).
    pub fn apply(&mut self, entry: &JournalEntry) {
        if self.refused.is_some() {
            return;
        }
        if let Err(r) = self.registry.apply(&entry.event) {
            self.refused = Some(RefusedEntry {
                seq: entry.seq,
                subject: r.subject().clone(),
                state: r.state(),
                event: r.event(),
                rule: r.rule(),
                message: r.text(),
            });
        }
    }

    /// The first refused entry, if any.
    #[must_use]
    pub const fn refused(&self) -> Option<&RefusedEntry> {
        self.refused.as_ref()
    }

    /// The registry replayed so far.
    #[must_use]
    pub const fn registry(&self) -> &Registry {
        &self.registry
    }

    /// The registry replayed so far (up to the first refused entry).
    #[must_use]
    pub fn into_registry(self) -> Registry {
        self.registry
    }

    /// Records the first refused entry in `report` (only a refusal among its verified entries).
    pub fn finish(self, report: &mut VerifyReport) {
        report.refused_entry = self.refused.filter(|r| r.seq <= report.entries);
        report.refresh();
    }
}

/// A failure of a journal operation. Messages name the journal's path.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum JournalError {
    /// A file-system operation failed.
    #[error("cannot {action} {}: {source}", path.display())]
    Io {
        /// The journal.
        path: PathBuf,
        /// What was being done.
        action: &'static str,
        /// The cause.
        source: std::io::Error,
    },
    /// Another writer holds the journal.
    #[error("journal {} is locked by another writer", path.display())]
    Locked {
        /// The journal.
        path: PathBuf,
    },
    /// The journal ends with an incomplete line.
    #[error(
        "journal {} ends with a torn (incomplete) last entry #{}: {} byte(s) at offset {}{}",
        path.display(), tail.from_seq, tail.bytes, tail.offset,
        if tail.entries > 0 { format!(", with {} complete entr(ies) of an unfinished batch", tail.entries) } else { String::new() }
    )]
    Torn {
        /// The journal.
        path: PathBuf,
        /// Where.
        tail: TornTail,
    },
    /// An entry fails verification.
    #[error("journal {} does not verify: {entry}", path.display())]
    Corrupt {
        /// The journal.
        path: PathBuf,
        /// The first bad entry.
        entry: BadEntry,
    },
    /// The SQLite database failed.
    #[error("SQLite journal {}: {message}", path.display())]
    Sqlite {
        /// The journal.
        path: PathBuf,
        /// SQLite's message.
        message: String,
    },
    /// An event could not be serialized.
    #[error("cannot serialize event: {message}")]
    Serialize {
        /// The serializer's message.
        message: String,
    },
    /// An earlier append failed part-way; reopen the journal.
    #[error("journal {} had a failed append; reopen it to check its tail", path.display())]
    Poisoned {
        /// The journal.
        path: PathBuf,
    },
}

impl JournalError {
    /// The message in both languages.
    #[must_use]
    pub fn text(&self) -> ismap_model::Text {
        let ja = match self {
            Self::Io { path, action, source } => format!("{} を{action}できない: {source}", path.display()),
            Self::Locked { path } => {
                format!("ジャーナル {} は他の書き込み中のプロセスがロックしている", path.display())
            }
            Self::Torn { path, tail } => format!(
                "ジャーナル {} の最後のエントリ #{} が途中で切れている（オフセット {}、{} バイト{}）",
                path.display(),
                tail.from_seq,
                tail.offset,
                tail.bytes,
                if tail.entries > 0 {
                    format!("、未完了の一括の完全なエントリ {} 件を含む", tail.entries)
                } else {
                    String::new()
                }
            ),
            Self::Corrupt { path, entry } => {
                format!("ジャーナル {} の検証に失敗: エントリ #{}: {}", path.display(), entry.seq, entry.problem)
            }
            Self::Sqlite { path, message } => format!("SQLite ジャーナル {}: {message}", path.display()),
            Self::Serialize { message } => format!("事象を直列化できない: {message}"),
            Self::Poisoned { path } => format!("ジャーナル {} への追記が途中で失敗した。開き直すこと", path.display()),
        };
        ismap_model::Text::new(ja, self.to_string())
    }
}

pub(crate) fn io_error<'a>(path: &'a Path, action: &'static str) -> impl FnOnce(std::io::Error) -> JournalError + 'a {
    move |source| JournalError::Io { path: path.to_owned(), action, source }
}

/// An event to append, with the id that makes appending it idempotent.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct NewEvent {
    /// The event's id: an event whose id the journal already holds is skipped.
    pub id: Option<EventId>,
    /// The event.
    pub event: Event,
}

impl NewEvent {
    /// An event without an id (always appended).
    #[must_use]
    pub const fn new(event: Event) -> Self {
        Self { id: None, event }
    }

    /// An event with an id.
    #[must_use]
    pub const fn with_id(event: Event, id: EventId) -> Self {
        Self { id: Some(id), event }
    }
}

/// What one [`JournalStore::append_batch`] call did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Appended {
    /// The entries written, in order (all durable, or none).
    pub entries: Vec<JournalEntry>,
    /// The events skipped because their id was already present.
    pub skipped: Vec<Skipped>,
}

/// An event not appended because the journal already holds its id.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Skipped {
    /// Its position in the batch, from 0.
    pub index: usize,
    /// Its id.
    pub id: EventId,
    /// The entry holding that id (earlier in the journal, or earlier in the same batch).
    pub seq: u64,
}

/// How to open a journal for writing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct OpenOptions {
    /// How long to wait for another writer to finish (no wait by default: [`JournalError::Locked`]).
    pub wait: Duration,
}

impl OpenOptions {
    /// No waiting.
    #[must_use]
    pub const fn new() -> Self {
        Self { wait: Duration::ZERO }
    }

    /// Waits up to `wait` for the writer lock.
    #[must_use]
    pub const fn wait(mut self, wait: Duration) -> Self {
        self.wait = wait;
        self
    }
}

/// Progress of a scan: bytes read of a JSON Lines file, rows read of a SQLite journal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Progress {
    /// Done so far.
    pub done: u64,
    /// The total (bytes or rows).
    pub total: u64,
}

/// What a verifying pass over a journal does besides verifying: hand each entry (with its event
/// parsed) to a callback, report progress, and note the hash of one entry.
///
/// Without [`ScanOptions::each`] the pass checks the chain and the framing only and never
/// parses an event (the fastest verification).
#[derive(Default)]
#[non_exhaustive]
pub struct ScanOptions<'a> {
    pub(crate) each: Option<&'a mut dyn FnMut(JournalEntry)>,
    pub(crate) progress: Option<&'a mut dyn FnMut(Progress)>,
    pub(crate) watch: Option<u64>,
    pub(crate) watched: Option<Digest>,
}

impl fmt::Debug for ScanOptions<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ScanOptions")
            .field("each", &self.each.is_some())
            .field("progress", &self.progress.is_some())
            .field("watch", &self.watch)
            .field("watched", &self.watched)
            .finish()
    }
}

impl<'a> ScanOptions<'a> {
    /// Verification only.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Calls `each` for every verified entry, in order (see [`verify_lines`] for the entries of
    /// an unfinished last batch).
    #[must_use]
    pub fn each(mut self, each: &'a mut dyn FnMut(JournalEntry)) -> Self {
        self.each = Some(each);
        self
    }

    /// Calls `progress` now and then.
    #[must_use]
    pub fn progress(mut self, progress: &'a mut dyn FnMut(Progress)) -> Self {
        self.progress = Some(progress);
        self
    }

    /// Notes the hash of entry `seq` (for [`VerifyReport::check_tail`]).
    #[must_use]
    pub const fn watch(mut self, seq: u64) -> Self {
        self.watch = Some(seq);
        self
    }

    /// The hash of the watched entry, once verified.
    #[must_use]
    pub const fn watched(&self) -> Option<Digest> {
        self.watched
    }
}

/// A durable, hash-chained, single-writer event journal.
///
/// `open` takes the writer lock for the life of the value (a second writer waits up to
/// [`OpenOptions::wait`], then gets [`JournalError::Locked`]) and refuses a journal that does not
/// verify or ends with a torn tail. [`JournalStore::append_batch`] is all or nothing and returns
/// only once the batch is durable (fsync / committed transaction): an acknowledged entry survives
/// a crash, and a batch cut short by a crash reads as a torn tail that
/// [`JournalStore::truncate_torn_tail`] removes whole. The `*_path` functions read without the
/// lock.
///
/// The JSON Lines store locks the journal file itself (`flock` on Unix, `LockFileEx` on
/// Windows), a lock that belongs to the open file: a child process forked while a journal is
/// open shares it until the child calls `exec`. The SQLite store uses SQLite's own write lock (a
/// write transaction held open between appends). Neither leaves a lock file behind.
pub trait JournalStore: Sized + fmt::Debug {
    /// A short name of the store (`jsonl`, `sqlite`).
    const KIND: &'static str;

    /// Opens (creating when missing) the journal at `path` for appending, without waiting for
    /// another writer.
    ///
    /// # Errors
    /// As [`JournalStore::open_with`].
    fn open(path: &Path) -> Result<Self, JournalError> {
        Self::open_with(path, &OpenOptions::new(), &mut ScanOptions::new())
    }

    /// Opens (creating when missing) the journal at `path` for appending, verifying it in one
    /// pass with `scan`.
    ///
    /// # Errors
    /// [`JournalError::Locked`], [`JournalError::Torn`], [`JournalError::Corrupt`], or an I/O or
    /// SQLite failure.
    fn open_with(path: &Path, options: &OpenOptions, scan: &mut ScanOptions<'_>) -> Result<Self, JournalError>;

    /// The journal's path.
    fn path(&self) -> &Path;

    /// Appends `event` (without an id), durably, and returns its entry.
    ///
    /// # Errors
    /// An I/O or SQLite failure; the entry is then not acknowledged.
    fn append(&mut self, event: &Event) -> Result<JournalEntry, JournalError> {
        let path = self.path().to_owned();
        self.append_batch(&[NewEvent::new(event.clone())])?
            .entries
            .pop()
            .ok_or_else(|| JournalError::Serialize { message: format!("nothing appended to {}", path.display()) })
    }

    /// Appends `events` as one batch, all or nothing, durably: events whose id the journal (or
    /// the batch, earlier) already holds are skipped and reported. A batch of two or more entries
    /// carries its framing ([`BatchPos`]).
    ///
    /// # Errors
    /// An I/O or SQLite failure; nothing of the batch is then acknowledged.
    fn append_batch(&mut self, events: &[NewEvent]) -> Result<Appended, JournalError>;

    /// The entry holding event id `id`, if any.
    fn find_event_id(&self, id: &EventId) -> Option<u64>;

    /// Number of entries.
    fn len(&self) -> u64;

    /// Whether the journal has no entry.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The last entry's hash.
    fn head(&self) -> Option<Digest>;

    /// Every entry, verified.
    ///
    /// # Errors
    /// As [`JournalStore::read_path`].
    fn entries(&self) -> Result<Vec<JournalEntry>, JournalError> {
        Self::read_path(self.path())
    }

    /// Verifies the journal at `path` without locking it, reporting the first bad entry and any
    /// torn tail.
    ///
    /// # Errors
    /// Only when the journal cannot be read at all.
    fn verify_path(path: &Path) -> Result<VerifyReport, JournalError> {
        Self::scan_path(path, &mut ScanOptions::new())
    }

    /// Verifies the journal at `path` in one streaming pass, doing what `scan` asks on the way.
    ///
    /// # Errors
    /// Only when the journal cannot be read at all.
    fn scan_path(path: &Path, scan: &mut ScanOptions<'_>) -> Result<VerifyReport, JournalError>;

    /// Reads every entry of the journal at `path`, verified, without locking it.
    ///
    /// # Errors
    /// [`JournalError::Corrupt`] for the first bad entry, [`JournalError::Torn`] for a torn tail,
    /// or a read failure.
    fn read_path(path: &Path) -> Result<Vec<JournalEntry>, JournalError> {
        let mut out = Vec::new();
        let mut push = |e| out.push(e);
        let report = Self::scan_path(path, &mut ScanOptions::new().each(&mut push))?;
        if let Some(entry) = report.bad_entry {
            return Err(JournalError::Corrupt { path: path.to_owned(), entry });
        }
        if let Some(tail) = report.torn_tail {
            return Err(JournalError::Torn { path: path.to_owned(), tail });
        }
        Ok(out)
    }

    /// Removes a torn tail (taking the writer lock, without waiting), returning what was
    /// removed; `None` when there was nothing to remove. Never touches a complete entry outside
    /// an unfinished last batch.
    ///
    /// # Errors
    /// As [`JournalStore::truncate_torn_tail_with`].
    fn truncate_torn_tail(path: &Path) -> Result<Option<TornTail>, JournalError> {
        Self::truncate_torn_tail_with(path, &OpenOptions::new())
    }

    /// Removes a torn tail: the bytes at the end that are not a complete, verifying entry, and
    /// the complete entries of an unfinished last batch.
    ///
    /// # Errors
    /// [`JournalError::Locked`] or an I/O or SQLite failure.
    fn truncate_torn_tail_with(path: &Path, options: &OpenOptions) -> Result<Option<TornTail>, JournalError>;

    /// Adds the missing final newline after a complete last entry; `false` when there was nothing
    /// to repair. Nothing else is ever changed.
    ///
    /// # Errors
    /// [`JournalError::Locked`], [`JournalError::Torn`], [`JournalError::Corrupt`], or an I/O or
    /// SQLite failure.
    fn repair_path(path: &Path, options: &OpenOptions) -> Result<bool, JournalError>;
}

/// The entries of `entries` about `subject`, in order: a service's or institution's history.
pub fn history<'a>(
    entries: impl IntoIterator<Item = &'a JournalEntry>,
    subject: &'a Subject,
) -> impl Iterator<Item = &'a JournalEntry> {
    entries.into_iter().filter(move |e| e.event.kind.subject() == *subject)
}

/// Which store a path uses: SQLite for `.sqlite`, `.sqlite3` and `.db`, JSON Lines otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StoreKind {
    /// [`JsonlJournal`].
    Jsonl,
    /// [`SqliteJournal`].
    Sqlite,
}

impl StoreKind {
    /// The store for `path`, by extension.
    #[must_use]
    pub fn for_path(path: &Path) -> Self {
        let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("sqlite" | "sqlite3" | "db") => Self::Sqlite,
            _ => Self::Jsonl,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_hex_round_trip_and_strictness() {
        let d = Digest([0xab; 32]);
        assert_eq!(d.to_hex().parse::<Digest>().unwrap(), d);
        assert!(d.to_hex().to_uppercase().parse::<Digest>().is_err());
        assert!("00".parse::<Digest>().is_err());
        assert!(format!("{}g", "0".repeat(63)).parse::<Digest>().is_err());
    }

    #[test]
    fn manual_canonical_line_equals_serde() {
        let sample = crate::sample::sample_entries().unwrap();
        for e in &sample {
            assert_eq!(e.to_line().unwrap(), serde_json::to_string(e).unwrap());
        }
    }

    #[test]
    fn check_lifecycle_names_the_first_refused_entry() {
        let mut events: Vec<Event> =
            crate::sample::sample_entries().unwrap().into_iter().take(3).map(|e| e.event).collect();
        let json = r#"{"at":"2030-01-01T09:00:00+09:00","actor":{"role":"ipa"},
            "kind":{"type":"acceptancePassed","service":"never-seen"}}"#;
        events.push(serde_json::from_str(json).unwrap());
        let mut out = Vec::new();
        crate::write_lines(&mut out, &events).unwrap();
        let mut entries = Vec::new();
        let mut report = verify_lines(out.as_slice(), |e| entries.push(e)).unwrap();
        assert!(report.is_ok(), "the chain itself verifies");
        report.check_lifecycle(WorkflowRules::default(), &entries);
        let refused = report.refused_entry.as_ref().unwrap();
        assert_eq!((refused.seq, refused.rule, refused.state), (4, LifecycleRule::Transition, State::NotStarted));
        assert!(refused.message.get(ismap_model::Lang::Ja).contains("never-seen"));
        assert!(!report.is_ok());
        let json = serde_json::to_value(&report).unwrap();
        assert_eq!(json["refusedEntry"]["rule"], "transition");
        // The sample journal replays cleanly.
        let sample = crate::sample::sample_entries().unwrap();
        let mut ok = verify_lines(crate::SAMPLE_JOURNAL.as_bytes(), drop).unwrap();
        ok.check_lifecycle(WorkflowRules::default(), &sample);
        assert!(ok.is_ok());
    }

    #[test]
    fn store_kind_by_extension() {
        assert_eq!(StoreKind::for_path(Path::new("a/j.SQLite")), StoreKind::Sqlite);
        assert_eq!(StoreKind::for_path(Path::new("j.db")), StoreKind::Sqlite);
        assert_eq!(StoreKind::for_path(Path::new("j.jsonl")), StoreKind::Jsonl);
        assert_eq!(StoreKind::for_path(Path::new("j")), StoreKind::Jsonl);
    }
}
