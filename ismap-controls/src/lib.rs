//! The ISMAP control criteria (管理基準) as a typed catalog, the statement (言明書) model, baselines
//! and agency additions, and the conformance engine that checks a statement rule by rule.
//!
//! ```
//! use ismap_controls::{Assessment, Baseline, Catalog, Statement};
//!
//! let catalog = Catalog::ismap_2022();
//! let statement = Statement::try_sample()?;
//! let report = Assessment::new(catalog, &Baseline::ismap()).assess(&statement);
//! println!("{}: {} finding(s)", report.verdict, report.findings.len());
//! assert!(report.findings.iter().any(|f| f.rule.id() == "basic-requirement-not-selected"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod catalog;

pub use catalog::{
    Catalog, CatalogDiff, CatalogDocument, CatalogError, CatalogProblem, CatalogRevision, CatalogValidation,
    Completeness, DiffItem, Node, Renumbering, Requirement, Severity, UnknownRevision,
};
mod assess;
mod baseline;
#[cfg(any(feature = "oscal", feature = "spreadsheet"))]
pub mod import;
mod listing;
mod migrate;
#[cfg(feature = "oscal")]
pub mod oscal;
mod read;
mod report;
mod rules;
pub mod statement;

pub use assess::Assessment;
pub use baseline::{AgencyAdditions, AgencyRequirement, Baseline, BaselineKind, RequirementId};
pub use listing::{ServiceListings, UnderlyingListing};
pub use migrate::StatementMigration;
pub use report::{
    AssessmentReport, AuditScopeSummary, CatalogSummary, DomainSummary, Finding, PartSummary, REPORT_FORMAT_VERSION,
    Tally, Verdict,
};
pub use rules::Rule;
/// The version type of catalog versions and statements' `catalog_version`.
pub use semver;
pub use statement::{
    Selection, SelectionStatus, Statement, StatementError, StatementProblem, StatementProblems, StatementValidation,
};
#[cfg(feature = "spreadsheet")]
pub mod workbook;
