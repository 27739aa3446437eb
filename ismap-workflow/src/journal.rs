//! The durable event journal: hash-chained entries behind one trait, [`JournalStore`], with two
//! stores, [`JsonlJournal`] (JSON Lines) and [`SqliteJournal`] (SQLite).
//!
//! # Entry format and chain
//! Each entry is one line of compact JSON, in this field order (the *canonical* form):
//!
//! ```text
//! {"format_version":1,"seq":N,"prev":"<64 hex>","event":{...},"hash":"<64 hex>"}
//! ```
//!
//! `seq` counts from 1; `prev` is the previous entry's `hash` (64 zeros for the first);
//! `hash = SHA-256(prev as 32 raw bytes ‖ {"format_version":1,"seq":N,"event":{...}})`, the second
//! part being the canonical JSON of the format version, the sequence number and the event. A stored
//! line must be byte-for-byte the canonical form, so any change to any byte is detected
//! ([`JournalStore::verify_path`] names the first bad entry).
//!
//! # Format versions
//! Entries are written in the current format ([`JOURNAL_FORMAT_VERSION`], with the event in
//! [`crate::EVENT_FORMAT_VERSION`]). Journals written before format versions hold version 0
//! entries: the same line without `format_version` (in the entry and in its event), hashed without
//! it. A hash chain cannot be rewritten, so old entries are never upgraded in place: they verify
//! and replay as they are, and a journal may hold version 0 entries followed by current ones
//! (appending to an old journal continues it in the current format).

mod jsonl;
mod sqlite;

use std::fmt;
use std::io::BufRead;
use std::path::{Path, PathBuf};

use ismap_model::{DocumentVersion, LimitExceeded, LimitKind, Limits};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

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

/// One journal entry: a sequence number, the chain link, the event and its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(title = "ISMAP registration journal entry")]
#[non_exhaustive]
pub struct JournalEntry {
    /// Format version ([`JOURNAL_FORMAT_VERSION`]; absent in version 0, whose hash does not cover
    /// it). Entries are never upgraded: the hash covers the version they were written in.
    #[serde(
        rename = "format_version",
        default = "DocumentVersion::<JOURNAL_FORMAT_VERSION>::unversioned",
        skip_serializing_if = "DocumentVersion::<JOURNAL_FORMAT_VERSION>::is_unversioned"
    )]
    pub format_version: DocumentVersion<JOURNAL_FORMAT_VERSION>,
    /// Position in the journal, from 1.
    pub seq: u64,
    /// The previous entry's hash (all zeros for the first).
    pub prev: Digest,
    /// The event.
    pub event: Event,
    /// SHA-256 over `prev` (raw bytes) and the canonical `{"format_version":…,"seq":…,"event":…}`.
    pub hash: Digest,
}

impl JournalEntry {
    /// Chains `event` after an entry with hash `prev` at position `seq`, in the current format
    /// (the entry's and the event's format versions are set to the current ones).
    ///
    /// # Errors
    /// When the event cannot be serialized (never for events built from valid parts).
    pub fn chain(seq: u64, prev: Digest, event: Event) -> Result<Self, serde_json::Error> {
        chain_line(seq, prev, event).map(|(entry, _)| entry)
    }

    /// The canonical line (without the newline), in the entry's own format version.
    ///
    /// # Errors
    /// When the event cannot be serialized.
    pub fn to_line(&self) -> Result<String, serde_json::Error> {
        let event_json = serde_json::to_string(&self.event)?;
        Ok(canonical_line(self.format_version, self.seq, &self.prev, &event_json, &self.hash))
    }
}

/// The next entry after `prev` and its canonical line, in the current format.
pub(crate) fn chain_line(
    seq: u64,
    prev: Digest,
    mut event: Event,
) -> Result<(JournalEntry, String), serde_json::Error> {
    event.format_version.upgrade();
    let format_version = DocumentVersion::current();
    let event_json = serde_json::to_string(&event)?;
    let hash = entry_hash(format_version, &prev, seq, &event_json);
    let line = canonical_line(format_version, seq, &prev, &event_json, &hash);
    Ok((JournalEntry { format_version, seq, prev, event, hash }, line))
}

/// `{"format_version":V,` for a versioned entry, `{` for version 0 (borrowed for the versions
/// this library knows: no allocation per entry on the verify and append paths).
fn open_entry(version: DocumentVersion<JOURNAL_FORMAT_VERSION>) -> std::borrow::Cow<'static, str> {
    match version.get() {
        0 => "{".into(),
        1 => "{\"format_version\":1,".into(),
        v => format!("{{\"format_version\":{v},").into(),
    }
}

fn entry_hash(version: DocumentVersion<JOURNAL_FORMAT_VERSION>, prev: &Digest, seq: u64, event_json: &str) -> Digest {
    let mut h = Sha256::new();
    h.update(prev.0);
    h.update(open_entry(version).as_bytes());
    h.update(b"\"seq\":");
    h.update(seq.to_string().as_bytes());
    h.update(b",\"event\":");
    h.update(event_json.as_bytes());
    h.update(b"}");
    Digest(h.finalize().into())
}

fn canonical_line(
    version: DocumentVersion<JOURNAL_FORMAT_VERSION>,
    seq: u64,
    prev: &Digest,
    event_json: &str,
    hash: &Digest,
) -> String {
    let open = open_entry(version);
    format!("{open}\"seq\":{seq},\"prev\":\"{prev}\",\"event\":{event_json},\"hash\":\"{hash}\"}}")
}

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

/// An incomplete last line (no newline): what a crash in the middle of an append leaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TornTail {
    /// Byte offset where it starts (the length the file would be truncated to).
    pub offset: u64,
    /// Its length in bytes.
    pub bytes: u64,
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
    /// Entries verified before the first problem (all of them when there is none).
    pub entries: u64,
    /// The hash of the last verified entry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub head: Option<Digest>,
    /// The first bad entry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bad_entry: Option<BadEntry>,
    /// An incomplete last line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub torn_tail: Option<TornTail>,
    /// The first entry whose event the lifecycle rules refuse, when the verified entries were
    /// also replayed ([`VerifyReport::check_lifecycle`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refused_entry: Option<RefusedEntry>,
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
    /// Whether every entry verifies, there is no torn tail, and (when checked) every event is
    /// allowed by the lifecycle rules.
    #[must_use]
    pub const fn is_ok(&self) -> bool {
        self.bad_entry.is_none() && self.torn_tail.is_none() && self.refused_entry.is_none()
    }

    /// Replays `entries` (the verified entries of the same journal) under `rules` and records the
    /// first refused event in [`VerifyReport::refused_entry`].
    pub fn check_lifecycle(&mut self, rules: WorkflowRules, entries: &[JournalEntry]) {
        self.refused_entry = Registry::replay(rules, entries.iter().map(|e| &e.event)).err().map(|e| {
            let r = e.error();
            // `seq` of the replay is the position in `entries`; report the entry's own number.
            let seq =
                usize::try_from(e.seq()).ok().and_then(|i| entries.get(i.checked_sub(1)?)).map_or(e.seq(), |x| x.seq);
            RefusedEntry {
                seq,
                subject: r.subject().clone(),
                state: r.state(),
                event: r.event(),
                rule: r.rule(),
                message: r.text(),
            }
        });
    }
}

/// Checks entries one after another against the chain.
#[derive(Debug, Clone)]
pub(crate) struct ChainVerifier {
    next_seq: u64,
    prev: Digest,
}

impl ChainVerifier {
    pub(crate) const fn new() -> Self {
        Self { next_seq: 1, prev: Digest::ZERO }
    }

    /// The number of entries accepted so far.
    pub(crate) const fn count(&self) -> u64 {
        self.next_seq - 1
    }

    /// The last accepted hash, if any.
    pub(crate) fn head(&self) -> Option<Digest> {
        (self.next_seq > 1).then_some(self.prev)
    }

    /// The report on what was verified so far.
    pub(crate) fn report(&self, bad_entry: Option<BadEntry>, torn_tail: Option<TornTail>) -> VerifyReport {
        VerifyReport {
            format_version: DocumentVersion::current(),
            entries: self.count(),
            head: self.head(),
            bad_entry,
            torn_tail,
            refused_entry: None,
        }
    }

    /// Verifies one stored line (without its newline).
    pub(crate) fn check(&mut self, line: &[u8]) -> Result<JournalEntry, BadEntry> {
        let seq = self.next_seq;
        let bad = |problem| BadEntry { seq, problem };
        let entry: JournalEntry =
            serde_json::from_slice(line).map_err(|e| bad(EntryProblem::Unreadable { message: e.to_string() }))?;
        if entry.seq != seq {
            return Err(bad(EntryProblem::Sequence { expected: seq, found: entry.seq }));
        }
        if entry.prev != self.prev {
            return Err(bad(EntryProblem::PreviousHash { expected: self.prev, found: entry.prev }));
        }
        let event_json = serde_json::to_string(&entry.event)
            .map_err(|e| bad(EntryProblem::Unreadable { message: e.to_string() }))?;
        let computed = entry_hash(entry.format_version, &entry.prev, seq, &event_json);
        if computed != entry.hash {
            return Err(bad(EntryProblem::Hash { computed, found: entry.hash }));
        }
        if canonical_line(entry.format_version, seq, &entry.prev, &event_json, &entry.hash).as_bytes() != line {
            return Err(bad(EntryProblem::NotCanonical));
        }
        self.next_seq += 1;
        self.prev = entry.hash;
        Ok(entry)
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
        "journal {} ends with a torn (incomplete) last entry: {} byte(s) at offset {}",
        path.display(), tail.bytes, tail.offset
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
                "ジャーナル {} の最終行が途中で切れている（オフセット {}、{} バイト）",
                path.display(),
                tail.offset,
                tail.bytes
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

/// A durable, hash-chained, single-writer event journal.
///
/// `open` takes an exclusive lock for the life of the value (a second writer gets
/// [`JournalError::Locked`]) and refuses a journal that does not verify or ends with a torn
/// entry. `append` returns only once the entry is durable (fsync / committed transaction): an
/// acknowledged entry survives a crash. The `*_path` functions read without the lock.
///
/// The lock is advisory (`flock` on Unix, `LockFileEx` on Windows) and belongs to the open file:
/// a child process forked while a journal is open shares it until the child calls `exec`.
pub trait JournalStore: Sized + fmt::Debug {
    /// A short name of the store (`jsonl`, `sqlite`).
    const KIND: &'static str;

    /// Opens (creating when missing) the journal at `path` for appending.
    ///
    /// # Errors
    /// [`JournalError::Locked`], [`JournalError::Torn`], [`JournalError::Corrupt`], or an I/O or
    /// SQLite failure.
    fn open(path: &Path) -> Result<Self, JournalError>;

    /// The journal's path.
    fn path(&self) -> &Path;

    /// Appends `event`, durably, and returns its entry.
    ///
    /// # Errors
    /// An I/O or SQLite failure; the entry is then not acknowledged.
    fn append(&mut self, event: &Event) -> Result<JournalEntry, JournalError>;

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
    fn verify_path(path: &Path) -> Result<VerifyReport, JournalError>;

    /// Reads every entry of the journal at `path`, verified, without locking it.
    ///
    /// # Errors
    /// [`JournalError::Corrupt`] for the first bad entry, [`JournalError::Torn`] for a torn tail,
    /// or a read failure.
    fn read_path(path: &Path) -> Result<Vec<JournalEntry>, JournalError>;

    /// Removes a torn last entry (taking the writer lock), returning what was removed; `None`
    /// when there was nothing to remove. Never touches a complete entry.
    ///
    /// # Errors
    /// [`JournalError::Locked`] or an I/O failure.
    fn truncate_torn_tail(path: &Path) -> Result<Option<TornTail>, JournalError>;
}

/// Verifies a JSON Lines stream, calling `each` for every good entry, and reports the first bad
/// entry and any torn tail. Reading stops at the first bad entry. Lines are capped at the default
/// [`Limits::line_bytes`] (see [`verify_lines_with`]).
///
/// # Errors
/// Only read failures.
pub fn verify_lines<R: BufRead>(reader: R, each: impl FnMut(JournalEntry)) -> std::io::Result<VerifyReport> {
    verify_lines_with(reader, &Limits::DEFAULT, each)
}

/// Reads one line into `buf` (newline included), reading at most `max + 1` bytes of it so that a
/// hostile file cannot make a single line exhaust memory. Returns the bytes read and whether the
/// line was longer than `max` (newline excluded).
fn read_capped_line<R: BufRead>(reader: &mut R, buf: &mut Vec<u8>, max: usize) -> std::io::Result<(usize, bool)> {
    use std::io::Read as _;
    let cap = u64::try_from(max).unwrap_or(u64::MAX).saturating_add(1);
    let n = reader.by_ref().take(cap).read_until(b'\n', buf)?;
    let content = if buf.last() == Some(&b'\n') { n.saturating_sub(1) } else { n };
    Ok((n, content > max))
}

/// The problem reported for a line longer than the `line_bytes` limit.
fn too_long(limits: &Limits, at_least: usize) -> EntryProblem {
    let e = LimitExceeded::new(LimitKind::LineBytes, limits.line_bytes(), at_least);
    EntryProblem::Unreadable { message: e.to_string() }
}

/// [`verify_lines`] with explicit [`Limits`]: a line longer than `limits.line_bytes()` is
/// reported as the bad entry (an unreadable one) without being read into memory in full.
///
/// # Errors
/// Only read failures.
pub fn verify_lines_with<R: BufRead>(
    mut reader: R,
    limits: &Limits,
    mut each: impl FnMut(JournalEntry),
) -> std::io::Result<VerifyReport> {
    let mut v = ChainVerifier::new();
    let mut buf = Vec::with_capacity(1024);
    let mut offset = 0u64;
    loop {
        buf.clear();
        let (n, long) = read_capped_line(&mut reader, &mut buf, limits.line_bytes())?;
        if n == 0 {
            break;
        }
        if long {
            let bad = BadEntry { seq: v.count() + 1, problem: too_long(limits, n) };
            return Ok(v.report(Some(bad), None));
        }
        if buf.last() != Some(&b'\n') {
            return Ok(v.report(None, Some(TornTail { offset, bytes: n as u64 })));
        }
        offset += n as u64;
        let line = buf.get(..n - 1).unwrap_or_default();
        match v.check(line) {
            Ok(e) => each(e),
            Err(bad) => {
                return Ok(v.report(Some(bad), None));
            }
        }
    }
    Ok(v.report(None, None))
}

/// Reads a JSON Lines stream of entries *without* verifying the chain (the fast path used when
/// the journal was verified on open), calling `each` for every entry. Lines are capped at the
/// default [`Limits::line_bytes`].
///
/// # Errors
/// The first unreadable or over-long line, or a torn tail reported as [`EntryProblem::Unreadable`].
pub fn read_lines_unverified<R: BufRead>(mut reader: R, mut each: impl FnMut(JournalEntry)) -> Result<u64, BadEntry> {
    let limits = Limits::DEFAULT;
    let mut buf = Vec::with_capacity(1024);
    let mut seq = 0u64;
    loop {
        buf.clear();
        let (n, long) = read_capped_line(&mut reader, &mut buf, limits.line_bytes())
            .map_err(|e| BadEntry { seq: seq + 1, problem: EntryProblem::Unreadable { message: e.to_string() } })?;
        if n == 0 {
            return Ok(seq);
        }
        seq += 1;
        if long {
            return Err(BadEntry { seq, problem: too_long(&limits, n) });
        }
        let line = buf.strip_suffix(b"\n").unwrap_or(&buf);
        let entry: JournalEntry = serde_json::from_slice(line)
            .map_err(|e| BadEntry { seq, problem: EntryProblem::Unreadable { message: e.to_string() } })?;
        each(entry);
    }
}

/// Writes `events` as a fresh, chained JSON Lines journal to `out` (no fsync: for exports,
/// fixtures and benchmarks; use a [`JournalStore`] to record events durably).
///
/// # Errors
/// A write or serialization failure.
pub fn write_lines<'a, W: std::io::Write>(
    out: W,
    events: impl IntoIterator<Item = &'a Event>,
) -> std::io::Result<Option<Digest>> {
    let mut w = ChainWriter::new(out);
    let mut head = None;
    for e in events {
        head = Some(w.push(e)?);
    }
    w.finish()?;
    Ok(head)
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

/// Writes a chained JSON Lines journal one event at a time (no fsync: for exports, fixtures and
/// benchmarks; record live events through a [`JournalStore`]).
#[derive(Debug)]
pub struct ChainWriter<W: std::io::Write> {
    out: W,
    seq: u64,
    prev: Digest,
}

impl<W: std::io::Write> ChainWriter<W> {
    /// A writer starting a new journal.
    pub const fn new(out: W) -> Self {
        Self { out, seq: 0, prev: Digest::ZERO }
    }

    /// Writes the next entry and returns its hash.
    ///
    /// # Errors
    /// A write or serialization failure.
    pub fn push(&mut self, event: &Event) -> std::io::Result<Digest> {
        let seq = self.seq + 1;
        let (entry, line) = chain_line(seq, self.prev, event.clone())?;
        self.out.write_all(line.as_bytes())?;
        self.out.write_all(b"\n")?;
        self.seq = seq;
        self.prev = entry.hash;
        Ok(entry.hash)
    }

    /// Entries written.
    pub const fn len(&self) -> u64 {
        self.seq
    }

    /// Whether nothing was written.
    pub const fn is_empty(&self) -> bool {
        self.seq == 0
    }

    /// Flushes and returns the output.
    ///
    /// # Errors
    /// A flush failure.
    pub fn finish(mut self) -> std::io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }
}
