//! The criteria catalog: a validated tree of parts → domains → categories → objectives →
//! detailed controls, loaded from JSON or TOML.

mod document;
mod problems;
mod revision;

use std::collections::HashMap;
use std::sync::OnceLock;

use chrono::NaiveDate;
use ismap_model::{ControlId, ControlIdError, ControlLevel, CriteriaPart, Limits, NumericPath, Text};
use schemars::JsonSchema;
use serde::Serialize;

pub use document::{
    CatalogDocument, CategoryDocument, Completeness, DetailedDocument, DomainDocument, ObjectiveDocument, PartDocument,
    SourceRef,
};
pub use problems::{CatalogError, CatalogProblem, CatalogValidation, ProblemKind, ReportedProblem, Severity};
pub use revision::{
    CatalogDiff, CatalogRevision, DatePrecision, DiffItem, Reflagged, Renumbered, Renumbering, Retitled,
    UnknownRevision,
};

/// What the criteria require of an item, derived from its part, level and suffix.
///
/// Sources (CC-EN-2022 §2.2.4; `ismap-facts.md` rules 1–4):
/// governance and management items are all mandatory (rule 4); 3-digit control objectives are
/// mandatory unless excluded with a reason (rule 1); `.B`/`.PB` detailed controls are mandatory
/// unless their objective is excluded (rule 2); other detailed controls are optional, and not
/// selecting one needs a reason (rule 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Requirement {
    /// A domain or category: a heading, never selected itself.
    Structural,
    /// Governance or management item: always required (rule 4).
    Required,
    /// Control objective: required unless excluded with a reason (rule 1).
    RequiredUnlessExcluded,
    /// `.B` / `.PB` detailed control: required unless its objective is excluded (rule 2).
    RequiredUnlessObjectiveExcluded,
    /// Other detailed control: selected as necessary; not selecting needs a reason (rule 3).
    Optional,
}

impl Requirement {
    /// Whether the item is mandatory in principle.
    #[must_use]
    pub const fn is_mandatory(self) -> bool {
        !matches!(self, Self::Structural | Self::Optional)
    }

    fn derive(part: CriteriaPart, id: &ControlId) -> Self {
        match (part.all_mandatory(), id.level()) {
            (_, ControlLevel::Domain | ControlLevel::Category) => Self::Structural,
            (true, _) => Self::Required,
            (false, ControlLevel::Objective) => Self::RequiredUnlessExcluded,
            (false, ControlLevel::Detailed) if id.is_basic_requirement() => Self::RequiredUnlessObjectiveExcluded,
            (false, ControlLevel::Detailed) => Self::Optional,
        }
    }
}

/// One item of a validated catalog.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[non_exhaustive]
pub struct Node {
    /// Its id.
    pub id: ControlId,
    /// The part it belongs to.
    pub part: CriteriaPart,
    /// Its level.
    pub level: ControlLevel,
    /// Its title (always present in complete catalogs).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<Text>,
    /// Clauses of standards it derives from.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub refs: Vec<SourceRef>,
    /// Whether it is cloud-specific (`.P` or `.PB`).
    pub cloud_specific: bool,
    /// Whether it is mandatory in principle (see [`Requirement`]).
    pub mandatory: bool,
    /// What the criteria require of it.
    pub requirement: Requirement,
    #[serde(skip)]
    parent: Option<usize>,
    #[serde(skip)]
    children: Vec<usize>,
}

impl Node {
    /// The title in `lang`, or a generic one naming the level and id when the catalog has none.
    #[must_use]
    pub fn title_or_default(&self) -> Text {
        self.title.clone().unwrap_or_else(|| {
            Text::new(
                format!("{} {}", self.level.name_ja(), self.id),
                format!("{} {}", capitalize(self.level.name_en()), self.id),
            )
        })
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// Facts about a catalog as a whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[non_exhaustive]
pub struct CatalogMeta {
    /// Its name.
    pub name: Text,
    /// Its version.
    #[schemars(with = "String")]
    pub version: semver::Version,
    /// When the criteria took effect.
    pub effective: NaiveDate,
    /// Whether every item is listed.
    pub completeness: Completeness,
    /// Where the identifiers come from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// A validated criteria catalog. It cannot hold a duplicate id, a node under the wrong parent or
/// at the wrong level, or a suffix that contradicts its flags.
///
/// ```
/// use ismap_controls::Catalog;
/// let catalog = Catalog::ismap_2022();
/// let objective = catalog.get(&"8.1.2".parse()?).ok_or("missing")?;
/// let children: Vec<String> = catalog.children(objective).map(|n| n.id.to_string()).collect();
/// assert_eq!(children, ["8.1.2.7.PB"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Catalog {
    meta: CatalogMeta,
    /// In numeric id order (a parent before its children).
    nodes: Vec<Node>,
    index: HashMap<NumericPath, usize>,
}

/// The embedded catalog file (2022-04-01 structure).
const ISMAP_2022_JSON: &str = include_str!("../../data/ismap-2022-04-01.json");

impl Catalog {
    /// The embedded default: the structure of the 2022-04-01 ISMAP criteria (structure only).
    ///
    /// The data file is validated by this crate's tests, so loading it cannot fail at run time;
    /// should it ever, an empty catalog is returned rather than a panic.
    #[must_use]
    pub fn ismap_2022() -> &'static Self {
        static CATALOG: OnceLock<Catalog> = OnceLock::new();
        CATALOG.get_or_init(|| Self::from_json_str(ISMAP_2022_JSON).map(|(c, _)| c).unwrap_or_else(|_| Self::empty()))
    }

    /// The embedded default catalog's source text (JSON).
    #[must_use]
    pub const fn ismap_2022_json() -> &'static str {
        ISMAP_2022_JSON
    }

    fn empty() -> Self {
        Self {
            meta: CatalogMeta {
                name: Text::en("empty"),
                version: semver::Version::new(0, 0, 0),
                effective: NaiveDate::MIN,
                completeness: Completeness::StructureOnly,
                source: None,
            },
            nodes: Vec::new(),
            index: HashMap::new(),
        }
    }

    /// Loads a catalog from JSON, returning it with its warnings.
    ///
    /// # Errors
    /// [`CatalogError::Syntax`] for malformed JSON or a field of the wrong type (with its path);
    /// [`CatalogError::Invalid`] with every problem found.
    pub fn from_json_str(s: &str) -> Result<(Self, Vec<CatalogProblem>), CatalogError> {
        Self::from_json_str_with(s, &Limits::DEFAULT)
    }

    /// [`Catalog::from_json_str`] within `limits`: the text's size and bracket nesting are
    /// checked before parsing, the number of nodes after.
    ///
    /// # Errors
    /// As [`Catalog::from_json_str`], plus [`CatalogError::Limit`].
    pub fn from_json_str_with(s: &str, limits: &Limits) -> Result<(Self, Vec<CatalogProblem>), CatalogError> {
        limits.check_text(s).map_err(CatalogError::Limit)?;
        let doc: CatalogDocument = crate::read::json(s)?;
        limits.check_items(count_nodes(&doc)).map_err(CatalogError::Limit)?;
        Self::from_document(&doc).map_err(CatalogError::Invalid)
    }

    /// Loads a catalog from TOML (same structure as JSON; paths are reported in JSON-path form).
    ///
    /// # Errors
    /// As [`Catalog::from_json_str`].
    pub fn from_toml_str(s: &str) -> Result<(Self, Vec<CatalogProblem>), CatalogError> {
        Self::from_toml_str_with(s, &Limits::DEFAULT)
    }

    /// [`Catalog::from_toml_str`] within `limits` (see [`Catalog::from_json_str_with`]).
    ///
    /// # Errors
    /// As [`Catalog::from_json_str_with`].
    pub fn from_toml_str_with(s: &str, limits: &Limits) -> Result<(Self, Vec<CatalogProblem>), CatalogError> {
        limits.check_text(s).map_err(CatalogError::Limit)?;
        let doc: CatalogDocument = crate::read::toml(s)?;
        limits.check_items(count_nodes(&doc)).map_err(CatalogError::Limit)?;
        Self::from_document(&doc).map_err(CatalogError::Invalid)
    }

    /// Validates a document into a catalog. Returns the catalog and its warnings, or every
    /// problem (errors first, then warnings) when there is at least one error.
    ///
    /// # Errors
    /// The full list of problems when any is an error.
    pub fn from_document(doc: &CatalogDocument) -> Result<(Self, Vec<CatalogProblem>), Vec<CatalogProblem>> {
        let mut b = Builder::new(doc.completeness);
        let version = match semver::Version::parse(&doc.version) {
            Ok(v) => Some(v),
            Err(e) => {
                b.error("$.version", ProblemKind::InvalidVersion { value: doc.version.clone(), reason: e.to_string() });
                None
            }
        };
        let mut seen_parts: HashMap<CriteriaPart, usize> = HashMap::new();
        for (pi, part) in doc.parts.iter().enumerate() {
            let ppath = format!("$.parts[{pi}]");
            if let Some(first) = seen_parts.insert(part.part, pi) {
                b.error(&ppath, ProblemKind::DuplicatePart { part: part.part, first: format!("$.parts[{first}]") });
            }
            b.walk_part(part, &ppath);
        }
        b.check_gaps();
        let Builder { nodes, problems, .. } = b;
        let (mut errors, warnings): (Vec<_>, Vec<_>) =
            problems.into_iter().partition(|p| p.severity == Severity::Error);
        let Some(version) = version.filter(|_| errors.is_empty()) else {
            errors.extend(warnings);
            return Err(errors);
        };
        let meta = CatalogMeta {
            name: doc.name.clone(),
            version,
            effective: doc.effective,
            completeness: doc.completeness,
            source: doc.source.clone(),
        };
        Ok((Self::from_nodes(meta, nodes), warnings))
    }

    fn from_nodes(meta: CatalogMeta, mut nodes: Vec<Node>) -> Self {
        nodes.sort_by_key(|n| n.id);
        let index: HashMap<NumericPath, usize> = nodes.iter().enumerate().map(|(i, n)| (n.id.path(), i)).collect();
        let parents: Vec<Option<usize>> =
            nodes.iter().map(|n| n.id.path().parent().and_then(|p| index.get(&p).copied())).collect();
        for (i, parent) in parents.iter().enumerate() {
            if let Some(p) = parent
                && let Some(node) = nodes.get_mut(*p)
            {
                node.children.push(i);
            }
            if let Some(node) = nodes.get_mut(i) {
                node.parent = *parent;
            }
        }
        Self { meta, nodes, index }
    }

    /// The catalog's name, version, date and completeness.
    #[must_use]
    pub const fn meta(&self) -> &CatalogMeta {
        &self.meta
    }

    /// Whether every item is listed.
    #[must_use]
    pub fn is_complete(&self) -> bool {
        self.meta.completeness == Completeness::Complete
    }

    /// All nodes in numeric id order.
    pub fn nodes(&self) -> impl ExactSizeIterator<Item = &Node> + '_ {
        self.nodes.iter()
    }

    /// The node with exactly this id (suffix included).
    #[must_use]
    pub fn get(&self, id: &ControlId) -> Option<&Node> {
        self.get_by_path(&id.path()).filter(|n| n.id == *id)
    }

    /// The node with these numbers, whatever its suffix (`6.3.1` finds `6.3.1.P`).
    #[must_use]
    pub fn get_by_path(&self, path: &NumericPath) -> Option<&Node> {
        self.index.get(path).and_then(|i| self.nodes.get(*i))
    }

    /// The parent of `node`.
    #[must_use]
    pub fn parent(&self, node: &Node) -> Option<&Node> {
        node.parent.and_then(|i| self.nodes.get(i))
    }

    /// The children of `node`, in order.
    pub fn children<'a>(&'a self, node: &'a Node) -> impl Iterator<Item = &'a Node> + 'a {
        node.children.iter().filter_map(|i| self.nodes.get(*i))
    }

    /// All nodes of a level, in order.
    pub fn at_level(&self, level: ControlLevel) -> impl Iterator<Item = &Node> + '_ {
        self.nodes.iter().filter(move |n| n.level == level)
    }

    /// All nodes of a part, in order.
    pub fn in_part(&self, part: CriteriaPart) -> impl Iterator<Item = &Node> + '_ {
        self.nodes.iter().filter(move |n| n.part == part)
    }

    /// A title for `node` in both languages, never empty: its own title, or one built from the
    /// nearest titled ancestor and the item's place under it, for the items a structure-only
    /// catalog lists without a title (`4.4.1`: "Establishment, item 1"; `8.1.2.7.PB`: "Inventory
    /// of assets: basic statement requirement 7"). The words are this project's own.
    ///
    /// ```
    /// use ismap_controls::Catalog;
    /// let c = Catalog::ismap_2022();
    /// let n = c.get(&"8.1.2.7.PB".parse()?).ok_or("listed")?;
    /// assert!(n.title.is_none());
    /// assert!(c.title_of(n).get(ismap_model::Lang::En).ends_with("basic statement requirement 7"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn title_of(&self, node: &Node) -> Text {
        if let Some(t) = &node.title {
            return t.clone();
        }
        let serial = node.id.serial();
        match self.parent(node) {
            None => node.title_or_default(),
            Some(parent) => {
                let above = self.title_of(parent);
                let (ja, en) = (above.get(ismap_model::Lang::Ja), above.get(ismap_model::Lang::En));
                match node.level {
                    ControlLevel::Detailed if node.id.is_basic_requirement() => Text::new(
                        format!("{ja}（基本言明要件 {serial}）"),
                        format!("{en}: basic statement requirement {serial}"),
                    ),
                    ControlLevel::Detailed => {
                        Text::new(format!("{ja}（詳細管理策 {serial}）"), format!("{en}: detailed control {serial}"))
                    }
                    _ => Text::new(format!("{ja}（第{serial}項）"), format!("{en}, item {serial}")),
                }
            }
        }
    }

    /// The domain node above `node` (or `node` itself when it is a domain).
    #[must_use]
    pub fn domain_of<'a>(&'a self, node: &'a Node) -> Option<&'a Node> {
        let mut cur = node;
        while let Some(p) = self.parent(cur) {
            cur = p;
        }
        Some(cur).filter(|n| n.level == ControlLevel::Domain)
    }

    /// Converts the catalog back to its file form (ids in canonical form, numeric order).
    #[must_use]
    pub fn to_document(&self) -> CatalogDocument {
        let detailed = |n: &Node| DetailedDocument {
            id: n.id.to_string(),
            title: n.title.clone(),
            refs: n.refs.clone(),
            mandatory: None,
            cloud_specific: None,
        };
        let objective = |n: &Node| ObjectiveDocument {
            id: n.id.to_string(),
            title: n.title.clone(),
            refs: n.refs.clone(),
            controls: self.children(n).map(detailed).collect(),
        };
        let category = |n: &Node| CategoryDocument {
            id: n.id.to_string(),
            title: n.title.clone(),
            refs: n.refs.clone(),
            objectives: self.children(n).map(objective).collect(),
        };
        let domain = |n: &Node| DomainDocument {
            id: n.id.to_string(),
            title: n.title.clone(),
            refs: n.refs.clone(),
            categories: self.children(n).map(category).collect(),
        };
        let parts = CriteriaPart::ALL
            .into_iter()
            .filter_map(|part| {
                let domains: Vec<_> =
                    self.at_level(ControlLevel::Domain).filter(|d| d.part == part).map(domain).collect();
                (!domains.is_empty()).then_some(PartDocument { part, domains })
            })
            .collect();
        CatalogDocument {
            format_version: ismap_model::DocumentVersion::current(),
            name: self.meta.name.clone(),
            version: self.meta.version.to_string(),
            effective: self.meta.effective,
            completeness: self.meta.completeness,
            source: self.meta.source.clone(),
            parts,
        }
    }
}

/// How many nodes (domains, categories, objectives, detailed controls) a document lists.
fn count_nodes(doc: &CatalogDocument) -> usize {
    let domains = doc.parts.iter().flat_map(|p| &p.domains);
    domains
        .map(|d| {
            1 + d
                .categories
                .iter()
                .map(|c| 1 + c.objectives.iter().map(|o| 1 + o.controls.len()).sum::<usize>())
                .sum::<usize>()
        })
        .sum()
}

/// Walks a document, collecting nodes and problems.
struct Builder {
    completeness: Completeness,
    nodes: Vec<Node>,
    problems: Vec<CatalogProblem>,
    /// Where each numeric path was first seen.
    seen: HashMap<NumericPath, String>,
    /// Serials seen under each parent (for the gap warning), with the parent's JSON path.
    serials: Vec<(ControlId, String, Vec<u16>)>,
}

/// The common fields of a node in any document level.
struct RawNode<'a> {
    id: &'a str,
    title: Option<&'a Text>,
    refs: &'a [SourceRef],
    mandatory: Option<bool>,
    cloud_specific: Option<bool>,
}

impl Builder {
    fn new(completeness: Completeness) -> Self {
        Self { completeness, nodes: Vec::new(), problems: Vec::new(), seen: HashMap::new(), serials: Vec::new() }
    }

    fn error(&mut self, path: &str, kind: ProblemKind) {
        self.problems.push(CatalogProblem { severity: Severity::Error, path: path.to_owned(), kind });
    }

    fn warning(&mut self, path: &str, kind: ProblemKind) {
        self.problems.push(CatalogProblem { severity: Severity::Warning, path: path.to_owned(), kind });
    }

    fn walk_part(&mut self, part: &PartDocument, ppath: &str) {
        for (di, d) in part.domains.iter().enumerate() {
            let dpath = format!("{ppath}.domains[{di}]");
            let raw =
                RawNode { id: &d.id, title: d.title.as_ref(), refs: &d.refs, mandatory: None, cloud_specific: None };
            let did = self.node(part.part, None, ControlLevel::Domain, &raw, &dpath);
            if let Some(id) = did
                && CriteriaPart::of_domain(id.domain()) != Some(part.part)
            {
                self.warning(&format!("{dpath}.id"), ProblemKind::UnexpectedDomainForPart { id, part: part.part });
            }
            let mut cat_serials = Vec::new();
            for (ci, c) in d.categories.iter().enumerate() {
                let cpath = format!("{dpath}.categories[{ci}]");
                let raw = RawNode {
                    id: &c.id,
                    title: c.title.as_ref(),
                    refs: &c.refs,
                    mandatory: None,
                    cloud_specific: None,
                };
                let cid = self.node(part.part, did.as_ref(), ControlLevel::Category, &raw, &cpath);
                cat_serials.extend(cid.map(|i| i.serial()));
                let mut obj_serials = Vec::new();
                for (oi, o) in c.objectives.iter().enumerate() {
                    let opath = format!("{cpath}.objectives[{oi}]");
                    let raw = RawNode {
                        id: &o.id,
                        title: o.title.as_ref(),
                        refs: &o.refs,
                        mandatory: None,
                        cloud_specific: None,
                    };
                    let oid = self.node(part.part, cid.as_ref(), ControlLevel::Objective, &raw, &opath);
                    obj_serials.extend(oid.map(|i| i.serial()));
                    let mut det_serials = Vec::new();
                    for (ki, k) in o.controls.iter().enumerate() {
                        let kpath = format!("{opath}.controls[{ki}]");
                        let raw = RawNode {
                            id: &k.id,
                            title: k.title.as_ref(),
                            refs: &k.refs,
                            mandatory: k.mandatory,
                            cloud_specific: k.cloud_specific,
                        };
                        let kid = self.node(part.part, oid.as_ref(), ControlLevel::Detailed, &raw, &kpath);
                        det_serials.extend(kid.map(|i| i.serial()));
                    }
                    // Optional detailed controls are absent from structure-only catalogs, so gaps
                    // among detailed controls are expected there and not reported.
                    let part_complete = part.part.all_mandatory() || self.completeness == Completeness::Complete;
                    if let Some(oid) = oid
                        && part_complete
                    {
                        self.serials.push((oid, opath.clone(), det_serials));
                    }
                }
                if let Some(cid) = cid {
                    self.serials.push((cid, cpath.clone(), obj_serials));
                }
            }
            if let Some(did) = did {
                self.serials.push((did, dpath.clone(), cat_serials));
            }
        }
    }

    /// Validates one node; returns its id when the id parsed (even if other checks failed), so
    /// that its children can still be checked against it.
    fn node(
        &mut self,
        part: CriteriaPart,
        parent: Option<&ControlId>,
        level: ControlLevel,
        raw: &RawNode<'_>,
        path: &str,
    ) -> Option<ControlId> {
        let id_path = format!("{path}.id");
        let id = match raw.id.parse::<ControlId>() {
            Ok(id) => id,
            Err(ControlIdError::SuffixNotAllowed { suffix, level, .. }) => {
                self.error(&id_path, ProblemKind::SuffixMisuse { id: raw.id.to_owned(), suffix, level });
                return None;
            }
            Err(e) => {
                self.error(&id_path, ProblemKind::InvalidId { value: raw.id.to_owned(), reason: e.to_string() });
                return None;
            }
        };
        let mut ok = true;
        if id.level() != level {
            self.error(&id_path, ProblemKind::LevelMismatch { id, expected: level, found: id.level() });
            ok = false;
        } else if let Some(parent) = parent
            && id.path().parent() != Some(parent.path())
        {
            self.error(&id_path, ProblemKind::MissingParent { id, found_under: *parent });
            ok = false;
        }
        if let Some(first) = self.seen.get(&id.path()) {
            let first = first.clone();
            self.error(&id_path, ProblemKind::DuplicateId { id, first });
            ok = false;
        } else {
            self.seen.insert(id.path(), path.to_owned());
        }
        let requirement = Requirement::derive(part, &id);
        if let Some(m) = raw.mandatory
            && m != requirement.is_mandatory()
        {
            self.error(
                &format!("{path}.mandatory"),
                ProblemKind::FlagContradictsId { id, flag: "mandatory", value: m },
            );
            ok = false;
        }
        if let Some(c) = raw.cloud_specific
            && c != id.is_cloud_specific()
        {
            self.error(
                &format!("{path}.cloud_specific"),
                ProblemKind::FlagContradictsId { id, flag: "cloud_specific", value: c },
            );
            ok = false;
        }
        if raw.title.is_none() && self.completeness == Completeness::Complete {
            self.error(path, ProblemKind::MissingTitle { id });
            ok = false;
        }
        if ok {
            self.nodes.push(Node {
                id,
                part,
                level,
                title: raw.title.cloned(),
                refs: raw.refs.to_vec(),
                cloud_specific: id.is_cloud_specific(),
                mandatory: requirement.is_mandatory(),
                requirement,
                parent: None,
                children: Vec::new(),
            });
        }
        Some(id)
    }

    /// Warns about serials missing below the highest one under each parent (e.g. 8.1.1, 8.1.3).
    fn check_gaps(&mut self) {
        let serials = std::mem::take(&mut self.serials);
        for (parent, path, mut nums) in serials {
            nums.sort_unstable();
            nums.dedup();
            let Some(max) = nums.last().copied() else { continue };
            let missing: Vec<u16> = (1..max).filter(|n| nums.binary_search(n).is_err()).collect();
            if !missing.is_empty() {
                self.warning(&path, ProblemKind::NumberingGap { parent, missing });
            }
        }
    }
}
