//! Crash test of `ismap registry append`: a child process appending one batch of 10,000 events
//! is killed with SIGKILL at 50 random points, for each store. Afterwards (after `truncate-torn`
//! where needed) the journal holds none or all of the batch, every event acknowledged before the
//! kill (the 110 appended first, and the batch when the child had exited successfully) is
//! present, and the journal verifies.
#![cfg(all(feature = "cli", unix))]
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use ismap_workflow::{JournalError, JournalStore, JsonlJournal, ScanOptions, SqliteJournal, synthetic};

const KILLS: usize = 50;
const BASE: usize = 110;
const BATCH: usize = 10_000;

/// A small xorshift generator, seeded from the clock and printed so a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x % n.max(1)
    }
}

fn append(journal: &Path, events: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_ismap"));
    c.args(["registry", "append", "-j", s(journal), s(events), "--format", "json"]);
    c
}

fn crash_loop<S: JournalStore>(file: &str) {
    let dir = temp_dir(&format!("crash-{}", S::KIND));
    // 10 institution listings and 10,100 service events, legal in this order.
    let events: Vec<_> = synthetic::events(100, 101).collect();
    assert_eq!(events.len(), BASE + BATCH);
    let base_file = write(&dir, "base.json", &serde_json::to_string(&events[..BASE]).unwrap());
    let batch_file = write(&dir, "batch.json", &serde_json::to_string(&events[BASE..]).unwrap());
    let journal = dir.join(file);
    let pristine = dir.join(format!("pristine-{file}"));
    let o = append(&pristine, &base_file).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let report = S::verify_path(&pristine).unwrap();
    assert_eq!(report.entries, BASE as u64);
    let base_head = report.head.unwrap();

    // How long an uninterrupted append takes: the kills fall anywhere in that time.
    std::fs::copy(&pristine, &journal).unwrap();
    let t = Instant::now();
    let o = append(&journal, &batch_file).output().unwrap();
    let full = t.elapsed();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(S::verify_path(&journal).unwrap().entries, (BASE + BATCH) as u64);

    let seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64 | 1;
    let mut rng = Rng(seed);
    let (mut none, mut all, mut torn) = (0, 0, 0);
    let started = Instant::now();
    for kill in 0..KILLS {
        std::fs::copy(&pristine, &journal).unwrap();
        let mut child = append(&journal, &batch_file).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
        let micros = u64::try_from(full.as_micros()).unwrap();
        std::thread::sleep(Duration::from_micros(rng.below(micros)));
        child.kill().unwrap(); // SIGKILL; a no-op when the child has already exited
        let acknowledged = child.wait().unwrap().success();
        let at = format!("seed {seed}, kill {kill}");

        let len = match S::open(&journal) {
            Ok(j) => j.len(),
            Err(JournalError::Torn { tail, .. }) => {
                torn += 1;
                assert_eq!(tail.from_seq, BASE as u64 + 1, "{at}: the whole batch is torn, nothing before it");
                let o = ismap(&["registry", "truncate-torn", "-j", s(&journal)]);
                assert_eq!(o.status.code(), Some(0), "{at}: {}", stderr(&o));
                S::open(&journal).unwrap().len()
            }
            Err(e) => panic!("{at}: {e}"),
        };
        // `open` verified the chain; entry #110 still has its hash, so (by the chain) every
        // acknowledged entry before it is unchanged.
        let mut scan = ScanOptions::new().watch(BASE as u64);
        let report = S::scan_path(&journal, &mut scan).unwrap();
        assert!(report.valid && report.entries == len, "{at}: {report:?}");
        assert_eq!(scan.watched(), Some(base_head), "{at}: acknowledged entries");
        if len == BASE as u64 {
            assert!(!acknowledged, "{at}: the child reported success but its batch is missing");
            none += 1;
        } else {
            assert_eq!(len, (BASE + BATCH) as u64, "{at}: part of the batch");
            all += 1;
        }
    }
    eprintln!(
        "{}: {KILLS} kills over {full:?} appends (seed {seed}): {none} without the batch, {all} with all of it, \
         {torn} torn tail(s) removed; {:?}",
        S::KIND,
        started.elapsed()
    );
}

#[test]
fn a_killed_batch_append_leaves_none_or_all_of_it_jsonl() {
    crash_loop::<JsonlJournal>("journal.jsonl");
}

#[test]
fn a_killed_batch_append_leaves_none_or_all_of_it_sqlite() {
    crash_loop::<SqliteJournal>("journal.sqlite");
}
