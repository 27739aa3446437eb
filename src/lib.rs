//! `ismap`: the ISMAP control criteria, statement conformance and CYDER exercise scenarios as
//! Rust libraries. This crate re-exports the member crates and holds the `ismap` command-line tool
//! (feature `cli`, on by default).
//!
//! ```
//! use ismap::controls::{Assessment, Baseline, Catalog, Statement, Verdict};
//!
//! // The embedded 2022-04-01 criteria structure and the embedded sample statement.
//! let catalog = Catalog::ismap_2022();
//! let statement = Statement::try_sample()?;
//! let report = Assessment::new(catalog, &Baseline::ismap()).assess(&statement);
//! assert_eq!(report.verdict, Verdict::NotConformant);
//! for finding in report.findings.iter().take(3) {
//!     println!("{} {:?}: {}", finding.rule, finding.control, finding.message.get(ismap::model::Lang::En));
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Crates
//! - [`model`] (`ismap-model`): ids, bilingual text, services, periods, Japanese dates.
//! - [`controls`] (`ismap-controls`): the catalog, statements, baselines, the conformance engine.
//! - [`cyder_scenario`] (`cyder-scenario`): CYDER exercise scenarios, analyses, scoring, reports.
//! - [`workflow`] (`ismap-workflow`): the registration lifecycle, the journal, the cloud service lists.
//! - [`schema`]: the JSON Schemas of every public document, as committed under `schemas/`.

pub use cyder_scenario;
pub use ismap_controls as controls;
pub use ismap_model as model;
pub use ismap_workflow as workflow;

pub mod render;
pub mod schema;

/// The README's examples, compiled and run as doctests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
