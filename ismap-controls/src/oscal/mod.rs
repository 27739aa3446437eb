//! NIST OSCAL interop (feature `oscal`): typed OSCAL 1.x catalogs, profiles and mapping
//! collections in JSON; profile resolution; export of the ISMAP catalog and baselines as OSCAL;
//! import of OSCAL catalogs into the ISMAP catalog model.
//!
//! - [`model`]: the catalog and profile types, [`mapping`]: mapping collections and
//!   [`mapping::Crosswalk`].
//! - [`load_catalog_str`], [`load_profile_str`], [`load_mapping_collection_str`],
//!   [`load_document_str`] and [`to_json`]: load and save (lossless: load -> save -> load gives
//!   the same value). The `*_with` loaders take [`Limits`]; the plain ones apply
//!   [`Limits::DEFAULT`].
//! - [`resolve`]: profile resolution following the OSCAL profile resolution specification.
//! - [`export`]: the ISMAP catalog as an OSCAL catalog, baselines and agency additions as
//!   profiles. [`import`]: OSCAL catalogs into [`crate::Catalog`] where their ids map.
//! - [`validate`]: checks beyond the JSON structure (identifier formats, uniqueness, references).
//! - [`ssp`]: an ISMAP statement as an OSCAL system security plan; [`results`]: its
//!   assessment as OSCAL assessment results.
//!
//! ```
//! use ismap_controls::{oscal, Catalog};
//! let exported = oscal::export::catalog(Catalog::ismap_2022(), &oscal::export::ExportOptions::default());
//! let json = oscal::to_json(&oscal::CatalogFile::new(exported.clone()));
//! let back = oscal::load_catalog_str(&json)?;
//! assert_eq!(back, exported);
//! let imported = oscal::import::catalog(&back);
//! assert!(imported.unmapped.is_empty());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod export;
pub mod import;
pub mod mapping;
pub mod model;
mod refs;
pub mod resolve;
pub mod results;
pub mod ssp;
pub mod validate;

use std::fmt;

use ismap_model::{LimitExceeded, Limits};
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

pub use mapping::MappingCollection;
pub use model::{Catalog, Control, Group, Metadata, Parameter, Part, Profile, Property};

use crate::read::json_path;

/// The OSCAL release this crate writes (`oscal-version` of exported documents).
pub const OSCAL_VERSION: &str = "1.1.2";

/// The namespace of the ISMAP properties and parts this crate writes.
pub const ISMAP_NS: &str = "https://ismap-rs.github.io/ns/oscal";

macro_rules! root_file {
    ($(#[$m:meta])* $name:ident, $field:ident, $key:literal, $ty:ty) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
        #[serde(deny_unknown_fields)]
        #[non_exhaustive]
        pub struct $name {
            /// The JSON Schema the file declares, if any.
            #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
            pub schema: Option<String>,
            /// The document.
            #[serde(rename = $key)]
            pub $field: $ty,
        }

        impl $name {
            /// Wraps a document.
            #[must_use]
            pub const fn new($field: $ty) -> Self {
                Self { schema: None, $field }
            }
        }
    };
}

root_file!(
    /// A catalog file: `{"catalog": {...}}`.
    CatalogFile,
    catalog,
    "catalog",
    Catalog
);
root_file!(
    /// A profile file: `{"profile": {...}}`.
    ProfileFile,
    profile,
    "profile",
    Profile
);
root_file!(
    /// A mapping collection file: `{"mapping-collection": {...}}`.
    MappingFile,
    mapping_collection,
    "mapping-collection",
    MappingCollection
);

/// Any OSCAL document this crate reads.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Document {
    /// A catalog.
    Catalog(Box<Catalog>),
    /// A profile.
    Profile(Box<Profile>),
    /// A mapping collection.
    MappingCollection(Box<MappingCollection>),
}

impl Document {
    /// `catalog`, `profile` or `mapping-collection`.
    #[must_use]
    pub const fn kind(&self) -> &'static str {
        match self {
            Self::Catalog(_) => "catalog",
            Self::Profile(_) => "profile",
            Self::MappingCollection(_) => "mapping-collection",
        }
    }
}

/// Why an OSCAL JSON document did not load.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// Malformed JSON, a missing or unknown field, or a value of the wrong type.
    #[error("{path} (line {line}, column {column}): {message}")]
    Syntax {
        /// JSON path of the offending value.
        path: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// The root object has none of `catalog`, `profile`, `mapping-collection`.
    #[error("not an OSCAL catalog, profile or mapping collection (root keys: {found})")]
    UnknownRoot {
        /// The keys found at the root.
        found: String,
    },
    /// The document is larger or more deeply nested, or has more items, than the [`Limits`]
    /// allow (see [`load_catalog_str_with`] for what is counted).
    #[error("{0}")]
    Limit(LimitExceeded),
}

impl LoadError {
    /// The message in Japanese and English.
    #[must_use]
    pub fn message(&self) -> ismap_model::Text {
        match self {
            Self::Syntax { path, line, column, message } => ismap_model::Text::new(
                format!("OSCAL JSONの構文エラー: {path}（{line}行{column}列）: {message}"),
                self.to_string(),
            ),
            Self::UnknownRoot { found } => ismap_model::Text::new(
                format!("OSCALのカタログ、プロファイル、マッピング集のいずれでもありません（ルートのキー: {found}）"),
                self.to_string(),
            ),
            Self::Limit(e) => e.message(),
        }
    }
}

/// Parses `s` as `T`, quickly; on failure parses again to find the JSON path of the problem.
fn parse<T: DeserializeOwned>(s: &str) -> Result<T, LoadError> {
    match serde_json::from_str::<T>(s) {
        Ok(v) => Ok(v),
        Err(first) => {
            let de = &mut serde_json::Deserializer::from_str(s);
            let (path, e) = match serde_path_to_error::deserialize::<_, T>(de) {
                Ok(_) => ("$".to_owned(), first),
                Err(e) => (json_path(e.path()), e.into_inner()),
            };
            Err(LoadError::Syntax { path, line: e.line(), column: e.column(), message: strip_position(&e) })
        }
    }
}

/// The serde_json message without its trailing " at line L column C".
fn strip_position(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.rfind(" at line ") {
        Some(i) => s.get(..i).unwrap_or(&s).to_owned(),
        None => s,
    }
}

/// Loads an OSCAL catalog file (JSON) within [`Limits::DEFAULT`].
///
/// # Errors
/// [`LoadError::Syntax`] with the JSON path of the first problem; [`LoadError::Limit`] as
/// [`load_catalog_str_with`].
pub fn load_catalog_str(s: &str) -> Result<Catalog, LoadError> {
    load_catalog_str_with(s, &Limits::DEFAULT)
}

/// [`load_catalog_str`] within `limits`: the text's size ([`Limits::input_bytes`]) and bracket
/// nesting ([`Limits::depth`]) before parsing, so that a deeply nested file is rejected before
/// serde recurses into it; then the number of controls, nested ones included
/// ([`Limits::items`]).
///
/// The nesting of OSCAL groups, controls and parts is bounded by the bracket check: each level
/// is an array and an object, two levels of brackets.
///
/// # Errors
/// [`LoadError::Limit`] for the first limit exceeded; otherwise as [`load_catalog_str`].
pub fn load_catalog_str_with(s: &str, limits: &Limits) -> Result<Catalog, LoadError> {
    limits.check_text(s).map_err(LoadError::Limit)?;
    catalog_within(s, limits)
}

/// Loads an OSCAL profile file (JSON) within [`Limits::DEFAULT`].
///
/// # Errors
/// [`LoadError::Syntax`] with the JSON path of the first problem; [`LoadError::Limit`] as
/// [`load_profile_str_with`].
pub fn load_profile_str(s: &str) -> Result<Profile, LoadError> {
    load_profile_str_with(s, &Limits::DEFAULT)
}

/// [`load_profile_str`] within `limits`: size and bracket nesting before parsing (as
/// [`load_catalog_str_with`]), then the number of directives ([`Limits::items`]): imports plus
/// `set-parameters` entries plus `alters` entries.
///
/// # Errors
/// [`LoadError::Limit`] for the first limit exceeded; otherwise as [`load_profile_str`].
pub fn load_profile_str_with(s: &str, limits: &Limits) -> Result<Profile, LoadError> {
    limits.check_text(s).map_err(LoadError::Limit)?;
    profile_within(s, limits)
}

/// Loads an OSCAL mapping collection file (JSON) within [`Limits::DEFAULT`].
///
/// # Errors
/// [`LoadError::Syntax`] with the JSON path of the first problem; [`LoadError::Limit`] as
/// [`load_mapping_collection_str_with`].
pub fn load_mapping_collection_str(s: &str) -> Result<MappingCollection, LoadError> {
    load_mapping_collection_str_with(s, &Limits::DEFAULT)
}

/// [`load_mapping_collection_str`] within `limits`: size and bracket nesting before parsing (as
/// [`load_catalog_str_with`]), then the number of maps of all its mappings ([`Limits::items`]).
///
/// # Errors
/// [`LoadError::Limit`] for the first limit exceeded; otherwise as
/// [`load_mapping_collection_str`].
pub fn load_mapping_collection_str_with(s: &str, limits: &Limits) -> Result<MappingCollection, LoadError> {
    limits.check_text(s).map_err(LoadError::Limit)?;
    mapping_collection_within(s, limits)
}

/// Parses a catalog whose text passed [`Limits::check_text`], and counts its controls.
fn catalog_within(s: &str, limits: &Limits) -> Result<Catalog, LoadError> {
    let catalog = parse::<CatalogFile>(s)?.catalog;
    limits.check_items(count_controls(&catalog)).map_err(LoadError::Limit)?;
    Ok(catalog)
}

/// Parses a profile whose text passed [`Limits::check_text`], and counts its directives.
fn profile_within(s: &str, limits: &Limits) -> Result<Profile, LoadError> {
    let profile = parse::<ProfileFile>(s)?.profile;
    let modify = profile.modify.as_ref().map_or(0, |m| m.set_parameters.len() + m.alters.len());
    limits.check_items(profile.imports.len() + modify).map_err(LoadError::Limit)?;
    Ok(profile)
}

/// Parses a mapping collection whose text passed [`Limits::check_text`], and counts its maps.
fn mapping_collection_within(s: &str, limits: &Limits) -> Result<MappingCollection, LoadError> {
    let collection = parse::<MappingFile>(s)?.mapping_collection;
    limits.check_items(collection.mappings.iter().map(|m| m.maps.len()).sum()).map_err(LoadError::Limit)?;
    Ok(collection)
}

/// The number of controls of a catalog, nested ones and those in groups included.
fn count_controls(catalog: &Catalog) -> usize {
    fn controls(cs: &[Control]) -> usize {
        cs.iter().map(|c| 1 + controls(&c.controls)).sum()
    }
    fn groups(gs: &[Group]) -> usize {
        gs.iter().map(|g| controls(&g.controls) + groups(&g.groups)).sum()
    }
    controls(&catalog.controls) + groups(&catalog.groups)
}

/// The root keys of a document, read without building it.
#[derive(Deserialize)]
struct Probe {
    #[serde(default)]
    catalog: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    profile: Option<serde::de::IgnoredAny>,
    #[serde(default, rename = "mapping-collection")]
    mapping_collection: Option<serde::de::IgnoredAny>,
    #[serde(flatten)]
    others: std::collections::BTreeMap<String, serde::de::IgnoredAny>,
}

/// Loads any OSCAL document this crate reads, telling by its root key, within
/// [`Limits::DEFAULT`].
///
/// # Errors
/// [`LoadError::UnknownRoot`] when the root key is none of the three; otherwise as the typed
/// loaders.
pub fn load_document_str(s: &str) -> Result<Document, LoadError> {
    load_document_str_with(s, &Limits::DEFAULT)
}

/// [`load_document_str`] within `limits`: size and bracket nesting before anything is parsed,
/// then the items of the document's kind (see [`load_catalog_str_with`],
/// [`load_profile_str_with`] and [`load_mapping_collection_str_with`]).
///
/// # Errors
/// [`LoadError::Limit`] for the first limit exceeded; otherwise as [`load_document_str`].
pub fn load_document_str_with(s: &str, limits: &Limits) -> Result<Document, LoadError> {
    limits.check_text(s).map_err(LoadError::Limit)?;
    let probe: Probe = parse(s)?;
    if probe.catalog.is_some() {
        catalog_within(s, limits).map(|c| Document::Catalog(Box::new(c)))
    } else if probe.profile.is_some() {
        profile_within(s, limits).map(|p| Document::Profile(Box::new(p)))
    } else if probe.mapping_collection.is_some() {
        mapping_collection_within(s, limits).map(|m| Document::MappingCollection(Box::new(m)))
    } else {
        let found: Vec<&str> = probe.others.keys().map(String::as_str).collect();
        Err(LoadError::UnknownRoot { found: if found.is_empty() { "none".to_owned() } else { found.join(", ") } })
    }
}

/// Serializes a document as pretty JSON with a trailing newline.
#[must_use]
pub fn to_json<T: Serialize>(value: &T) -> String {
    // INVARIANT: the OSCAL types serialize to JSON without error (string keys only, no
    // non-finite floats that serde_json rejects: it writes them as null).
    let mut s = serde_json::to_string_pretty(value).unwrap_or_default();
    s.push('\n');
    s
}

impl fmt::Display for Document {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (kind, title) = match self {
            Self::Catalog(c) => ("catalog", &c.metadata.title),
            Self::Profile(p) => ("profile", &p.metadata.title),
            Self::MappingCollection(m) => ("mapping-collection", &m.metadata.title),
        };
        write!(f, "OSCAL {kind} `{title}`")
    }
}
