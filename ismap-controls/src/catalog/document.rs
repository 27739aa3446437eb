//! The catalog's file format: plain serde structs, nested as parts → domains → categories →
//! objectives → detailed controls. [`crate::Catalog::from_document`] turns one into a catalog
//! that cannot be invalid.

use chrono::NaiveDate;
use ismap_model::{CriteriaPart, DocumentVersion, Text};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Whether a catalog lists every detailed control, or only the structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Completeness {
    /// Every item of the criteria is listed, with a title. Unknown ids in a statement are errors.
    Complete,
    /// Parts, domains, categories, objectives and the mandatory detailed controls only; optional
    /// detailed controls are absent, titles may be missing. Unknown ids in a statement are warnings.
    StructureOnly,
}

/// A reference to the clause of a standard an item derives from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct SourceRef {
    /// The standard, e.g. `ISO/IEC 27002:2013`.
    pub standard: String,
    /// The clause within it, e.g. `8.1.2` or `CLD.6.3.1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clause: Option<String>,
}

impl SourceRef {
    /// A reference to `clause` of `standard`.
    #[must_use]
    pub fn new(standard: impl Into<String>, clause: Option<String>) -> Self {
        Self { standard: standard.into(), clause }
    }
}

/// A catalog file: ISMAP control criteria (管理基準) as data.
///
/// Ids are read as strings here so that the loader can report every bad id at once, each with its
/// JSON path, instead of stopping at the first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "ISMAP catalog")]
#[non_exhaustive]
pub struct CatalogDocument {
    /// Format version of this document. Absent in documents written before format versions
    /// (version 0): the loaders read those and upgrade them.
    #[serde(
        default = "DocumentVersion::<1>::unversioned",
        skip_serializing_if = "DocumentVersion::<1>::is_unversioned"
    )]
    pub format_version: DocumentVersion<1>,
    /// The catalog's name.
    pub name: Text,
    /// The catalog's version (semver), e.g. `2022.4.1` for the revision of 2022-04-01.
    pub version: String,
    /// The date the criteria took effect.
    #[serde(deserialize_with = "ismap_model::strict::date")]
    pub effective: NaiveDate,
    /// Whether every item is listed.
    pub completeness: Completeness,
    /// Where the identifiers come from (free text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The parts: governance, management, controls.
    pub parts: Vec<PartDocument>,
}

/// One part of the criteria.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct PartDocument {
    /// Which part.
    pub part: CriteriaPart,
    /// Its domains.
    pub domains: Vec<DomainDocument>,
}

/// Fields every node has.
macro_rules! node_document {
    ($(#[$m:meta])* $name:ident { $(#[$cm:meta])* $children:ident : $child:ty }) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
        #[serde(deny_unknown_fields)]
        #[non_exhaustive]
        pub struct $name {
            /// The id, e.g. `8.1.2`.
            pub id: String,
            /// The title, in the project's own words. Required in complete catalogs.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub title: Option<Text>,
            /// Clauses of standards the item derives from.
            #[serde(default, skip_serializing_if = "Vec::is_empty")]
            pub refs: Vec<SourceRef>,
            $(#[$cm])*
            #[serde(default, skip_serializing_if = "Vec::is_empty")]
            pub $children: Vec<$child>,
        }
    };
}

node_document!(
    /// A domain (one number), e.g. `8` asset management.
    DomainDocument {
        /// Its categories.
        categories: CategoryDocument
    }
);
node_document!(
    /// A category (two numbers), e.g. `8.1` or `6.3.P`.
    CategoryDocument {
        /// Its control objectives.
        objectives: ObjectiveDocument
    }
);
node_document!(
    /// A control objective (three numbers), e.g. `8.1.2`.
    ObjectiveDocument {
        /// Its detailed controls.
        controls: DetailedDocument
    }
);

/// A detailed control (four numbers), e.g. `8.1.2.7.PB`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct DetailedDocument {
    /// The id, e.g. `8.1.2.7.PB`.
    pub id: String,
    /// The title, in the project's own words. Required in complete catalogs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<Text>,
    /// Clauses of standards the item derives from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refs: Vec<SourceRef>,
    /// Whether the control is mandatory. Optional: derived from the `B` suffix (and the part) when
    /// absent; when present it must agree with them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mandatory: Option<bool>,
    /// Whether the control is cloud-specific. Optional: derived from the `P` suffix when absent;
    /// when present it must agree with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloud_specific: Option<bool>,
}

impl DetailedDocument {
    /// A detailed control with only an id.
    #[must_use]
    pub fn new(id: impl Into<String>) -> Self {
        Self { id: id.into(), title: None, refs: Vec::new(), mandatory: None, cloud_specific: None }
    }
}

impl ObjectiveDocument {
    /// An objective with an id and detailed controls.
    #[must_use]
    pub fn new(id: impl Into<String>, title: Option<Text>, controls: Vec<DetailedDocument>) -> Self {
        Self { id: id.into(), title, refs: Vec::new(), controls }
    }
}

impl CategoryDocument {
    /// A category with an id and objectives.
    #[must_use]
    pub fn new(id: impl Into<String>, title: Option<Text>, objectives: Vec<ObjectiveDocument>) -> Self {
        Self { id: id.into(), title, refs: Vec::new(), objectives }
    }
}

impl DomainDocument {
    /// A domain with an id and categories.
    #[must_use]
    pub fn new(id: impl Into<String>, title: Option<Text>, categories: Vec<CategoryDocument>) -> Self {
        Self { id: id.into(), title, refs: Vec::new(), categories }
    }
}

impl PartDocument {
    /// A part with its domains.
    #[must_use]
    pub const fn new(part: CriteriaPart, domains: Vec<DomainDocument>) -> Self {
        Self { part, domains }
    }
}

impl CatalogDocument {
    /// A catalog document.
    #[must_use]
    pub fn new(
        name: Text,
        version: impl Into<String>,
        effective: NaiveDate,
        completeness: Completeness,
        parts: Vec<PartDocument>,
    ) -> Self {
        Self {
            format_version: DocumentVersion::current(),
            name,
            version: version.into(),
            effective,
            completeness,
            source: None,
            parts,
        }
    }
}
