//! Scale probe for `cyder-scenario`: builds a synthetic scenario (`ordinary` or `and-chain`) of N
//! attack steps, then times validation and every analysis but attack-path enumeration, once.
//! Used with `/usr/bin/time -v` to measure the peak resident set size (criterion measures times:
//! `benches/cyder.rs`).
//!
//! Run: `cargo run --profile bench --example cyder_scale -- 1000000 [ordinary|and-chain] [--json] [--doc-only]`
//! (`--json`: serialize the document and load it from the JSON text; `--doc-only`: build the
//! document and stop, to see what the document alone takes).

use std::time::Instant;

use ismap::cyder_scenario::{AnalysisOptions, Format, Scenario, load_scenario, synthetic};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let shape = args.get(2).map_or("ordinary", String::as_str);
    let doc = if shape == "and-chain" { synthetic::and_chain(n, 42) } else { synthetic::scenario(n, 42) };
    if args.iter().any(|a| a == "--doc-only") {
        println!("doc built: {} steps", doc.attack_steps.len());
        return Ok(());
    }
    let options = AnalysisOptions { enumerate_paths: false, exact_blocking_limit: 0, ..AnalysisOptions::default() };
    let t = Instant::now();
    let s = if args.iter().any(|a| a == "--json") {
        let text = serde_json::to_string(&doc)?;
        drop(doc);
        let t = Instant::now();
        let s = load_scenario(&text, Format::Json)?;
        eprintln!("load from {} MB JSON: {:.1} ms", text.len() / 1_000_000, t.elapsed().as_secs_f64() * 1e3);
        s
    } else {
        Scenario::new(doc)?
    };
    let v = t.elapsed();
    let a = s.analyze(&options);
    let total = t.elapsed();
    println!(
        "n={n} shape={shape} validate {:.1} ms, validate+analyze {:.1} ms, blocking {:?} tasks, method {:?}",
        v.as_secs_f64() * 1e3,
        total.as_secs_f64() * 1e3,
        a.blocking_set.tasks.len(),
        a.blocking_set.method
    );
    Ok(())
}
