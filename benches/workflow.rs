//! The registration workflow on a synthetic journal of 1,000,000 events over 10,000 services
//! (plus 10 audit-institution listings; `ISMAP_BENCH_SERVICES` sets another number of services,
//! 100 events each): JSON Lines deserialization alone, replay through the state machine (with and
//! without hash-chain verification), the cloud service list projection on a date, and the
//! journal itself: chain verification side by side with SHA-256 of the same file, and a SQLite
//! batch append of 100,000 events in one transaction.
//!
//! Targets (issue 11): chain verification at least 0.7x the throughput of SHA-256 over the same
//! file (`journal/sha256_file` vs `journal/verify_chain`; `benches/journal-vs-sha256sum.sh` makes
//! the same comparison between whole processes, `ismap registry verify` and `sha256sum`); the
//! verified replay at most 1.2x the JSON Lines deserialization of the same file
//! (`workflow/replay_jsonl_verified` vs `workflow/deserialize_jsonl`); SQLite batch appends at
//! 50,000 events/s or more (`journal/sqlite_append_batch`). The ratios are printed at the end
//! (median of 3 timed runs each).
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, reason = "benchmark")]

use std::fs::File;
use std::hint::black_box;
use std::io::{BufReader, BufWriter, Read as _};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use criterion::{Criterion, SamplingMode, Throughput};
use ismap::model::Program;
use ismap::workflow::chrono::NaiveDate;
use ismap::workflow::{
    JournalStore, JsonlJournal, ListFilter, NewEvent, Registry, ScanOptions, SqliteJournal, WorkflowRules,
    read_lines_unverified, synthetic, verify_lines,
};
use sha2::Digest as _;

const PER_SERVICE: usize = 100;
/// Events appended in one SQLite batch.
const SQLITE_BATCH: usize = 100_000;

fn services() -> usize {
    std::env::var("ISMAP_BENCH_SERVICES").ok().and_then(|s| s.parse().ok()).unwrap_or(10_000)
}

fn journal() -> (PathBuf, u64) {
    let services = services();
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("workflow-{services}x{PER_SERVICE}.jsonl"));
    let expected = (services * PER_SERVICE + synthetic::INSTITUTIONS) as u64;
    let count = || read_lines_unverified(BufReader::new(File::open(&path).unwrap()), |_| {}).ok();
    if path.exists() && count() == Some(expected) {
        return (path, expected);
    }
    let t = Instant::now();
    let n = synthetic::write_journal(BufWriter::new(File::create(&path).unwrap()), services, PER_SERVICE).unwrap();
    assert_eq!(n, expected);
    eprintln!(
        "generated {} ({n} entries, {} MB) in {:?}",
        path.display(),
        std::fs::metadata(&path).unwrap().len() >> 20,
        t.elapsed()
    );
    (path, n)
}

fn deserialize(path: &PathBuf) -> u64 {
    read_lines_unverified(BufReader::new(File::open(path).unwrap()), |e| {
        black_box(e);
    })
    .unwrap()
}

fn replay(path: &PathBuf) -> Registry {
    let mut r = Registry::new(WorkflowRules::default());
    let mut err = None;
    read_lines_unverified(BufReader::new(File::open(path).unwrap()), |e| {
        if let Err(x) = r.apply(&e.event) {
            err.get_or_insert(x);
        }
    })
    .unwrap();
    assert!(err.is_none(), "{err:?}");
    r
}

fn replay_verified(path: &PathBuf) -> Registry {
    let mut r = Registry::new(WorkflowRules::default());
    let mut err = None;
    let report = verify_lines(BufReader::with_capacity(1 << 18, File::open(path).unwrap()), |e| {
        if let Err(x) = r.apply(&e.event) {
            err.get_or_insert(x);
        }
    })
    .unwrap();
    assert!(report.is_ok() && err.is_none());
    r
}

/// Hash chain and framing only, as `ismap registry verify --chain-only` (one streaming pass).
fn verify_chain(path: &std::path::Path) -> u64 {
    let report = JsonlJournal::scan_path(path, &mut ScanOptions::new()).unwrap();
    assert!(report.valid);
    report.entries
}

/// SHA-256 of the whole file, read in 256 KiB blocks: what `sha256sum` does.
fn sha256_file(path: &std::path::Path) -> [u8; 32] {
    let mut f = File::open(path).unwrap();
    let mut h = sha2::Sha256::new();
    let mut buf = vec![0u8; 1 << 18];
    loop {
        let n = f.read(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    h.finalize().into()
}

/// Appends `events` to a new SQLite journal in one batch (one transaction, durable on return).
fn sqlite_batch(dir: &std::path::Path, events: &[NewEvent], round: usize) -> u64 {
    let path = dir.join(format!("batch-{round}.sqlite"));
    let mut j = SqliteJournal::open(&path).unwrap();
    let n = j.append_batch(events).unwrap().entries.len() as u64;
    drop(j);
    std::fs::remove_file(&path).unwrap();
    n
}

fn median(mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..3)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    times[1]
}

fn main() {
    let (path, n) = journal();
    let bytes = std::fs::metadata(&path).unwrap().len();
    let on = NaiveDate::from_ymd_opt(2021, 6, 1).unwrap();
    let registry = replay(&path);
    assert_eq!(registry.services().len(), services());
    let batch: Vec<NewEvent> = synthetic::events(SQLITE_BATCH / PER_SERVICE, PER_SERVICE).map(NewEvent::new).collect();
    let scratch = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("journal-bench-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).unwrap();
    let mut round = 0;

    let mut c = Criterion::default().configure_from_args();
    {
        let mut g = c.benchmark_group("workflow");
        g.sample_size(10).sampling_mode(SamplingMode::Flat).measurement_time(Duration::from_secs(15));
        g.throughput(Throughput::Elements(n));
        g.bench_function("deserialize_jsonl", |b| b.iter(|| deserialize(&path)));
        g.bench_function("replay_jsonl", |b| b.iter(|| replay(&path)));
        g.bench_function("replay_jsonl_verified", |b| b.iter(|| replay_verified(&path)));
        g.throughput(Throughput::Elements(services() as u64));
        g.sampling_mode(SamplingMode::Auto).measurement_time(Duration::from_secs(5));
        g.bench_function("list_projection", |b| {
            b.iter(|| black_box(registry.cloud_service_list(Program::Ismap, on, &ListFilter::new())).entries.len())
        });
        g.finish();
    }
    {
        let mut g = c.benchmark_group("journal");
        g.sample_size(10).sampling_mode(SamplingMode::Flat).measurement_time(Duration::from_secs(15));
        g.throughput(Throughput::Bytes(bytes));
        g.bench_function("sha256_file", |b| b.iter(|| sha256_file(&path)));
        g.bench_function("verify_chain", |b| b.iter(|| verify_chain(&path)));
        g.throughput(Throughput::Elements(batch.len() as u64));
        g.bench_function("sqlite_append_batch", |b| {
            b.iter(|| {
                round += 1;
                sqlite_batch(&scratch, &batch, round)
            });
        });
        g.finish();
    }
    c.final_summary();

    let de = median(|| {
        black_box(deserialize(&path));
    });
    let re = median(|| {
        black_box(replay(&path));
    });
    let rv = median(|| {
        black_box(replay_verified(&path));
    });
    // Side by side, alternating, so that both see the same page cache and machine load.
    let (mut sha, mut chain) = (Vec::new(), Vec::new());
    for _ in 0..3 {
        sha.push(median(|| {
            black_box(sha256_file(&path));
        }));
        chain.push(median(|| {
            black_box(verify_chain(&path));
        }));
    }
    sha.sort();
    chain.sort();
    let (sha, chain) = (sha[1], chain[1]);
    let mbs = |d: Duration| bytes as f64 / d.as_secs_f64() / 1e6;
    let sq = median(|| {
        round += 1;
        black_box(sqlite_batch(&scratch, &batch, round));
    });
    std::fs::remove_dir_all(&scratch).unwrap();
    println!(
        "journal: {} MB; SHA-256 of the file {sha:.2?} ({:.0} MB/s), chain verification {chain:.2?} ({:.0} MB/s): \
         {:.2}x the SHA-256 throughput (target >= 0.70); SQLite batch of {} events in one transaction {sq:.2?} \
         ({:.0} events/s, target >= 50000)",
        bytes / 1_000_000,
        mbs(sha),
        mbs(chain),
        sha.as_secs_f64() / chain.as_secs_f64(),
        batch.len(),
        batch.len() as f64 / sq.as_secs_f64()
    );
    let list = registry.cloud_service_list(Program::Ismap, on, &ListFilter::new());
    println!(
        "workflow: {n} entries, {} services; deserialize {de:.2?}, replay {re:.2?} (ratio {:.2}), \
         verified replay {rv:.2?} (ratio {:.2}, target <= 1.20); ISMAP list on {on}: {} rows",
        registry.services().len(),
        re.as_secs_f64() / de.as_secs_f64(),
        rv.as_secs_f64() / de.as_secs_f64(),
        list.entries.len()
    );
}
