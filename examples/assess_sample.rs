//! Assess the embedded sample statement against the embedded 2022-04-01 catalog and print the
//! verdict, the counts per part and every error. Run: `cargo run --example assess_sample`.

use ismap::controls::{Assessment, Baseline, Catalog, Severity, Statement};
use ismap::model::Lang;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let catalog = Catalog::ismap_2022();
    let statement = Statement::try_sample()?;
    let report = Assessment::new(catalog, &Baseline::ismap()).assess(&statement);

    println!("{}: {}", report.service.get(Lang::En), report.verdict);
    for part in &report.parts {
        let t = &part.tally;
        println!(
            "  {:<20} selected {:>3}, inherited {:>2}, excluded {}, errors {}",
            part.part.name().get(Lang::En),
            t.selected,
            t.inherited,
            t.excluded,
            t.errors
        );
    }
    for f in report.with_severity(Severity::Error) {
        let item = f.control.map(|c| c.to_string()).unwrap_or_default();
        println!("  {item:<13} {:<31} {}", f.rule.id(), f.message.get(Lang::En));
    }
    Ok(())
}
