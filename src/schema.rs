//! JSON Schemas (draft 2020-12, pinned) for every public document type, as committed under
//! `schemas/`. Each schema has a stable `$id` carrying its format version.
//!
//! # Two layers
//! A document is checked in two layers. The **schema layer** is what these JSON Schemas express,
//! and the Rust types' serde implementations accept exactly what the schemas accept (the
//! agreement tests in `tests/agreement/` check this on samples, an invalid corpus and random
//! mutations). The **semantic layer** is every rule a JSON Schema cannot express (comparing two
//! values, a check digit, uniqueness of ids within a list, references between parts of a
//! document): [`SEMANTIC_CHECKS`] lists them, and each schema's `description` names the ones that
//! apply to it.

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

/// Where a semantic check runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Layer {
    /// While reading: the Rust type's deserializer rejects the document, although the schema
    /// accepts it.
    Serde,
    /// After reading: the validating loader or validator (e.g. `Catalog::from_document`,
    /// `AgencyAdditions::from_json_str`, `cyder_scenario::validate`, journal verification)
    /// reports it.
    Loader,
}

/// A rule the library enforces on a document that its JSON Schema cannot express.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct SemanticCheck {
    /// A stable id, e.g. `period-order`.
    pub id: &'static str,
    /// The schemas (file stems) it applies to.
    pub documents: &'static [&'static str],
    /// Where it runs.
    pub layer: Layer,
    /// What it requires.
    pub description: &'static str,
}

/// Every document the library reads (each has a serde reader).
const READ: &[&str] = &[
    "catalog",
    "statement",
    "agency-additions",
    "baseline",
    "assessment-report",
    "column-mapping",
    "statement-template",
    "statement-mapping",
    "cyder-scenario",
    "cyder-action-log",
    "cyder-validation-report",
    "cyder-analysis",
    "cyder-after-action-report",
    "cyder-score-card",
    "registration-event",
    "journal-entry",
    "journal-checkpoint",
    "workflow-rules",
    "settings",
];

/// The semantic layer: every check beyond the schemas, serde-level ones first.
pub const SEMANTIC_CHECKS: &[SemanticCheck] = &[
    SemanticCheck {
        id: "period-order",
        documents: &["statement", "assessment-report", "registration-event", "journal-entry"],
        layer: Layer::Serde,
        description: "an assessment period's `start` is not after its `end`",
    },
    SemanticCheck {
        id: "corporate-number-check-digit",
        documents: &["statement", "registration-event", "journal-entry"],
        layer: Layer::Serde,
        description: "a corporate number's first digit is its check digit (9 - weighted sum mod 9)",
    },
    SemanticCheck {
        id: "calendar-date",
        documents: &["cyder-action-log"],
        layer: Layer::Serde,
        description: "a local date-time's day exists (February 29 only in leap years)",
    },
    SemanticCheck {
        id: "integer-without-fraction",
        documents: READ,
        layer: Layer::Serde,
        description: "integers are written without a fraction (`30`, not `30.0`, which JSON Schema counts as an integer)",
    },
    SemanticCheck {
        id: "catalog-structure",
        documents: &["catalog"],
        layer: Layer::Loader,
        description: "ids are well-formed, unique, nest under their parent and sit in the right part; \
                      `mandatory`/`cloud_specific` agree with the id's suffix; a complete catalog has every title",
    },
    SemanticCheck {
        id: "baseline-consistency",
        documents: &["baseline"],
        layer: Layer::Loader,
        description: "`kind` and `program` go together (ismap with ISMAP, liu with ISMAP-LIU), and an ISMAP \
                      baseline has no `external_audit_scope` (Baseline::from_json_str)",
    },
    SemanticCheck {
        id: "unique-requirement-ids",
        documents: &["agency-additions"],
        layer: Layer::Loader,
        description: "requirement ids are unique",
    },
    SemanticCheck {
        id: "column-mapping-consistency",
        documents: &["column-mapping"],
        layer: Layer::Loader,
        description: "the catalog version is semver and the mapped columns are distinct",
    },
    SemanticCheck {
        id: "scenario-validation",
        documents: &["cyder-scenario", "cyder-action-log"],
        layer: Layer::Loader,
        description: "ids are unique, every reference (hosts, steps, tasks, artefacts, injects) resolves, \
                      technique ids are ATT&CK ids (`T1566`, `T1566.001`), a team has 1 to 4 members and the attack graph is acyclic \
                      (cyder_scenario::validate, ActionLog::check)",
    },
    SemanticCheck {
        id: "journal-chain",
        documents: &["journal-entry"],
        layer: Layer::Loader,
        description: "sequence numbers follow each other, `prev` is the previous entry's hash, `hash` is \
                      recomputed (over the entry's `format_version` when it has one, `seq` and `event`), and each \
                      line is canonical",
    },
    SemanticCheck {
        id: "lifecycle-rules",
        documents: &["registration-event", "journal-entry"],
        layer: Layer::Loader,
        description: "an event is legal in the service's state (Registry::apply)",
    },
];

/// Unsigned integers get their upper bound too (schemars writes only `minimum: 0`), so that the
/// schema rejects what the Rust type cannot hold.
fn bound_unsigned(schema: &mut Schema) {
    let max: Option<u64> = match schema.get("format").and_then(|f| f.as_str()) {
        Some("uint8") => Some(u8::MAX.into()),
        Some("uint16") => Some(u16::MAX.into()),
        Some("uint32") => Some(u32::MAX.into()),
        Some("uint64" | "uint") => Some(u64::MAX),
        _ => None,
    };
    if let Some(max) = max {
        schema.insert("maximum".to_owned(), max.into());
    }
    schemars::transform::transform_subschemas(&mut bound_unsigned, schema);
}

fn document<T: JsonSchema>(name: &'static str, version: u32) -> DocumentSchema {
    let mut settings = SchemaSettings::draft2020_12();
    settings.transforms.push(Box::new(bound_unsigned));
    let mut schema = settings.into_generator().into_root_schema_for::<T>();
    schema.insert("$id".to_owned(), schema_id(name, version).into());
    let checks: Vec<String> = SEMANTIC_CHECKS
        .iter()
        .filter(|c| c.documents.contains(&name))
        .map(|c| {
            let layer = match c.layer {
                Layer::Serde => "reader",
                Layer::Loader => "loader",
            };
            format!("- `{}` ({layer}): {}", c.id, c.description)
        })
        .collect();
    if !checks.is_empty() {
        let base = schema.get("description").and_then(|d| d.as_str()).unwrap_or_default().to_owned();
        let sep = if base.is_empty() { "" } else { "\n\n" };
        let text = format!("{base}{sep}Checked beyond this schema (semantic layer):\n{}", checks.join("\n"));
        schema.insert("description".to_owned(), text.into());
    }
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
        document::<c::CatalogValidation>("catalog-validation-report", 1),
        document::<c::workbook::StatementTemplate>("statement-template", 1),
        document::<c::workbook::StatementMapping>("statement-mapping", 1),
        document::<c::StatementValidation>("statement-validation-report", 1),
        document::<c::CatalogDiff>("catalog-diff", 1),
        document::<cyder_scenario::ScenarioDocument>("cyder-scenario", 1),
        document::<cyder_scenario::ActionLog>("cyder-action-log", 1),
        document::<cyder_scenario::ValidationReport>("cyder-validation-report", 1),
        document::<cyder_scenario::Analysis>("cyder-analysis", 1),
        document::<cyder_scenario::AfterActionReport>("cyder-after-action-report", 1),
        document::<cyder_scenario::ScoreCard>("cyder-score-card", 1),
        document::<ismap_workflow::Event>("registration-event", ismap_workflow::EVENT_FORMAT_VERSION),
        document::<ismap_workflow::JournalEntry>("journal-entry", ismap_workflow::JOURNAL_FORMAT_VERSION),
        document::<ismap_workflow::CloudServiceList>("cloud-service-list", 1),
        document::<ismap_workflow::ServiceStatus>("service-status", 1),
        document::<ismap_workflow::Deadlines>("registration-deadlines", 1),
        document::<ismap_workflow::ProcurementDecision>("procurement-decision", 1),
        document::<ismap_workflow::VerifyReport>("journal-verify-report", 1),
        document::<ismap_workflow::Checkpoint>("journal-checkpoint", ismap_workflow::CHECKPOINT_FORMAT_VERSION),
        document::<ismap_workflow::WorkflowRules>("workflow-rules", 1),
        document::<ismap_workflow::Settings>("settings", 1),
    ]
}
