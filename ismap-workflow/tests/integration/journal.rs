//! One conformance suite run against both journal stores, plus store-specific tamper tests.

use std::path::{Path, PathBuf};

use ismap_workflow::{
    EntryProblem, Event, JournalError, JournalStore, JsonlJournal, Registry, SqliteJournal, WorkflowRules,
    sample_entries,
};

use crate::support::{process_lock, temp_dir};

fn sample_events() -> Vec<Event> {
    sample_entries().unwrap().into_iter().map(|e| e.event).collect()
}

/// Corrupts one byte of the stored entry `seq` (1-based) in a store-specific way.
trait Tamper: JournalStore {
    fn file_name() -> &'static str;
    fn flip_byte(path: &Path, seq: u64, needle: &str);
}

impl Tamper for JsonlJournal {
    fn file_name() -> &'static str {
        "journal.jsonl"
    }

    fn flip_byte(path: &Path, seq: u64, needle: &str) {
        let text = std::fs::read_to_string(path).unwrap();
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        let line = &mut lines[usize::try_from(seq).unwrap() - 1];
        let pos = line.find(needle).unwrap();
        // Change exactly one byte: the ASCII digit right after the needle.
        let mut bytes = line.clone().into_bytes();
        let b = &mut bytes[pos + needle.len()];
        *b = if *b == b'1' { b'2' } else { b'1' };
        *line = String::from_utf8(bytes).unwrap();
        std::fs::write(path, lines.join("\n") + "\n").unwrap();
    }
}

impl Tamper for SqliteJournal {
    fn file_name() -> &'static str {
        "journal.sqlite"
    }

    fn flip_byte(path: &Path, seq: u64, needle: &str) {
        let conn = rusqlite::Connection::open(path).unwrap();
        let line: String = conn.query_row("SELECT line FROM journal WHERE seq = ?1", [seq], |r| r.get(0)).unwrap();
        let pos = line.find(needle).unwrap();
        let mut bytes = line.into_bytes();
        let b = &mut bytes[pos + needle.len()];
        *b = if *b == b'1' { b'2' } else { b'1' };
        let line = String::from_utf8(bytes).unwrap();
        conn.execute("UPDATE journal SET line = ?1 WHERE seq = ?2", rusqlite::params![line, seq]).unwrap();
    }
}

fn path_for<S: Tamper>(name: &str) -> PathBuf {
    temp_dir(&format!("{}-{name}", S::KIND)).join(S::file_name())
}

fn append_read_reopen<S: Tamper>() {
    let path = path_for::<S>("append");
    let events = sample_events();
    let mut j = S::open(&path).unwrap();
    assert!(j.is_empty() && j.head().is_none());
    let mut last = None;
    for (i, e) in events.iter().enumerate() {
        let entry = j.append(e).unwrap();
        assert_eq!(entry.seq, i as u64 + 1);
        assert_eq!(entry.prev, last.unwrap_or(ismap_workflow::Digest::ZERO));
        last = Some(entry.hash);
    }
    assert_eq!(j.head(), last);
    let read = j.entries().unwrap();
    assert_eq!(read.iter().map(|e| e.event.clone()).collect::<Vec<_>>(), events);
    // The same chain as the embedded sample journal: the stores write the same canonical entries.
    assert_eq!(read, sample_entries().unwrap());
    drop(j);
    let mut j = S::open(&path).unwrap();
    assert_eq!((j.len(), j.head()), (events.len() as u64, last));
    j.append(&events[0]).unwrap();
    drop(j);
    let report = S::verify_path(&path).unwrap();
    assert!(report.is_ok());
    assert_eq!(report.entries, events.len() as u64 + 1);
    let replayed = Registry::replay(WorkflowRules::default(), events.iter()).unwrap();
    assert_eq!(replayed, ismap_workflow::sample_registry().unwrap());
}

fn second_writer_refused<S: Tamper>() {
    let path = path_for::<S>("lock");
    let j = S::open(&path).unwrap();
    match S::open(&path) {
        Err(JournalError::Locked { path: p }) => assert_eq!(p, path),
        other => panic!("expected Locked, got {other:?}"),
    }
    assert!(matches!(S::truncate_torn_tail(&path), Err(JournalError::Locked { .. })));
    // Readers need no lock.
    assert!(S::verify_path(&path).unwrap().is_ok());
    drop(j);
    assert!(S::open(&path).is_ok());
}

fn tamper_named<S: Tamper>() {
    let events = sample_events();
    // (entry, text to change inside it) pairs covering the event body, the hash and the link.
    for (seq, needle, expect_hash) in [(5u64, "\"at\":\"20", true), (40, "\"hash\":\"", true), (12, "\"seq\":", false)]
    {
        let path = path_for::<S>(&format!("tamper-{seq}"));
        let mut j = S::open(&path).unwrap();
        for e in &events {
            j.append(e).unwrap();
        }
        drop(j);
        S::flip_byte(&path, seq, needle);
        let report = S::verify_path(&path).unwrap();
        let bad = report.bad_entry.clone().unwrap_or_else(|| panic!("tampering entry {seq} not detected"));
        assert_eq!(bad.seq, seq, "{report:?}");
        assert_eq!(report.entries, seq - 1);
        if expect_hash {
            assert!(matches!(bad.problem, EntryProblem::Hash { .. }), "{bad:?}");
        }
        assert!(matches!(S::open(&path), Err(JournalError::Corrupt { entry, .. }) if entry.seq == seq));
        assert!(matches!(S::read_path(&path), Err(JournalError::Corrupt { .. })));
    }
}

fn missing_journal_is_an_error<S: Tamper>() {
    let path = path_for::<S>("missing");
    assert!(S::verify_path(&path).is_err());
    assert!(S::read_path(&path).is_err());
}

macro_rules! suite {
    ($($name:ident),*) => {
        mod jsonl {
            $(#[test] fn $name() { let _g = crate::support::process_lock(); super::$name::<ismap_workflow::JsonlJournal>(); })*
        }
        mod sqlite {
            $(#[test] fn $name() { let _g = crate::support::process_lock(); super::$name::<ismap_workflow::SqliteJournal>(); })*
        }
    };
}

suite!(append_read_reopen, second_writer_refused, tamper_named, missing_journal_is_an_error);

#[test]
fn jsonl_torn_tail_is_reported_and_truncated_only_on_request() {
    let _g = process_lock();
    let path = path_for::<JsonlJournal>("torn");
    let events = sample_events();
    let mut j = JsonlJournal::open(&path).unwrap();
    for e in &events[..10] {
        j.append(e).unwrap();
    }
    drop(j);
    let good_len = std::fs::metadata(&path).unwrap().len();
    let partial = serde_json::to_string(&events[10]).unwrap();
    std::fs::write(&path, [std::fs::read(&path).unwrap(), partial.as_bytes()[..40].to_vec()].concat()).unwrap();

    let report = JsonlJournal::verify_path(&path).unwrap();
    assert_eq!(report.entries, 10);
    let tail = report.torn_tail.unwrap();
    assert_eq!((tail.offset, tail.bytes), (good_len, 40));
    assert!(matches!(JsonlJournal::open(&path), Err(JournalError::Torn { .. })));
    assert!(matches!(JsonlJournal::read_path(&path), Err(JournalError::Torn { .. })));
    // Still there: nothing was dropped silently.
    assert_eq!(std::fs::metadata(&path).unwrap().len(), good_len + 40);

    assert_eq!(JsonlJournal::truncate_torn_tail(&path).unwrap(), Some(tail));
    assert_eq!(std::fs::metadata(&path).unwrap().len(), good_len);
    assert_eq!(JsonlJournal::truncate_torn_tail(&path).unwrap(), None);
    let mut j = JsonlJournal::open(&path).unwrap();
    j.append(&events[10]).unwrap();
    assert_eq!(j.len(), 11);
}

#[test]
fn jsonl_non_canonical_line_is_rejected() {
    let _g = process_lock();
    let path = path_for::<JsonlJournal>("canonical");
    let mut j = JsonlJournal::open(&path).unwrap();
    j.append(&sample_events()[0]).unwrap();
    drop(j);
    // Same JSON value, different bytes: a space after the first colon.
    let text = std::fs::read_to_string(&path).unwrap().replacen("\"seq\":1", "\"seq\": 1", 1);
    std::fs::write(&path, text).unwrap();
    let bad = JsonlJournal::verify_path(&path).unwrap().bad_entry.unwrap();
    assert_eq!((bad.seq, bad.problem), (1, EntryProblem::NotCanonical));
}

#[test]
fn jsonl_unreadable_line_is_named() {
    let _g = process_lock();
    let path = path_for::<JsonlJournal>("garbage");
    let mut j = JsonlJournal::open(&path).unwrap();
    for e in &sample_events()[..3] {
        j.append(e).unwrap();
    }
    drop(j);
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str("{\"seq\":4}\n");
    std::fs::write(&path, text).unwrap();
    let bad = JsonlJournal::verify_path(&path).unwrap().bad_entry.unwrap();
    assert_eq!(bad.seq, 4);
    assert!(matches!(bad.problem, EntryProblem::Unreadable { .. }));
}

#[test]
fn jsonl_every_cut_of_the_last_entry() {
    let _g = process_lock();
    let path = path_for::<JsonlJournal>("every-cut");
    let full = ismap_workflow::SAMPLE_JOURNAL.as_bytes();
    let last_start = full[..full.len() - 1].iter().rposition(|b| *b == b'\n').unwrap() + 1;
    for cut in last_start..=full.len() {
        std::fs::write(&path, &full[..cut]).unwrap();
        let report = JsonlJournal::verify_path(&path).unwrap();
        let complete = cut >= full.len() - 1;
        if complete || cut == last_start {
            let n = if complete { 73 } else { 72 };
            assert!(report.valid && report.entries == n, "cut {cut}: {report:?}");
            assert_eq!(report.missing_newline, cut == full.len() - 1, "cut {cut}");
            assert_eq!(JsonlJournal::truncate_torn_tail(&path).unwrap(), None, "cut {cut}");
            assert_eq!(std::fs::metadata(&path).unwrap().len(), cut as u64, "cut {cut}: nothing removed");
            assert_eq!(JsonlJournal::open(&path).unwrap().len(), n);
        } else {
            let tail = report.torn_tail.unwrap_or_else(|| panic!("cut {cut}: {report:?}"));
            assert_eq!(
                (tail.offset, tail.bytes, tail.from_seq, tail.entries),
                (last_start as u64, (cut - last_start) as u64, 73, 0)
            );
            assert!(!report.valid && report.entries == 72);
            assert!(matches!(JsonlJournal::open(&path), Err(JournalError::Torn { .. })), "cut {cut}");
            assert_eq!(JsonlJournal::truncate_torn_tail(&path).unwrap(), Some(tail));
            assert_eq!(std::fs::read(&path).unwrap(), &full[..last_start]);
        }
    }
}

fn batches_are_atomic_and_ids_once<S: Tamper>() {
    use ismap_workflow::{EventId, NewEvent};
    let path = path_for::<S>("batch");
    let events = sample_events();
    let with_ids: Vec<NewEvent> = events
        .iter()
        .enumerate()
        .map(|(i, e)| NewEvent::with_id(e.clone(), format!("ev-{i}").parse::<EventId>().unwrap()))
        .collect();
    let mut j = S::open(&path).unwrap();
    let a = j.append_batch(&with_ids[..10]).unwrap();
    assert_eq!(a.entries.len(), 10);
    assert!(a.skipped.is_empty());
    assert_eq!(a.entries[9].batch, ismap_workflow::BatchPos::new(10, 10));
    // A re-run with more events: the first ten are skipped, naming their entries.
    let b = j.append_batch(&with_ids[..12]).unwrap();
    assert_eq!(b.entries.iter().map(|e| e.seq).collect::<Vec<_>>(), [11, 12]);
    assert_eq!(
        b.skipped.iter().map(|s| (s.index, s.seq)).collect::<Vec<_>>(),
        (0..10).map(|i| (i, i as u64 + 1)).collect::<Vec<_>>()
    );
    assert_eq!(j.find_event_id(&"ev-11".parse().unwrap()), Some(12));
    drop(j);
    // The ids survive a reopen.
    let mut j = S::open(&path).unwrap();
    assert!(j.append_batch(&with_ids[..12]).unwrap().entries.is_empty());
    // A single event carries no batch framing.
    let one = j.append(&events[12]).unwrap();
    assert_eq!((one.seq, one.batch, one.event_id), (13, None, None));
    drop(j);
    let report = S::verify_path(&path).unwrap();
    assert!(report.valid && report.entries == 13, "{report:?}");
}

#[test]
fn jsonl_batches_are_atomic_and_ids_once() {
    let _g = process_lock();
    batches_are_atomic_and_ids_once::<JsonlJournal>();
}

#[test]
fn sqlite_batches_are_atomic_and_ids_once() {
    let _g = process_lock();
    batches_are_atomic_and_ids_once::<SqliteJournal>();
}
