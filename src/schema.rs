//! JSON Schemas (draft 2020-12, pinned) for every public document type, as committed under
//! `schemas/`. Each schema has a stable `$id` carrying its format version.

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema};

/// One document type and its schema.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct DocumentSchema {
    /// File stem under `schemas/`, e.g. `catalog` for `schemas/catalog.schema.json`.
    pub name: &'static str,
    /// Format version carried in the `$id`.
    pub version: u32,
    /// The schema.
    pub schema: Schema,
}

impl DocumentSchema {
    /// The file name, e.g. `catalog.schema.json`.
    #[must_use]
    pub fn file_name(&self) -> String {
        format!("{}.schema.json", self.name)
    }

    /// The schema as pretty JSON with a trailing newline (the committed form).
    #[must_use]
    pub fn to_pretty_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(&self.schema).unwrap_or_default();
        s.push('\n');
        s
    }
}

/// The stable `$id` of a document schema.
#[must_use]
pub fn schema_id(name: &str, version: u32) -> String {
    format!("urn:ismap-rs:schema:{name}:{version}")
}

fn document<T: JsonSchema>(name: &'static str, version: u32) -> DocumentSchema {
    let mut schema = SchemaSettings::draft2020_12().into_generator().into_root_schema_for::<T>();
    schema.insert("$id".to_owned(), schema_id(name, version).into());
    DocumentSchema { name, version, schema }
}

/// Every public document type's schema, in a fixed order.
#[must_use]
pub fn all() -> Vec<DocumentSchema> {
    use ismap_controls as c;
    vec![
        document::<c::CatalogDocument>("catalog", 1),
        document::<c::Statement>("statement", 1),
        document::<c::AgencyAdditions>("agency-additions", 1),
        document::<c::Baseline>("baseline", 1),
        document::<c::AssessmentReport>("assessment-report", c::REPORT_FORMAT_VERSION),
        document::<c::import::ColumnMapping>("column-mapping", c::import::COLUMN_MAPPING_VERSION),
        document::<cyder_scenario::ScenarioDocument>("cyder-scenario", 1),
        document::<cyder_scenario::ActionLog>("cyder-action-log", 1),
        document::<cyder_scenario::ValidationReport>("cyder-validation-report", 1),
        document::<cyder_scenario::Analysis>("cyder-analysis", 1),
        document::<cyder_scenario::AfterActionReport>("cyder-after-action-report", 1),
        document::<ismap_workflow::Event>("registration-event", ismap_workflow::EVENT_FORMAT_VERSION),
        document::<ismap_workflow::JournalEntry>("journal-entry", ismap_workflow::EVENT_FORMAT_VERSION),
        document::<ismap_workflow::CloudServiceList>("cloud-service-list", ismap_workflow::EVENT_FORMAT_VERSION),
        document::<ismap_workflow::ServiceStatus>("service-status", 1),
        document::<ismap_workflow::Deadlines>("registration-deadlines", 1),
        document::<ismap_workflow::ProcurementDecision>("procurement-decision", 1),
        document::<ismap_workflow::VerifyReport>("journal-verify-report", 1),
        document::<ismap_workflow::WorkflowRules>("workflow-rules", 1),
    ]
}
