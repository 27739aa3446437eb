//! The entry format: event ids, batch framing, the canonical line, its hash, and the one-pass
//! verifier shared by both stores.
//!
//! Verification never re-serializes an entry: the hash is computed over the exact bytes of the
//! stored line (minus its `prev` and `hash` fields), located by a strict scan of the line's fixed
//! layout. Only a line that does not have that layout is handed to serde, to name what is wrong.

use std::borrow::Cow;
use std::fmt;
use std::io::BufRead;

use ismap_model::{DocumentVersion, LimitExceeded, LimitKind, Limits};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use super::{BadEntry, Digest, EntryProblem, JOURNAL_FORMAT_VERSION, Progress, ScanOptions, TornTail, VerifyReport};
use crate::Event;

/// The longest event id.
pub const EVENT_ID_MAX: usize = 128;

/// A client-chosen event id: 1 to 128 characters among `A`–`Z`, `a`–`z`, `0`–`9`, `.`, `_`,
/// `:` and `-`. A journal holds each id at most once: appending an event whose id is already
/// recorded is skipped and reported as already present ([`super::Appended::skipped`]).
///
/// ```
/// use ismap_workflow::EventId;
/// assert!("batch-2025-04.17".parse::<EventId>().is_ok());
/// assert!("has space".parse::<EventId>().is_err());
/// ```
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EventId(String);

/// Why a string is not an event id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{input}` is not an event id (1 to 128 characters among A-Z a-z 0-9 . _ : -)")]
pub struct EventIdError {
    input: String,
}

fn id_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b':' | b'-')
}

impl EventId {
    /// The id derived from an event's content: `sha256:` and the SHA-256 of the event's JSON in
    /// the current format. Two events with the same time, actor and kind get the same id: they
    /// record the same fact, so appending the second is skipped.
    ///
    /// # Errors
    /// When the event cannot be serialized (never for events built from valid parts).
    pub fn from_content(event: &Event) -> Result<Self, serde_json::Error> {
        let mut event = event.clone();
        event.format_version.upgrade();
        let json = serde_json::to_vec(&event)?;
        Ok(Self(format!("sha256:{}", Digest(Sha256::digest(&json).into()))))
    }

    /// The id as text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The SHA-256 of the id: the key journals keep in memory to find duplicates.
    pub(crate) fn key(id: &str) -> [u8; 32] {
        Sha256::digest(id.as_bytes()).into()
    }
}

impl std::str::FromStr for EventId {
    type Err = EventIdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.is_empty() || s.len() > EVENT_ID_MAX || !s.bytes().all(id_byte) {
            return Err(EventIdError { input: s.to_owned() });
        }
        Ok(Self(s.to_owned()))
    }
}

impl TryFrom<String> for EventId {
    type Error = EventIdError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<EventId> for String {
    fn from(id: EventId) -> Self {
        id.0
    }
}

impl fmt::Display for EventId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for EventId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EventId({})", self.0)
    }
}

impl JsonSchema for EventId {
    fn schema_name() -> Cow<'static, str> {
        "EventId".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "Client-chosen event id; a journal records each id at most once.",
            "pattern": "^[A-Za-z0-9._:-]{1,128}$"
        })
    }
}

/// Where an entry sits in the batch it was appended with (only batches of two or more events
/// carry it). A journal whose last batch is incomplete ends with a torn tail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct BatchPos {
    /// Position in the batch, from 1.
    #[schemars(range(min = 1))]
    pub index: u64,
    /// Number of entries in the batch (2 or more).
    #[schemars(range(min = 2))]
    pub size: u64,
}

impl BatchPos {
    /// Position `index` (from 1) of a batch of `size`; `None` unless `1 <= index <= size` and
    /// `size >= 2`.
    #[must_use]
    pub const fn new(index: u64, size: u64) -> Option<Self> {
        if size >= 2 && index >= 1 && index <= size { Some(Self { index, size }) } else { None }
    }
}

impl fmt::Display for BatchPos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} of {}", self.index, self.size)
    }
}

/// One journal entry: a sequence number, the chain link, the optional event id and batch
/// position, the event and its hash.
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
    /// The event's id, when it was appended with one (covered by the hash).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_id: Option<EventId>,
    /// The entry's place in its append batch, for batches of two or more (covered by the hash).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch: Option<BatchPos>,
    /// The event.
    pub event: Event,
    /// SHA-256 over `prev` (raw bytes) and the canonical
    /// `{"format_version":…,"seq":…[,"eventId":…][,"batch":…],"event":…}`.
    pub hash: Digest,
}

impl JournalEntry {
    /// Chains `event` after an entry with hash `prev` at position `seq`, in the current format
    /// (the entry's and the event's format versions are set to the current ones).
    ///
    /// # Errors
    /// When the event cannot be serialized (never for events built from valid parts).
    pub fn chain(seq: u64, prev: Digest, event: Event) -> Result<Self, serde_json::Error> {
        chain_line(seq, prev, event, None, None).map(|(entry, _)| entry)
    }

    /// The canonical line (without the newline), in the entry's own format version.
    ///
    /// # Errors
    /// When the event cannot be serialized.
    pub fn to_line(&self) -> Result<String, serde_json::Error> {
        let event_json = serde_json::to_string(&self.event)?;
        let mid = optional_fields(self.event_id.as_ref(), self.batch);
        Ok(canonical_line(self.format_version, self.seq, &self.prev, &mid, &event_json, &self.hash))
    }
}

/// The next entry after `prev` and its canonical line, in the current format.
pub(crate) fn chain_line(
    seq: u64,
    prev: Digest,
    mut event: Event,
    event_id: Option<EventId>,
    batch: Option<BatchPos>,
) -> Result<(JournalEntry, String), serde_json::Error> {
    event.format_version.upgrade();
    let format_version = DocumentVersion::current();
    let event_json = serde_json::to_string(&event)?;
    let mid = optional_fields(event_id.as_ref(), batch);
    let hash = entry_hash(format_version, &prev, seq, &mid, &event_json);
    let line = canonical_line(format_version, seq, &prev, &mid, &event_json, &hash);
    Ok((JournalEntry { format_version, seq, prev, event_id, batch, event, hash }, line))
}

/// `{"format_version":V,` for a versioned entry, `{` for version 0 (borrowed for the versions
/// this library knows: no allocation per entry on the append path).
fn open_entry(version: DocumentVersion<JOURNAL_FORMAT_VERSION>) -> Cow<'static, str> {
    match version.get() {
        0 => "{".into(),
        1 => "{\"format_version\":1,".into(),
        v => format!("{{\"format_version\":{v},").into(),
    }
}

/// `"eventId":"…",` and `"batch":{"index":…,"size":…},` when present (ids need no escaping).
fn optional_fields(event_id: Option<&EventId>, batch: Option<BatchPos>) -> String {
    let mut s = String::new();
    if let Some(id) = event_id {
        s.push_str("\"eventId\":\"");
        s.push_str(id.as_str());
        s.push_str("\",");
    }
    if let Some(b) = batch {
        s.push_str(&format!("\"batch\":{{\"index\":{},\"size\":{}}},", b.index, b.size));
    }
    s
}

fn entry_hash(
    version: DocumentVersion<JOURNAL_FORMAT_VERSION>,
    prev: &Digest,
    seq: u64,
    mid: &str,
    event_json: &str,
) -> Digest {
    let mut h = Sha256::new();
    h.update(prev.0);
    h.update(open_entry(version).as_bytes());
    h.update(b"\"seq\":");
    h.update(seq.to_string().as_bytes());
    h.update(b",");
    h.update(mid.as_bytes());
    h.update(b"\"event\":");
    h.update(event_json.as_bytes());
    h.update(b"}");
    Digest(h.finalize().into())
}

fn canonical_line(
    version: DocumentVersion<JOURNAL_FORMAT_VERSION>,
    seq: u64,
    prev: &Digest,
    mid: &str,
    event_json: &str,
    hash: &Digest,
) -> String {
    let open = open_entry(version);
    format!("{open}\"seq\":{seq},\"prev\":\"{prev}\",{mid}\"event\":{event_json},\"hash\":\"{hash}\"}}")
}

const HEX: &[u8; 16] = b"0123456789abcdef";

fn hex64(bytes: &[u8; 32]) -> [u8; 64] {
    let mut out = [b'0'; 64];
    for (pair, b) in out.chunks_exact_mut(2).zip(bytes) {
        if let [h, l] = pair {
            *h = HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0');
            *l = HEX.get(usize::from(b & 15)).copied().unwrap_or(b'0');
        }
    }
    out
}

/// The parts of a line in the canonical layout, found without parsing the event.
#[derive(Debug)]
pub(crate) struct RawEntry<'a> {
    pub(crate) seq: u64,
    pub(crate) prev_hex: &'a [u8],
    pub(crate) event_id: Option<&'a str>,
    pub(crate) batch: Option<BatchPos>,
    pub(crate) event: &'a [u8],
    pub(crate) hash_hex: &'a [u8],
    /// `line[..head_end]` is `{"format_version":1,"seq":N,` (or `{"seq":N,`).
    head_end: usize,
    /// `line[mid_start..tail_start]` is the optional fields and `"event":{…}`.
    mid_start: usize,
    tail_start: usize,
}

struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl<'a> Cursor<'a> {
    fn lit(&mut self, s: &[u8]) -> Option<()> {
        let end = self.i.checked_add(s.len())?;
        (self.b.get(self.i..end)? == s).then(|| self.i = end)
    }

    fn peek(&self, s: &[u8]) -> bool {
        self.b.get(self.i..).is_some_and(|r| r.starts_with(s))
    }

    /// A JSON unsigned integer without leading zeros.
    fn uint(&mut self) -> Option<u64> {
        let start = self.i;
        let mut n: u64 = 0;
        while let Some(&c) = self.b.get(self.i).filter(|c| c.is_ascii_digit()) {
            n = n.checked_mul(10)?.checked_add(u64::from(c - b'0'))?;
            self.i += 1;
        }
        let len = self.i - start;
        (len > 0 && !(len > 1 && self.b.get(start) == Some(&b'0'))).then_some(n)
    }

    fn take_while(&mut self, f: impl Fn(u8) -> bool) -> &'a [u8] {
        let start = self.i;
        while self.b.get(self.i).is_some_and(|&c| f(c)) {
            self.i += 1;
        }
        self.b.get(start..self.i).unwrap_or_default()
    }

    fn hex64(&mut self) -> Option<&'a [u8]> {
        let h = self.take_while(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f'));
        (h.len() == 64).then_some(h)
    }
}

/// Length of `,"hash":"<64 hex>"}`.
const TAIL: usize = 75;

impl<'a> RawEntry<'a> {
    /// The parts of `line` when it has the canonical layout of version 1 or 0.
    pub(crate) fn scan(line: &'a [u8]) -> Option<Self> {
        let mut c = Cursor { b: line, i: 0 };
        if c.lit(b"{\"format_version\":1,\"seq\":").is_none() {
            c.lit(b"{\"seq\":")?;
        }
        let seq = c.uint()?;
        c.lit(b",")?;
        let head_end = c.i;
        c.lit(b"\"prev\":\"")?;
        let prev_hex = c.hex64()?;
        c.lit(b"\",")?;
        let mid_start = c.i;
        let mut event_id = None;
        if c.lit(b"\"eventId\":\"").is_some() {
            let id = c.take_while(id_byte);
            if id.is_empty() || id.len() > EVENT_ID_MAX {
                return None;
            }
            event_id = Some(std::str::from_utf8(id).ok()?);
            c.lit(b"\",")?;
        }
        let mut batch = None;
        if c.peek(b"\"batch\"") {
            c.lit(b"\"batch\":{\"index\":")?;
            let index = c.uint()?;
            c.lit(b",\"size\":")?;
            let size = c.uint()?;
            c.lit(b"},")?;
            batch = Some(BatchPos::new(index, size)?);
        }
        c.lit(b"\"event\":{")?;
        let event_start = c.i - 1;
        let tail_start = line.len().checked_sub(TAIL)?;
        if tail_start <= event_start {
            return None;
        }
        let mut t = Cursor { b: line, i: tail_start };
        t.lit(b",\"hash\":\"")?;
        let hash_hex = t.hex64()?;
        t.lit(b"\"}")?;
        Some(Self {
            seq,
            prev_hex,
            event_id,
            batch,
            event: line.get(event_start..tail_start)?,
            hash_hex,
            head_end,
            mid_start,
            tail_start,
        })
    }

    /// SHA-256 over `prev` (raw) and the line without its `prev` and `hash` fields.
    fn hash(&self, line: &[u8], prev: &Digest) -> Digest {
        let mut h = Sha256::new();
        h.update(prev.0);
        h.update(line.get(..self.head_end).unwrap_or_default());
        h.update(line.get(self.mid_start..self.tail_start).unwrap_or_default());
        h.update(b"}");
        Digest(h.finalize().into())
    }
}

/// Checks entries one after another against the chain and the batch framing.
#[derive(Debug, Clone)]
pub(crate) struct ChainVerifier {
    next_seq: u64,
    prev: Digest,
    prev_hex: [u8; 64],
    /// Entries in complete batches, and the head after them.
    committed: u64,
    committed_head: Option<Digest>,
    /// The batch being read: its position so far, and where its first entry starts.
    open_batch: Option<(BatchPos, u64)>,
}

/// An entry accepted by [`ChainVerifier::check`].
#[derive(Debug)]
pub(crate) struct Checked<'a> {
    pub(crate) raw: RawEntry<'a>,
    pub(crate) hash: Digest,
}

impl ChainVerifier {
    pub(crate) const fn new() -> Self {
        Self {
            next_seq: 1,
            prev: Digest::ZERO,
            prev_hex: [b'0'; 64],
            committed: 0,
            committed_head: None,
            open_batch: None,
        }
    }

    /// The next expected sequence number.
    pub(crate) const fn next_seq(&self) -> u64 {
        self.next_seq
    }

    /// The unfinished batch: its first sequence number, the entries read and where it starts.
    pub(crate) fn open_batch(&self) -> Option<(u64, u64, u64)> {
        self.open_batch.map(|(b, offset)| (self.next_seq - b.index, b.index, offset))
    }

    /// The report on what was verified so far (`entries` and `head` cover complete batches only).
    pub(crate) fn report(&self, bad_entry: Option<BadEntry>, torn_tail: Option<TornTail>) -> VerifyReport {
        let mut r = VerifyReport {
            format_version: DocumentVersion::current(),
            valid: false,
            entries: self.committed,
            head: self.committed_head,
            bad_entry,
            torn_tail,
            refused_entry: None,
            missing_newline: false,
            tail_check: None,
        };
        r.refresh();
        r
    }

    /// Verifies one stored line (without its newline) that starts at byte `offset`.
    pub(crate) fn check<'a>(&mut self, line: &'a [u8], offset: u64) -> Result<Checked<'a>, BadEntry> {
        let seq = self.next_seq;
        let Some(raw) = RawEntry::scan(line) else { return Err(self.diagnose(line)) };
        let bad = |problem| BadEntry { seq, problem };
        if raw.seq != seq {
            return Err(bad(EntryProblem::Sequence { expected: seq, found: raw.seq }));
        }
        if raw.prev_hex != self.prev_hex {
            let found = parse_hex(raw.prev_hex);
            return Err(bad(EntryProblem::PreviousHash { expected: self.prev, found }));
        }
        let computed = raw.hash(line, &self.prev);
        let computed_hex = hex64(&computed.0);
        if raw.hash_hex != computed_hex {
            return Err(bad(EntryProblem::Hash { computed, found: parse_hex(raw.hash_hex) }));
        }
        let expected = self.open_batch.and_then(|(b, _)| BatchPos::new(b.index + 1, b.size));
        match (expected, raw.batch) {
            (Some(e), Some(f)) if e == f => {}
            (None, None) => {}
            (None, Some(f)) if f.index == 1 => {}
            (expected, found) => return Err(bad(EntryProblem::Batch { expected, found })),
        }
        self.open_batch = match raw.batch {
            Some(b) if b.index < b.size => Some((b, self.open_batch.map_or(offset, |(_, o)| o))),
            _ => None,
        };
        self.next_seq += 1;
        self.prev = computed;
        self.prev_hex = computed_hex;
        if self.open_batch.is_none() {
            self.committed = seq;
            self.committed_head = Some(computed);
        }
        Ok(Checked { raw, hash: computed })
    }

    /// Verifies one stored line and reads its event.
    pub(crate) fn check_entry(&mut self, line: &[u8], offset: u64) -> Result<JournalEntry, BadEntry> {
        let seq = self.next_seq;
        let saved = self.clone();
        let checked = self.check(line, offset)?;
        let event: Event = match serde_json::from_slice(checked.raw.event) {
            Ok(e) => e,
            Err(e) => {
                *self = saved;
                return Err(BadEntry { seq, problem: EntryProblem::Unreadable { message: e.to_string() } });
            }
        };
        let version = if line.starts_with(b"{\"format_version\":1,") {
            DocumentVersion::current()
        } else {
            DocumentVersion::unversioned()
        };
        Ok(JournalEntry {
            format_version: version,
            seq,
            prev: saved.prev,
            event_id: checked.raw.event_id.and_then(|s| s.parse().ok()),
            batch: checked.raw.batch,
            event,
            hash: checked.hash,
        })
    }

    /// Names what is wrong with a line that does not have the canonical layout.
    fn diagnose(&self, line: &[u8]) -> BadEntry {
        let seq = self.next_seq;
        let bad = |problem| BadEntry { seq, problem };
        let entry: JournalEntry = match serde_json::from_slice(line) {
            Ok(e) => e,
            Err(e) => return bad(EntryProblem::Unreadable { message: e.to_string() }),
        };
        if entry.seq != seq {
            return bad(EntryProblem::Sequence { expected: seq, found: entry.seq });
        }
        if entry.prev != self.prev {
            return bad(EntryProblem::PreviousHash { expected: self.prev, found: entry.prev });
        }
        match serde_json::to_string(&entry.event) {
            Err(e) => bad(EntryProblem::Unreadable { message: e.to_string() }),
            Ok(event_json) => {
                let mid = optional_fields(entry.event_id.as_ref(), entry.batch);
                let computed = entry_hash(entry.format_version, &entry.prev, seq, &mid, &event_json);
                if computed == entry.hash {
                    bad(EntryProblem::NotCanonical)
                } else {
                    bad(EntryProblem::Hash { computed, found: entry.hash })
                }
            }
        }
    }
}

fn parse_hex(h: &[u8]) -> Digest {
    std::str::from_utf8(h).ok().and_then(|s| s.parse().ok()).unwrap_or(Digest::ZERO)
}

/// Verifies a JSON Lines stream, calling `each` for every good entry, and reports the first bad
/// entry and any torn tail. Reading stops at the first bad entry. Lines are capped at the default
/// [`Limits::line_bytes`] (see [`verify_lines_with`]).
///
/// `each` sees entries as they verify; when the stream ends inside a batch, the report's
/// `entries` leaves that batch out and `torn_tail` covers it, so a caller that keeps entries must
/// keep only the first `entries` of them.
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
    reader: R,
    limits: &Limits,
    mut each: impl FnMut(JournalEntry),
) -> std::io::Result<VerifyReport> {
    scan_lines(reader, limits, 0, &mut ScanOptions::new().each(&mut each), None)
}

/// Verifies a JSON Lines stream in one pass, doing what `scan` asks on the way (the reader
/// behind [`super::JournalStore::scan_path`] for JSON Lines journals).
///
/// # Errors
/// Only read failures.
pub fn verify_reader<R: BufRead>(reader: R, scan: &mut ScanOptions<'_>) -> std::io::Result<VerifyReport> {
    scan_lines(reader, &Limits::DEFAULT, 0, scan, None)
}

/// Receives the event id and sequence number of every verified entry that has an id.
pub(crate) type IdSink<'a> = &'a mut dyn FnMut(&str, u64);

/// Verifies one line as `scan` asks (parsing the event only when it wants entries).
pub(crate) fn accept(
    v: &mut ChainVerifier,
    line: &[u8],
    offset: u64,
    scan: &mut ScanOptions<'_>,
    ids: &mut Option<IdSink<'_>>,
) -> Result<(), BadEntry> {
    let seq = v.next_seq();
    if let Some(each) = scan.each.as_mut() {
        let entry = v.check_entry(line, offset)?;
        if let (Some(ids), Some(id)) = (ids.as_mut(), entry.event_id.as_ref()) {
            ids(id.as_str(), seq);
        }
        if scan.watch == Some(seq) {
            scan.watched = Some(entry.hash);
        }
        each(entry);
    } else {
        let c = v.check(line, offset)?;
        if let (Some(ids), Some(id)) = (ids.as_mut(), c.raw.event_id) {
            ids(id, seq);
        }
        if scan.watch == Some(seq) {
            scan.watched = Some(c.hash);
        }
    }
    Ok(())
}

/// The one pass behind every JSON Lines read: chain, framing, torn tail, missing newline.
/// `total` is the stream's length for progress reports (0 when unknown).
pub(crate) fn scan_lines<R: BufRead>(
    mut reader: R,
    limits: &Limits,
    total: u64,
    scan: &mut ScanOptions<'_>,
    mut ids: Option<IdSink<'_>>,
) -> std::io::Result<VerifyReport> {
    let mut v = ChainVerifier::new();
    let mut buf = Vec::with_capacity(4096);
    let mut offset = 0u64;
    let mut lines = 0u64;
    loop {
        buf.clear();
        let (n, long) = read_capped_line(&mut reader, &mut buf, limits.line_bytes())?;
        if n == 0 {
            break;
        }
        if long {
            let bad = BadEntry { seq: v.next_seq(), problem: too_long(limits, n) };
            return Ok(v.report(Some(bad), None));
        }
        let start = offset;
        offset += n as u64;
        lines += 1;
        if lines.is_multiple_of(4096)
            && let Some(p) = scan.progress.as_mut()
        {
            p(Progress { done: offset, total });
        }
        let Some(line) = buf.strip_suffix(b"\n") else {
            // No newline: a complete, verifying entry is kept (a warning); anything else is torn.
            let mut trial = v.clone();
            if accept(&mut trial, &buf, start, scan, &mut ids).is_ok() {
                v = trial;
                if v.open_batch().is_none() {
                    let mut r = v.report(None, None);
                    r.missing_newline = true;
                    return Ok(r);
                }
            }
            return Ok(torn(&v, start, offset));
        };
        if let Err(bad) = accept(&mut v, line, start, scan, &mut ids) {
            return Ok(v.report(Some(bad), None));
        }
    }
    if let Some(p) = scan.progress.as_mut() {
        p(Progress { done: offset, total });
    }
    if v.open_batch().is_some() {
        return Ok(torn(&v, offset, offset));
    }
    Ok(v.report(None, None))
}

/// The torn tail at the end of a stream of `end` bytes whose last, incomplete piece starts at
/// `at`: it also covers the complete entries of an unfinished batch.
fn torn(v: &ChainVerifier, at: u64, end: u64) -> VerifyReport {
    let (from_seq, entries, offset) = match v.open_batch() {
        Some((first, read, batch_offset)) => (first, read, batch_offset),
        None => (v.next_seq(), 0, at),
    };
    v.report(None, Some(TornTail { offset, bytes: end - offset, from_seq, entries }))
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
/// fixtures and benchmarks; use a [`super::JournalStore`] to record events durably).
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

/// Writes a chained JSON Lines journal one event at a time (no fsync: for exports, fixtures and
/// benchmarks; record live events through a [`super::JournalStore`]).
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
        self.push_with(event, None, None)
    }

    /// Writes the next entry with an event id and a batch position, and returns its hash.
    ///
    /// # Errors
    /// A write or serialization failure.
    pub fn push_with(
        &mut self,
        event: &Event,
        event_id: Option<EventId>,
        batch: Option<BatchPos>,
    ) -> std::io::Result<Digest> {
        let seq = self.seq + 1;
        let (entry, line) = chain_line(seq, self.prev, event.clone(), event_id, batch)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn events(n: usize) -> Vec<Event> {
        crate::sample::sample_entries().unwrap().into_iter().take(n).map(|e| e.event).collect()
    }

    /// A journal of `plain` single entries followed by one batch of `batch` entries.
    fn journal(plain: usize, batch: u64) -> (Vec<u8>, Vec<usize>) {
        let evs = events(plain + usize::try_from(batch).unwrap());
        let mut w = ChainWriter::new(Vec::new());
        for (i, e) in evs.iter().enumerate() {
            let pos = u64::try_from(i).unwrap().checked_sub(u64::try_from(plain).unwrap()).map(|k| k + 1);
            let id = format!("ev-{i}").parse().ok();
            w.push_with(e, id, pos.and_then(|k| BatchPos::new(k, batch))).unwrap();
        }
        let out = w.finish().unwrap();
        let starts = std::iter::once(0)
            .chain(out.iter().enumerate().filter(|(_, b)| **b == b'\n').map(|(i, _)| i + 1))
            .collect();
        (out, starts)
    }

    #[test]
    fn optional_fields_are_hashed_and_serde_agrees() {
        let (bytes, _) = journal(2, 3);
        let mut entries = Vec::new();
        let report = verify_lines(bytes.as_slice(), |e| entries.push(e)).unwrap();
        assert!(report.valid && report.entries == 5, "{report:?}");
        for (e, line) in entries.iter().zip(std::str::from_utf8(&bytes).unwrap().lines()) {
            assert_eq!(e.to_line().unwrap(), line);
            assert_eq!(serde_json::to_string(e).unwrap(), line);
            assert_eq!(&serde_json::from_str::<JournalEntry>(line).unwrap(), e);
        }
        assert_eq!(entries[3].batch, BatchPos::new(2, 3));
        assert_eq!(entries[3].event_id.as_ref().unwrap().as_str(), "ev-3");
        // Changing the id or the batch position is detected by the hash.
        let text = String::from_utf8(bytes).unwrap();
        for (from, to) in [("\"ev-3\"", "\"ev-9\""), ("\"index\":2,\"size\":3", "\"index\":2,\"size\":4")] {
            let bad = verify_lines(text.replacen(from, to, 1).as_bytes(), drop).unwrap().bad_entry.unwrap();
            assert_eq!(bad.seq, 4);
            assert!(matches!(bad.problem, EntryProblem::Hash { .. }), "{bad:?}");
        }
    }

    #[test]
    fn an_unfinished_last_batch_is_torn_as_a_whole() {
        let (bytes, starts) = journal(2, 4);
        let batch_start = starts[2] as u64;
        // Every cut inside the batch leaves a torn tail starting at the batch.
        for cut in usize::try_from(batch_start).unwrap() + 1..bytes.len() - 1 {
            let r = verify_lines(&bytes[..cut], drop).unwrap();
            let t = r.torn_tail.unwrap_or_else(|| panic!("cut {cut}: {r:?}"));
            assert_eq!((t.offset, t.bytes, t.from_seq), (batch_start, cut as u64 - batch_start, 3), "cut {cut}");
            assert_eq!((r.entries, r.valid), (2, false));
        }
        // The whole batch without its final newline verifies, with a warning.
        let r = verify_lines(&bytes[..bytes.len() - 1], drop).unwrap();
        assert!(r.valid && r.missing_newline && r.entries == 6, "{r:?}");
    }

    #[test]
    fn broken_framing_inside_the_journal_is_a_bad_entry() {
        // A batch of 4 cut after 2 entries, then a single entry: not a crash, a damaged journal.
        let evs = events(4);
        let mut w = ChainWriter::new(Vec::new());
        w.push_with(&evs[0], None, BatchPos::new(1, 4)).unwrap();
        w.push_with(&evs[1], None, BatchPos::new(2, 4)).unwrap();
        w.push_with(&evs[2], None, None).unwrap();
        let out = w.finish().unwrap();
        let r = verify_lines(out.as_slice(), drop).unwrap();
        let bad = r.bad_entry.unwrap();
        assert_eq!((bad.seq, r.entries), (3, 0));
        assert_eq!(bad.problem, EntryProblem::Batch { expected: BatchPos::new(3, 4), found: None });
    }

    #[test]
    fn event_ids_are_strict_and_content_ids_are_stable() {
        for bad in ["", "a b", "é", &"x".repeat(129), "a\"b"] {
            assert!(bad.parse::<EventId>().is_err(), "{bad}");
        }
        let e = &events(1)[0];
        let id = EventId::from_content(e).unwrap();
        assert!(id.as_str().starts_with("sha256:") && id.as_str().len() == 71);
        let mut v0 = e.clone();
        v0.format_version = DocumentVersion::unversioned();
        assert_eq!(EventId::from_content(&v0).unwrap(), id, "the format version of the input does not matter");
        assert_ne!(EventId::from_content(&events(2)[1]).unwrap(), id);
    }
}
