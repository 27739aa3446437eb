//! Building a catalog from flat items: spreadsheet rows (feature `spreadsheet`) or the controls
//! of an OSCAL catalog (feature `oscal`).
//!
//! Items are placed in the tree by their ids (`8.1.2.7.PB` under `8.1.2`), whatever their order,
//! and the document goes through [`Catalog::from_document`]: the result is a catalog that cannot
//! be invalid. Every problem names where the item came from (a spreadsheet row, or the JSON path
//! in the OSCAL document), including the problems the catalog validation finds.

#[cfg(feature = "spreadsheet")]
mod columns;
#[cfg(feature = "spreadsheet")]
pub(crate) mod sheet;

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use chrono::NaiveDate;
use ismap_model::{ControlId, ControlLevel, CriteriaPart, Lang, LimitExceeded, NumericPath, Text};
use schemars::JsonSchema;
use serde::{Serialize, Serializer};

use crate::Catalog;
use crate::catalog::{
    CatalogDocument, CatalogProblem, CategoryDocument, Completeness, DetailedDocument, DomainDocument,
    ObjectiveDocument, PartDocument, Severity, SourceRef,
};

#[cfg(feature = "spreadsheet")]
pub use columns::{COLUMN_MAPPING_VERSION, CatalogInfo, ColumnMapping, Columns, FlagWords, SheetFormat};
#[cfg(feature = "spreadsheet")]
pub use sheet::{import_csv, import_csv_with, import_file, import_file_with, import_xlsx, import_xlsx_with};

/// Where an item came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Origin {
    /// A spreadsheet row (1-based, as the spreadsheet shows it), and a column when known.
    Row {
        /// The row number.
        row: usize,
        /// The column's header.
        #[serde(skip_serializing_if = "Option::is_none")]
        column: Option<String>,
    },
    /// A JSON path in a source document.
    Path {
        /// The path.
        path: String,
    },
    /// The input as a whole (the column mapping, the header row, the catalog's metadata).
    Input,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Row { row, column: Some(c) } => write!(f, "row {row}, column `{c}`"),
            Self::Row { row, column: None } => write!(f, "row {row}"),
            Self::Path { path } => f.write_str(path),
            Self::Input => f.write_str("input"),
        }
    }
}

/// A problem found while importing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[non_exhaustive]
pub struct ImportProblem {
    /// Error or warning.
    pub severity: Severity,
    /// Where.
    pub origin: Origin,
    /// What.
    pub kind: ImportProblemKind,
}

/// The kinds of import problems.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ImportProblemKind {
    /// The id does not parse as an ISMAP id.
    InvalidId {
        /// The value.
        value: String,
        /// Why.
        reason: String,
    },
    /// The part of a domain outside the known numbering could not be told.
    UnknownPart {
        /// The id.
        id: String,
    },
    /// An item whose parent is not in the input.
    MissingParent {
        /// The item.
        id: String,
        /// The missing parent.
        parent: String,
    },
    /// A column the mapping names is not in the header row.
    MissingColumn {
        /// The column name.
        column: String,
    },
    /// A cell that should hold a yes/no flag holds something else.
    BadFlag {
        /// The value.
        value: String,
    },
    /// A cell that should name a part (`governance`, `management`, `controls`) holds something
    /// else.
    BadPart {
        /// The value.
        value: String,
    },
    /// The file could not be read or parsed as the format said.
    Unreadable {
        /// Why.
        reason: String,
    },
    /// The catalog's metadata is incomplete or invalid (version, date).
    BadMetadata {
        /// Which field.
        field: String,
        /// Why.
        reason: String,
    },
    /// The catalog validation found a problem.
    Catalog {
        /// The problem, with its path in the built document.
        problem: CatalogProblem,
    },
    /// The input is larger, more deeply nested or has more rows than the
    /// [`Limits`](ismap_model::Limits) allow: which limit, its value and the size found.
    /// Serialized as `{"kind": "limit", "limit": "items", "max": 10, "actual": 11}`.
    Limit(
        #[serde(serialize_with = "serialize_limit")]
        #[schemars(with = "LimitFields")]
        LimitExceeded,
    ),
}

/// How [`ImportProblemKind::Limit`] is serialized.
#[derive(Serialize, JsonSchema)]
struct LimitFields {
    /// The limit's name (`input_bytes`, `depth`, `items`).
    limit: &'static str,
    /// The limit's value.
    max: usize,
    /// The size found.
    actual: usize,
}

fn serialize_limit<S: Serializer>(e: &LimitExceeded, serializer: S) -> Result<S::Ok, S::Error> {
    LimitFields { limit: e.kind().name(), max: e.max(), actual: e.actual() }.serialize(serializer)
}

impl ImportProblem {
    pub(crate) fn error(origin: Origin, kind: ImportProblemKind) -> Self {
        Self { severity: Severity::Error, origin, kind }
    }

    /// The message in Japanese and English.
    #[must_use]
    pub fn message(&self) -> Text {
        use ImportProblemKind as K;
        match &self.kind {
            K::InvalidId { value, reason } => Text::new(
                format!("`{value}` はISMAPの項番ではありません: {reason}"),
                format!("`{value}` is not an ISMAP id: {reason}"),
            ),
            K::UnknownPart { id } => Text::new(
                format!(
                    "`{id}` の基準の区分（ガバナンス・マネジメント・管理策）が分かりません。区分の列を指定してください"
                ),
                format!(
                    "cannot tell which part (governance, management, controls) `{id}` belongs to; map a part column"
                ),
            ),
            K::MissingParent { id, parent } => Text::new(
                format!("`{id}` の親 `{parent}` が入力にありません"),
                format!("the parent `{parent}` of `{id}` is not in the input"),
            ),
            K::MissingColumn { column } => Text::new(
                format!("列 `{column}` が見出し行にありません"),
                format!("column `{column}` is not in the header row"),
            ),
            K::BadFlag { value } => Text::new(
                format!(
                    "`{value}` は有無の値として読めません（例: ○, はい, yes, true, 1 / 空欄, いいえ, no, false, 0）"
                ),
                format!("`{value}` is not a yes/no value (e.g. ○, yes, true, 1 / empty, no, false, 0)"),
            ),
            K::BadPart { value } => Text::new(
                format!("`{value}` は区分ではありません（governance, management, controls）"),
                format!("`{value}` is not a part (governance, management, controls)"),
            ),
            K::Unreadable { reason } => {
                Text::new(format!("読み込めません: {reason}"), format!("cannot read the input: {reason}"))
            }
            K::BadMetadata { field, reason } => Text::new(
                format!("カタログ情報 `{field}` が不正です: {reason}"),
                format!("catalog information `{field}` is invalid: {reason}"),
            ),
            K::Catalog { problem } => {
                let m = problem.message();
                Text::new(m.get(Lang::Ja).to_owned(), m.get(Lang::En).to_owned())
            }
            K::Limit(e) => e.message(),
        }
    }
}

impl fmt::Display for ImportProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {}: {}", self.severity, self.origin, self.message().get(Lang::En))
    }
}

/// One item to place in the catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Item {
    /// The id as written.
    pub id: String,
    /// The part, when the input says.
    pub part: Option<CriteriaPart>,
    /// The title.
    pub title: Option<Text>,
    /// Clauses of standards.
    pub refs: Vec<SourceRef>,
    /// Mandatory flag, when the input says (checked against the id).
    pub mandatory: Option<bool>,
    /// Cloud-specific flag, when the input says (checked against the id).
    pub cloud_specific: Option<bool>,
    /// The item's text (requirement wording), when the input has it.
    pub text: Option<Text>,
    /// Where it came from.
    pub origin: Origin,
}

impl Item {
    /// An item with an id and an origin.
    #[must_use]
    pub fn new(id: impl Into<String>, origin: Origin) -> Self {
        Self {
            id: id.into(),
            part: None,
            title: None,
            refs: Vec::new(),
            mandatory: None,
            cloud_specific: None,
            text: None,
            origin,
        }
    }
}

/// Facts about the catalog as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CatalogMetaInput {
    /// Its name.
    pub name: Text,
    /// Its version (semver).
    pub version: String,
    /// When it took effect.
    pub effective: NaiveDate,
    /// Whether every item is listed.
    pub completeness: Completeness,
    /// Where the content comes from.
    pub source: Option<String>,
}

impl CatalogMetaInput {
    /// Catalog facts.
    #[must_use]
    pub fn new(name: Text, version: impl Into<String>, effective: NaiveDate, completeness: Completeness) -> Self {
        Self { name, version: version.into(), effective, completeness, source: None }
    }
}

/// A validated catalog built from items, with its warnings and the items' texts.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Built {
    /// The catalog.
    pub catalog: Catalog,
    /// Warnings (from the catalog validation, with origins).
    pub warnings: Vec<ImportProblem>,
    /// The texts of the items that had one.
    pub texts: BTreeMap<ControlId, Text>,
}

/// Places `items` in a catalog document by their ids and validates it.
///
/// # Errors
/// Every problem found (errors first, then warnings), each with its origin.
pub fn build(meta: &CatalogMetaInput, items: &[Item]) -> Result<Built, Vec<ImportProblem>> {
    let mut problems = Vec::new();
    // Parse ids; order by level so that parents are placed before children.
    let mut parsed: Vec<(ControlId, CriteriaPart, &Item)> = Vec::new();
    for item in items {
        let id = match item.id.trim().parse::<ControlId>() {
            Ok(id) => id,
            Err(e) => {
                problems.push(ImportProblem::error(
                    item.origin.clone(),
                    ImportProblemKind::InvalidId { value: item.id.clone(), reason: e.to_string() },
                ));
                continue;
            }
        };
        let Some(part) = item.part.or_else(|| CriteriaPart::of_domain(id.domain())) else {
            problems
                .push(ImportProblem::error(item.origin.clone(), ImportProblemKind::UnknownPart { id: id.to_string() }));
            continue;
        };
        parsed.push((id, part, item));
    }
    parsed.sort_by_key(|(id, _, _)| id.level());

    let mut doc =
        CatalogDocument::new(meta.name.clone(), meta.version.clone(), meta.effective, meta.completeness, Vec::new());
    doc.source.clone_from(&meta.source);
    // Where each numeric path sits: (part index, domain, category, objective) indexes.
    let mut at: HashMap<NumericPath, Vec<usize>> = HashMap::new();
    let mut origins: Vec<(String, Origin)> = Vec::new();
    let mut texts = BTreeMap::new();
    for (id, part, item) in &parsed {
        let pi = match doc.parts.iter().position(|p| p.part == *part) {
            Some(i) => i,
            None => {
                doc.parts.push(PartDocument::new(*part, Vec::new()));
                doc.parts.len() - 1
            }
        };
        let parent_loc = match id.path().parent() {
            None => Some(vec![pi]),
            Some(pp) => at.get(&pp).cloned(),
        };
        let Some(loc) = parent_loc else {
            let parent = id.parent().map(|p| p.to_string()).unwrap_or_default();
            problems.push(ImportProblem::error(
                item.origin.clone(),
                ImportProblemKind::MissingParent { id: id.to_string(), parent },
            ));
            continue;
        };
        let Some(new_loc) = place(&mut doc, &loc, id, item) else { continue };
        origins.push((json_path_of(&new_loc), item.origin.clone()));
        at.entry(id.path()).or_insert(new_loc);
        if let Some(t) = &item.text {
            texts.insert(*id, t.clone());
        }
    }
    let has_errors = problems.iter().any(|p| p.severity == Severity::Error);
    match Catalog::from_document(&doc) {
        Ok((catalog, warnings)) if !has_errors => {
            let warnings = warnings.into_iter().map(|w| with_origin(w, &origins)).collect();
            Ok(Built { catalog, warnings, texts })
        }
        Ok((_, warnings)) => {
            problems.extend(warnings.into_iter().map(|w| with_origin(w, &origins)));
            Err(problems)
        }
        Err(catalog_problems) => {
            problems.extend(catalog_problems.into_iter().map(|p| with_origin(p, &origins)));
            problems.sort_by_key(|p| p.severity);
            Err(problems)
        }
    }
}

/// Adds the node for `id` under the location `loc` (part, domain, ... indexes); returns the new
/// node's location.
fn place(doc: &mut CatalogDocument, loc: &[usize], id: &ControlId, item: &Item) -> Option<Vec<usize>> {
    let part = doc.parts.get_mut(*loc.first()?)?;
    let mut out = loc.to_vec();
    let (title, refs) = (item.title.clone(), item.refs.clone());
    match id.level() {
        ControlLevel::Domain => {
            let mut d = DomainDocument::new(id.to_string(), title, Vec::new());
            d.refs = refs;
            part.domains.push(d);
            out.push(part.domains.len() - 1);
        }
        ControlLevel::Category => {
            let d = part.domains.get_mut(*loc.get(1)?)?;
            let mut c = CategoryDocument::new(id.to_string(), title, Vec::new());
            c.refs = refs;
            d.categories.push(c);
            out.push(d.categories.len() - 1);
        }
        ControlLevel::Objective => {
            let c = part.domains.get_mut(*loc.get(1)?)?.categories.get_mut(*loc.get(2)?)?;
            let mut o = ObjectiveDocument::new(id.to_string(), title, Vec::new());
            o.refs = refs;
            c.objectives.push(o);
            out.push(c.objectives.len() - 1);
        }
        ControlLevel::Detailed => {
            let o = part
                .domains
                .get_mut(*loc.get(1)?)?
                .categories
                .get_mut(*loc.get(2)?)?
                .objectives
                .get_mut(*loc.get(3)?)?;
            let mut k = DetailedDocument::new(id.to_string());
            k.title = title;
            k.refs = refs;
            k.mandatory = item.mandatory;
            k.cloud_specific = item.cloud_specific;
            o.controls.push(k);
            out.push(o.controls.len() - 1);
        }
    }
    Some(out)
}

/// The JSON path [`Catalog::from_document`] uses for the node at `loc`.
fn json_path_of(loc: &[usize]) -> String {
    let names = ["parts", "domains", "categories", "objectives", "controls"];
    let mut s = "$".to_owned();
    for (name, i) in names.iter().zip(loc) {
        s.push_str(&format!(".{name}[{i}]"));
    }
    s
}

/// Attaches the origin of the node a catalog problem's path points into.
fn with_origin(problem: CatalogProblem, origins: &[(String, Origin)]) -> ImportProblem {
    let origin = origins
        .iter()
        .filter(|(path, _)| {
            problem.path.strip_prefix(path.as_str()).is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
        })
        .max_by_key(|(path, _)| path.len())
        .map_or(Origin::Path { path: problem.path.clone() }, |(_, o)| o.clone());
    ImportProblem { severity: problem.severity, origin, kind: ImportProblemKind::Catalog { problem } }
}
