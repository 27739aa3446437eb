//! OSCAL benchmarks on NIST SP 800-53 rev5 (5.0.1): loading the 3.2 MB catalog into the typed
//! model versus `serde_json::Value` on the same bytes (target: typed within 2x), and resolving
//! the HIGH baseline profile (target: under 50 ms).
//!
//! The data is read from `../shared/data/oscal/nist-sp800-53-rev5.0.1/` (relative to the
//! workspace root) or from `$ISMAP_SHARED_DATA`.
#![allow(
    missing_docs,
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    reason = "benchmarking: missing data is a setup error"
)]

use std::path::PathBuf;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ismap::controls::oscal;
use ismap::controls::oscal::resolve::{ResolveOptions, resolve_file};

const SUBDIR: &str = "data/oscal/nist-sp800-53-rev5.0.1";
const CATALOG: &str = "NIST_SP-800-53_rev5_catalog.json";

fn data_dir() -> PathBuf {
    let mut candidates = Vec::new();
    if let Ok(v) = std::env::var("ISMAP_SHARED_DATA") {
        candidates.push(PathBuf::from(&v).join(SUBDIR));
        candidates.push(PathBuf::from(v));
    }
    candidates.push(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared").join(SUBDIR));
    candidates
        .iter()
        .find(|c| c.join(CATALOG).is_file())
        .cloned()
        .unwrap_or_else(|| panic!("NIST OSCAL data not found in {candidates:?}; set ISMAP_SHARED_DATA"))
}

fn load(c: &mut Criterion) {
    let text = std::fs::read_to_string(data_dir().join(CATALOG)).expect("read catalog");
    let mut g = c.benchmark_group("oscal_load_catalog_3.2MB");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.sample_size(30);
    g.bench_function("typed", |b| {
        b.iter(|| {
            let cat = oscal::load_catalog_str(std::hint::black_box(&text)).expect("typed");
            std::hint::black_box(cat.groups.len())
        });
    });
    g.bench_function("serde_json_value", |b| {
        b.iter(|| {
            let v: serde_json::Value = serde_json::from_str(std::hint::black_box(&text)).expect("value");
            std::hint::black_box(v.is_object())
        });
    });
    g.finish();
}

fn resolve(c: &mut Criterion) {
    let profile = data_dir().join("NIST_SP-800-53_rev5_HIGH-baseline_profile.json");
    let opts = ResolveOptions::fixed("2026-01-01T00:00:00Z", "e3b0c442-98fc-4c14-9afb-f4c8996fb924");
    let r = resolve_file(&profile, &opts).expect("resolve HIGH");
    assert_eq!(r.catalog.all_controls().len(), 370);
    let mut g = c.benchmark_group("oscal_resolve");
    g.sample_size(20);
    g.bench_function("high_baseline", |b| {
        b.iter(|| std::hint::black_box(resolve_file(&profile, &opts).expect("resolve").catalog.groups.len()));
    });
    g.finish();
}

criterion_group!(benches, load, resolve);
criterion_main!(benches);
