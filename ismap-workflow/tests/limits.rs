//! The `line_bytes` limit on journal lines: a line just under the cap reads, one just over is
//! reported as the bad entry without being read in full.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use ismap_model::Limits;
use ismap_workflow::{EntryProblem, SAMPLE_JOURNAL, verify_lines_with};

fn longest_line() -> (usize, usize) {
    SAMPLE_JOURNAL.lines().enumerate().map(|(i, l)| (l.len(), i + 1)).max().unwrap()
}

#[test]
fn a_line_at_the_cap_is_read() {
    let (len, _) = longest_line();
    let limits = Limits::default().with_line_bytes(len);
    let report = verify_lines_with(SAMPLE_JOURNAL.as_bytes(), &limits, |_| {}).unwrap();
    assert!(report.bad_entry.is_none() && report.torn_tail.is_none(), "{report:?}");
    assert_eq!(report.entries, SAMPLE_JOURNAL.lines().count() as u64);
}

#[test]
fn a_line_one_byte_over_the_cap_is_the_bad_entry() {
    let (len, seq) = longest_line();
    let limits = Limits::default().with_line_bytes(len - 1);
    let mut good = 0;
    let report = verify_lines_with(SAMPLE_JOURNAL.as_bytes(), &limits, |_| good += 1).unwrap();
    let bad = report.bad_entry.expect("the longest line exceeds the cap");
    assert_eq!(bad.seq, seq as u64);
    assert_eq!(good, seq - 1, "every entry before it was read");
    match bad.problem {
        EntryProblem::Unreadable { message } => assert!(message.contains("`line_bytes`"), "{message}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_huge_line_is_not_read_into_memory() {
    let limits = Limits::default().with_line_bytes(64);
    let huge = "x".repeat(10_000_000);
    let report = verify_lines_with(huge.as_bytes(), &limits, |_| {}).unwrap();
    let bad = report.bad_entry.unwrap();
    assert_eq!(bad.seq, 1);
    assert!(matches!(bad.problem, EntryProblem::Unreadable { ref message } if message.contains("65 bytes")), "{bad:?}");
}
