//! `cyder-scenario` on synthetic scenarios of 10k, 100k and 1M attack steps, in two shapes: the
//! ordinary generator ([`synthetic::scenario`]) and the AND-chain shape ([`synthetic::and_chain`]:
//! a chain of unblockable steps every goal needs under an AND join). Measured: validation and every
//! analysis except attack-path enumeration (bounded by its limits, not by the size), each analysis
//! alone at 10k and 100k, and loading from JSON text at 100k.
//!
//! Targets (issue 15): validation + analyses < 300 ms at 100k steps and < 3 s at 1M; growth no
//! worse than n log n from 10k to 1M (fit the exponent from the `validate_and_analyze` medians);
//! the AND-chain shape within 2x of the ordinary one of the same size. Peak memory is measured
//! with `/usr/bin/time -v` on `examples/cyder_scale.rs`.
//!
//! Run: `cargo bench --bench cyder -- --measurement-time 3` (filter with e.g. `cyder/100000`;
//! `CYDER_BENCH_MAX_STEPS=100000` leaves out the 1M sizes, whose documents take a while to build).
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{BatchSize, BenchmarkId, Criterion, criterion_group, criterion_main};
use ismap::cyder_scenario::{AnalysisOptions, Format, Scenario, ScenarioDocument, load_scenario, synthetic};

const SIZES: [usize; 3] = [10_000, 100_000, 1_000_000];

fn shapes(n: usize) -> [(&'static str, ScenarioDocument); 2] {
    [("ordinary", synthetic::scenario(n, 42)), ("and-chain", synthetic::and_chain(n, 42))]
}

/// One timed pass of everything, printed once per size and shape so the breakdown is easy to read.
fn breakdown(n: usize, shape: &str, doc: ScenarioDocument) {
    let edges: usize = doc.attack_steps.iter().map(|s| s.requires.len()).sum();
    let t = Instant::now();
    let s = Scenario::new(doc).expect("synthetic scenarios are valid");
    let mut parts = vec![("validate", t.elapsed())];
    let mut time = |name: &'static str, f: &dyn Fn()| {
        let t = Instant::now();
        f();
        parts.push((name, t.elapsed()));
    };
    time("layers", &|| drop(black_box(s.layers())));
    time("schedule", &|| drop(black_box(s.schedule())));
    time("goals", &|| drop(black_box(s.goal_reachability())));
    time("detection", &|| drop(black_box(s.earliest_detection())));
    time("choke_points", &|| drop(black_box(s.choke_points())));
    time("required_steps", &|| drop(black_box(s.required_steps(AnalysisOptions::default().required_steps_budget))));
    time("blocking_set", &|| drop(black_box(s.min_cut_blocking_set())));
    time("coverage", &|| drop(black_box(s.coverage())));
    let total: Duration = parts.iter().map(|p| p.1).sum();
    let list = parts.iter().map(|(k, d)| format!("{k} {:.1} ms", d.as_secs_f64() * 1e3)).collect::<Vec<_>>().join(", ");
    eprintln!(
        "cyder breakdown n={n} {shape} ({edges} edges, {} tasks): total {:.1} ms = {list}",
        s.document().tasks.len(),
        total.as_secs_f64() * 1e3
    );
}

fn bench(c: &mut Criterion) {
    let options = AnalysisOptions { enumerate_paths: false, exact_blocking_limit: 0, ..AnalysisOptions::default() };
    let max = std::env::var("CYDER_BENCH_MAX_STEPS").ok().and_then(|v| v.parse().ok()).unwrap_or(usize::MAX);
    for n in SIZES.into_iter().filter(|&n| n <= max) {
        let mut g = c.benchmark_group(format!("cyder/{n}"));
        if n >= 100_000 {
            g.sample_size(10);
        } else {
            g.sample_size(20);
        }
        for (shape, doc) in shapes(n) {
            breakdown(n, shape, doc.clone());
            g.bench_function(BenchmarkId::new(format!("validate_and_analyze/{shape}"), n), |b| {
                b.iter_batched(|| doc.clone(), |d| Scenario::new(d).unwrap().analyze(&options), BatchSize::LargeInput);
            });
            if n > 100_000 || shape != "ordinary" {
                continue;
            }
            let scenario = Scenario::new(doc.clone()).unwrap();
            g.bench_function(BenchmarkId::new("validate", n), |b| {
                b.iter_batched(|| doc.clone(), |d| Scenario::new(d).unwrap(), BatchSize::LargeInput);
            });
            g.bench_function(BenchmarkId::new("layers", n), |b| b.iter(|| scenario.layers()));
            g.bench_function(BenchmarkId::new("schedule", n), |b| b.iter(|| scenario.schedule()));
            g.bench_function(BenchmarkId::new("goals", n), |b| b.iter(|| scenario.goal_reachability()));
            g.bench_function(BenchmarkId::new("detection", n), |b| b.iter(|| scenario.earliest_detection()));
            g.bench_function(BenchmarkId::new("choke_points", n), |b| b.iter(|| scenario.choke_points()));
            let budget = AnalysisOptions::default().required_steps_budget;
            g.bench_function(BenchmarkId::new("required_steps", n), |b| b.iter(|| scenario.required_steps(budget)));
            g.bench_function(BenchmarkId::new("blocking_set", n), |b| b.iter(|| scenario.min_cut_blocking_set()));
            g.bench_function(BenchmarkId::new("coverage", n), |b| b.iter(|| scenario.coverage()));
            if n == 100_000 {
                let text = serde_json::to_string(&doc).unwrap();
                g.bench_function(BenchmarkId::new("load_json", n), |b| {
                    b.iter(|| load_scenario(black_box(&text), Format::Json).unwrap());
                });
            }
        }
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
