//! A tour of the registration workflow on the embedded sample journal: the cloud service list on
//! a date, the deadlines ahead, one service's validity, an illegal event refused with the rule it
//! breaks, and a procurement check combining the registry with a conformance report.
//!
//! Run: `cargo run --example registry_tour`
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "example code")]

use ismap::controls::{Assessment, Baseline, Catalog, Statement};
use ismap::model::{Lang, Program};
use ismap::workflow::chrono::{Days, NaiveDate};
use ismap::workflow::{Event, ListFilter, Registry, ServiceId, WorkflowRules, sample_entries, transitions};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let entries = sample_entries()?;
    let on = NaiveDate::from_ymd_opt(2025, 6, 1).expect("valid date");
    let registry = Registry::replay_until(WorkflowRules::default(), entries.iter().map(|e| &e.event), on)?;
    println!("{} journal entries, hash chain verified; as of {on}: {registry}", entries.len());

    for program in [Program::Ismap, Program::IsmapLiu] {
        let list = registry.cloud_service_list(program, on, &ListFilter::new());
        println!("\n{program} cloud service list ({} service(s)):", list.entries.len());
        for e in &list.entries {
            println!(
                "  {}  {:<20} expires {}  audited by {}",
                e.registration_number,
                e.name.get(Lang::En),
                e.expiry,
                e.audit_institution_name.as_ref().map_or("?", |n| n.get(Lang::En))
            );
        }
    }

    println!("\nDue in the next 90 days:");
    for d in registry.deadlines(on, on + Days::new(90)).deadlines {
        println!("  {}  {:<12} {}", d.due, d.service, d.kind.text().get(Lang::En));
    }

    // An illegal event: a renewal application with no renewal audit report.
    let hoshizora: ServiceId = "hoshizora-drive".parse()?;
    let event: Event = serde_json::from_str(
        r#"{"at":"2025-06-02T10:00:00+09:00","actor":{"role":"provider","name":{"en":"Hoshizora Technologies K.K."}},
            "kind":{"type":"renewalApplied","service":"hoshizora-drive"}}"#,
    )?;
    let err = registry.clone().apply(&event).expect_err("not allowed yet");
    println!("\nRefused: {}\n  ({})", err.text().get(Lang::En), err.text().get(Lang::Ja));

    // May an agency procure it? The registry says it is listed; the sample statement's
    // conformance report (ismap-controls) decides the rest.
    let report = Assessment::new(Catalog::ismap_2022(), &Baseline::ismap()).assess(&Statement::try_sample()?);
    let decision = registry.may_procure(&hoshizora, on, &report, &[]);
    println!("\nMay procure {hoshizora} on {on}? {}", if decision.allowed { "yes" } else { "no" });
    for f in &decision.findings {
        println!("  [{}] {}", if f.blocking { "blocking" } else { "note" }, f.message.get(Lang::En));
    }
    println!("\nThe lifecycle has {} transitions (`ismap registry graph` draws them).", transitions().len());
    Ok(())
}
