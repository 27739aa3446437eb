//! The registration workflow on a synthetic journal of 1,000,000 events over 10,000 services
//! (plus 10 audit-institution listings): JSON Lines deserialization alone, replay through the
//! state machine (with and without hash-chain verification), and the cloud service list
//! projection on a date.
//!
//! Target (issue 3): replay is no slower than twice the JSON Lines deserialization of the same
//! file. Compare `workflow/deserialize_jsonl` with `workflow/replay_jsonl`; the ratio is also
//! printed at the end (median of 3 timed runs each).
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, reason = "benchmark")]

use std::fs::File;
use std::hint::black_box;
use std::io::{BufReader, BufWriter};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use criterion::{Criterion, SamplingMode, Throughput};
use ismap::model::Program;
use ismap::workflow::chrono::NaiveDate;
use ismap::workflow::{ListFilter, Registry, WorkflowRules, read_lines_unverified, synthetic, verify_lines};

const SERVICES: usize = 10_000;
const PER_SERVICE: usize = 100;

fn journal() -> (PathBuf, u64) {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("workflow-{SERVICES}x{PER_SERVICE}.jsonl"));
    let expected = (SERVICES * PER_SERVICE + synthetic::INSTITUTIONS) as u64;
    let count = || read_lines_unverified(BufReader::new(File::open(&path).unwrap()), |_| {}).ok();
    if path.exists() && count() == Some(expected) {
        return (path, expected);
    }
    let t = Instant::now();
    let n = synthetic::write_journal(BufWriter::new(File::create(&path).unwrap()), SERVICES, PER_SERVICE).unwrap();
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
    let report = verify_lines(BufReader::new(File::open(path).unwrap()), |e| {
        if let Err(x) = r.apply(&e.event) {
            err.get_or_insert(x);
        }
    })
    .unwrap();
    assert!(report.is_ok() && err.is_none());
    r
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
    let on = NaiveDate::from_ymd_opt(2021, 6, 1).unwrap();
    let registry = replay(&path);
    assert_eq!(registry.services().len(), SERVICES);

    let mut c = Criterion::default().configure_from_args();
    {
        let mut g = c.benchmark_group("workflow");
        g.sample_size(10).sampling_mode(SamplingMode::Flat).measurement_time(Duration::from_secs(15));
        g.throughput(Throughput::Elements(n));
        g.bench_function("deserialize_jsonl", |b| b.iter(|| deserialize(&path)));
        g.bench_function("replay_jsonl", |b| b.iter(|| replay(&path)));
        g.bench_function("replay_jsonl_verified", |b| b.iter(|| replay_verified(&path)));
        g.throughput(Throughput::Elements(SERVICES as u64));
        g.sampling_mode(SamplingMode::Auto).measurement_time(Duration::from_secs(5));
        g.bench_function("list_projection", |b| {
            b.iter(|| black_box(registry.cloud_service_list(Program::Ismap, on, &ListFilter::new())).entries.len())
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
    let list = registry.cloud_service_list(Program::Ismap, on, &ListFilter::new());
    println!(
        "workflow: {n} entries, {} services; deserialize {de:.2?}, replay {re:.2?} (ratio {:.2}, target <= 2.00), \
         verified replay {rv:.2?} (ratio {:.2}); ISMAP list on {on}: {} rows",
        registry.services().len(),
        re.as_secs_f64() / de.as_secs_f64(),
        rv.as_secs_f64() / de.as_secs_f64(),
        list.entries.len()
    );
}
