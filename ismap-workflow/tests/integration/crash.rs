//! Crash test: a child process appends in a loop and is killed with SIGKILL at random points;
//! afterwards every acknowledged entry is present and the journal verifies.
//!
//! The child is this same test binary re-executed (`std::env::current_exe`) running the ignored
//! test `crash::child_appender`, which appends until killed and prints `ACK <seq> <hash>` after
//! each append returns.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use ismap_workflow::{JournalError, JournalStore, JsonlJournal, SqliteJournal, sample_entries};

use crate::support::{Rng, process_lock, temp_dir};

const CHILD_ENV: &str = "ISMAP_WORKFLOW_CRASH_CHILD";
const KILLS: usize = 50;

fn append_forever<S: JournalStore>(path: &Path) {
    let events: Vec<_> = sample_entries().unwrap().into_iter().map(|e| e.event).collect();
    let mut j = S::open(path).unwrap();
    let out = std::io::stdout();
    loop {
        let i = usize::try_from(j.len()).unwrap() % events.len();
        let entry = j.append(&events[i]).unwrap();
        let mut o = out.lock();
        writeln!(o, "ACK {} {}", entry.seq, entry.hash).unwrap();
        o.flush().unwrap();
    }
}

/// Not a test of its own: the child process of [`crash_jsonl`] and [`crash_sqlite`].
#[test]
#[ignore = "child process of the crash tests"]
fn child_appender() {
    let Ok(spec) = std::env::var(CHILD_ENV) else { return };
    let (kind, path) = spec.split_once(':').unwrap();
    match kind {
        "jsonl" => append_forever::<JsonlJournal>(Path::new(path)),
        "sqlite" => append_forever::<SqliteJournal>(Path::new(path)),
        other => panic!("unknown store {other}"),
    }
}

fn crash_loop<S: JournalStore>(file: &str) {
    let _g = process_lock();
    let seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64;
    let mut rng = Rng::new(seed);
    let path = temp_dir(&format!("crash-{}", S::KIND)).join(file);
    let exe = std::env::current_exe().unwrap();
    let mut acked: Vec<(u64, String)> = Vec::new();
    let mut torn = 0;
    let started = Instant::now();
    for kill in 0..KILLS {
        let mut child = Command::new(&exe)
            .args(["--ignored", "--exact", "crash::child_appender", "--nocapture", "--test-threads=1"])
            .env(CHILD_ENV, format!("{}:{}", S::KIND, path.display()))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(rest) = line.strip_prefix("ACK ") {
                    let (seq, hash) = rest.split_once(' ').unwrap();
                    let _ = tx.send((seq.parse::<u64>().unwrap(), hash.to_owned()));
                }
            }
        });
        // Wait until the child is appending, then let it run for a random while and kill it.
        let first = rx.recv_timeout(Duration::from_secs(20)).unwrap_or_else(|_| panic!("child {kill} never acked"));
        std::thread::sleep(Duration::from_micros(rng.below(20_000)));
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        reader.join().unwrap();
        acked.push(first);
        acked.extend(rx.try_iter());

        // Recovery: a torn tail is reported, then removed explicitly; nothing else is touched.
        match S::open(&path) {
            Ok(_) => {}
            Err(JournalError::Torn { .. }) => {
                torn += 1;
                assert!(S::truncate_torn_tail(&path).unwrap().is_some());
            }
            Err(e) => panic!("seed {seed}, kill {kill}: {e}"),
        }
        let report = S::verify_path(&path).unwrap();
        assert!(report.is_ok(), "seed {seed}, kill {kill}: {report:?}");
    }
    let entries = S::read_path(&path).unwrap();
    for (seq, hash) in &acked {
        let e =
            entries.get(usize::try_from(*seq).unwrap() - 1).unwrap_or_else(|| panic!("seed {seed}: acked {seq} lost"));
        assert_eq!(&e.hash.to_string(), hash, "seed {seed}: entry {seq}");
    }
    assert!(acked.len() >= KILLS);
    eprintln!(
        "{}: {KILLS} kills, {} acknowledged, {} entries, {torn} torn tail(s), {:?}",
        S::KIND,
        acked.len(),
        entries.len(),
        started.elapsed()
    );
}

#[cfg(unix)]
#[test]
fn crash_jsonl() {
    crash_loop::<JsonlJournal>("journal.jsonl");
}

#[cfg(unix)]
#[test]
fn crash_sqlite() {
    crash_loop::<SqliteJournal>("journal.sqlite");
}
