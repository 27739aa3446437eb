//! Checks on loaded OSCAL documents beyond their JSON structure: formats of UUIDs, tokens and
//! dates, unique ids, parameter insertions and `#` references that resolve, and the rules of
//! profiles and mapping collections. Every problem has the JSON path of the offending value.

use std::collections::{HashMap, HashSet};
use std::fmt;

use ismap_model::{Lang, Text};
use schemars::JsonSchema;
use serde::Serialize;

use super::Document;
use super::mapping::{MappingCollection, Relationship};
use super::model::{BackMatter, Catalog, Control, Group, Metadata, Parameter, Part, Profile, Property};
use super::refs::{fragment_refs, param_inserts};
use crate::catalog::Severity;

/// One problem found in an OSCAL document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[non_exhaustive]
pub struct OscalProblem {
    /// Error or warning.
    pub severity: Severity,
    /// JSON path.
    pub path: String,
    /// What.
    pub kind: OscalProblemKind,
}

/// The kinds of [`OscalProblem`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum OscalProblemKind {
    /// Not a UUID (8-4-4-4-12 hex digits).
    InvalidUuid {
        /// The value.
        value: String,
    },
    /// A UUID of a version other than 4 or 5 (OSCAL 1.1 asks for 4 or 5).
    UuidVersion {
        /// The value.
        value: String,
    },
    /// Not a token (a letter or `_`, then letters, digits, `.`, `-`, `_`).
    InvalidToken {
        /// The value.
        value: String,
    },
    /// Not a date-time with a time zone.
    InvalidDateTime {
        /// The value.
        value: String,
    },
    /// An id used twice in the document.
    DuplicateId {
        /// The id.
        id: String,
        /// Path of the first use.
        first: String,
    },
    /// An insertion names a parameter the document does not define.
    UnknownParameter {
        /// The parameter id.
        id: String,
    },
    /// A `#` link names nothing in the document.
    DanglingReference {
        /// The href.
        href: String,
    },
    /// A profile rule is broken.
    Profile {
        /// Which rule.
        rule: ProfileRule,
    },
    /// A value outside the allowed ones.
    NotAllowed {
        /// The value.
        value: String,
        /// The allowed values.
        allowed: String,
    },
    /// A list that must not be empty is empty.
    Empty {
        /// The field.
        field: String,
    },
    /// A profile's `add` brings an id the resolved catalog already has (from the imports or
    /// an earlier add): the result would have a duplicate id.
    DuplicateAddedId {
        /// The id.
        id: String,
        /// The JSON path of the earlier add that brings it, when it is not from the imports.
        first_add: Option<String>,
        /// The control of the imports that has it, when it comes from a control.
        control_id: Option<String>,
    },
    /// An `alters` entry names a control the imports do not select, or an `add`'s `by-id`
    /// names nothing inside the control: the directive is inoperative.
    MissingAlterTarget {
        /// The altered control.
        control_id: String,
        /// The `by-id` of the add, when the control is there but the target is not.
        by_id: Option<String>,
    },
    /// A profile's imports could not be resolved, so its alters were not checked against them.
    ImportsUnresolved {
        /// Why.
        reason: String,
    },
}

/// The profile rules [`validate_profile`] checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProfileRule {
    /// A profile must import something.
    NoImports,
    /// An import has both `include-all` and `include-controls`.
    IncludeAllAndControls,
    /// `merge` has more than one of `flat`, `as-is`, `custom`.
    SeveralStructures,
    /// `combine: merge` is deprecated.
    DeprecatedMerge,
    /// `matching` without a pattern matches nothing.
    EmptyPattern,
    /// `#uuid` import naming no back-matter resource.
    UnknownImportResource,
}

impl OscalProblem {
    fn new(severity: Severity, path: impl Into<String>, kind: OscalProblemKind) -> Self {
        Self { severity, path: path.into(), kind }
    }

    /// A warning at `$.profile.imports`: the imports could not be resolved (`reason`), so the
    /// alters were checked only among themselves (see [`profile_alters`]).
    #[must_use]
    pub fn imports_unresolved(reason: impl Into<String>) -> Self {
        Self::new(Severity::Warning, "$.profile.imports", OscalProblemKind::ImportsUnresolved { reason: reason.into() })
    }

    /// The message in Japanese and English.
    #[must_use]
    pub fn message(&self) -> Text {
        use OscalProblemKind as K;
        match &self.kind {
            K::InvalidUuid { value } => {
                Text::new(format!("`{value}` はUUIDではありません"), format!("`{value}` is not a UUID"))
            }
            K::UuidVersion { value } => Text::new(
                format!("UUID `{value}` はバージョン4・5ではありません"),
                format!("UUID `{value}` is not of version 4 or 5"),
            ),
            K::InvalidToken { value } => Text::new(
                format!("`{value}` はトークン（英字か_で始まり、英数字・.・-・_が続く）ではありません"),
                format!("`{value}` is not a token (a letter or `_`, then letters, digits, `.`, `-`, `_`)"),
            ),
            K::InvalidDateTime { value } => Text::new(
                format!("`{value}` はタイムゾーン付きの日時ではありません"),
                format!("`{value}` is not a date-time with a time zone"),
            ),
            K::DuplicateId { id, first } => Text::new(
                format!("id `{id}` が重複しています（最初は {first}）"),
                format!("id `{id}` is used twice (first at {first})"),
            ),
            K::UnknownParameter { id } => Text::new(
                format!("パラメータ `{id}` が定義されていません"),
                format!("parameter `{id}` is inserted but not defined"),
            ),
            K::DanglingReference { href } => Text::new(
                format!("`{href}` の参照先が文書内にありません"),
                format!("`{href}` refers to nothing in the document"),
            ),
            K::Profile { rule } => {
                let (ja, en) = match rule {
                    ProfileRule::NoImports => ("プロファイルに imports がありません", "the profile imports nothing"),
                    ProfileRule::IncludeAllAndControls => (
                        "include-all と include-controls を同時に指定しています",
                        "both include-all and include-controls are given",
                    ),
                    ProfileRule::SeveralStructures => (
                        "merge に flat・as-is・custom が複数あります",
                        "merge has more than one of flat, as-is and custom",
                    ),
                    ProfileRule::DeprecatedMerge => {
                        ("combine の method `merge` は非推奨です", "combine method `merge` is deprecated")
                    }
                    ProfileRule::EmptyPattern => {
                        ("pattern のない matching は何にも一致しません", "matching without a pattern matches nothing")
                    }
                    ProfileRule::UnknownImportResource => {
                        ("この uuid の back-matter リソースがありません", "no back-matter resource has this uuid")
                    }
                };
                Text::new(ja, en)
            }
            K::NotAllowed { value, allowed } => Text::new(
                format!("`{value}` は使えません（{allowed}）"),
                format!("`{value}` is not allowed (expected one of {allowed})"),
            ),
            K::Empty { field } => Text::new(format!("`{field}` が空です"), format!("`{field}` must not be empty")),
            K::DuplicateAddedId { id, first_add: Some(first), .. } => Text::new(
                format!("add が加える id `{id}` は先の add（{first}）も加えています"),
                format!("add brings id `{id}`, which an earlier add ({first}) brings too"),
            ),
            K::DuplicateAddedId { id, first_add: None, control_id: Some(ctl) } => Text::new(
                format!("add が加える id `{id}` は取り込んだ管理策 `{ctl}` に既にあります"),
                format!("add brings id `{id}`, which control `{ctl}` of the imports already has"),
            ),
            K::DuplicateAddedId { id, first_add: None, control_id: None } => Text::new(
                format!("add が加える id `{id}` は取り込んだカタログに既にあります"),
                format!("add brings id `{id}`, which the imported catalog already has"),
            ),
            K::MissingAlterTarget { control_id, by_id: None } => Text::new(
                format!("alters の管理策 `{control_id}` は取り込みで選択されていません（適用されません）"),
                format!("alters names control `{control_id}`, which the imports do not select (inoperative)"),
            ),
            K::MissingAlterTarget { control_id, by_id: Some(by_id) } => Text::new(
                format!("管理策 `{control_id}` の中に by-id `{by_id}` の対象がありません（add は適用されません）"),
                format!("nothing inside control `{control_id}` has id `{by_id}` (the add is inoperative)"),
            ),
            K::ImportsUnresolved { reason } => Text::new(
                format!("取り込みを解決できないため alters を照合していません: {reason}"),
                format!("the imports could not be resolved, so the alters were not checked against them: {reason}"),
            ),
        }
    }
}

impl fmt::Display for OscalProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {}: {}", self.severity, self.path, self.message().get(Lang::En))
    }
}

/// Whether `s` is a UUID (any version).
fn is_uuid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups.iter().zip([8, 4, 4, 4, 12]).all(|(g, n)| g.len() == n && g.chars().all(|c| c.is_ascii_hexdigit()))
}

/// Whether `s` is an OSCAL token.
pub(crate) fn is_token(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

/// Collects problems.
struct Checker {
    problems: Vec<OscalProblem>,
    ids: HashMap<String, String>,
}

impl Checker {
    fn new() -> Self {
        Self { problems: Vec::new(), ids: HashMap::new() }
    }

    fn push(&mut self, severity: Severity, path: &str, kind: OscalProblemKind) {
        self.problems.push(OscalProblem::new(severity, path, kind));
    }

    fn uuid(&mut self, value: &str, path: &str) {
        if !is_uuid(value) {
            self.push(Severity::Error, path, OscalProblemKind::InvalidUuid { value: value.to_owned() });
        } else if !matches!(value.as_bytes().get(14), Some(b'4' | b'5')) {
            self.push(Severity::Warning, path, OscalProblemKind::UuidVersion { value: value.to_owned() });
        }
    }

    fn token(&mut self, value: &str, path: &str) {
        if !is_token(value) {
            self.push(Severity::Error, path, OscalProblemKind::InvalidToken { value: value.to_owned() });
        }
    }

    fn datetime(&mut self, value: &str, path: &str) {
        if chrono::DateTime::parse_from_rfc3339(value).is_err() {
            self.push(Severity::Error, path, OscalProblemKind::InvalidDateTime { value: value.to_owned() });
        }
    }

    fn id(&mut self, value: &str, path: &str) {
        let p = format!("{path}.id");
        self.token(value, &p);
        if let Some(first) = self.ids.get(value) {
            let first = first.clone();
            self.push(Severity::Error, &p, OscalProblemKind::DuplicateId { id: value.to_owned(), first });
        } else {
            self.ids.insert(value.to_owned(), p);
        }
    }

    fn props(&mut self, props: &[Property], path: &str) {
        for (i, p) in props.iter().enumerate() {
            self.token(&p.name, &format!("{path}.props[{i}].name"));
            if let Some(u) = &p.uuid {
                self.uuid(u, &format!("{path}.props[{i}].uuid"));
            }
        }
    }

    fn metadata(&mut self, m: &Metadata, path: &str) {
        self.datetime(&m.last_modified, &format!("{path}.last-modified"));
        if let Some(p) = &m.published {
            self.datetime(p, &format!("{path}.published"));
        }
        self.props(&m.props, path);
        for (i, r) in m.roles.iter().enumerate() {
            self.token(&r.id, &format!("{path}.roles[{i}].id"));
        }
        for (i, p) in m.parties.iter().enumerate() {
            self.uuid(&p.uuid, &format!("{path}.parties[{i}].uuid"));
        }
        for (i, l) in m.locations.iter().enumerate() {
            self.uuid(&l.uuid, &format!("{path}.locations[{i}].uuid"));
        }
    }

    fn back_matter(&mut self, b: Option<&BackMatter>, path: &str) {
        for (i, r) in b.iter().flat_map(|b| b.resources.iter()).enumerate() {
            let p = format!("{path}.back-matter.resources[{i}]");
            self.uuid(&r.uuid, &format!("{p}.uuid"));
            self.props(&r.props, &p);
        }
    }

    fn params(&mut self, ps: &[Parameter], path: &str) {
        for (i, p) in ps.iter().enumerate() {
            let pp = format!("{path}.params[{i}]");
            self.id(&p.id, &pp);
            self.props(&p.props, &pp);
        }
    }

    fn parts(&mut self, ps: &[Part], path: &str) {
        for (i, p) in ps.iter().enumerate() {
            let pp = format!("{path}.parts[{i}]");
            if let Some(id) = &p.id {
                self.id(id, &pp);
            }
            self.token(&p.name, &format!("{pp}.name"));
            self.props(&p.props, &pp);
            self.parts(&p.parts, &pp);
        }
    }

    fn controls(&mut self, cs: &[Control], path: &str) {
        for (i, c) in cs.iter().enumerate() {
            let p = format!("{path}.controls[{i}]");
            self.id(&c.id, &p);
            self.params(&c.params, &p);
            self.props(&c.props, &p);
            self.parts(&c.parts, &p);
            self.controls(&c.controls, &p);
        }
    }

    fn groups(&mut self, gs: &[Group], path: &str) {
        for (i, g) in gs.iter().enumerate() {
            let p = format!("{path}.groups[{i}]");
            if let Some(id) = &g.id {
                self.id(id, &p);
            }
            self.params(&g.params, &p);
            self.props(&g.props, &p);
            self.parts(&g.parts, &p);
            self.groups(&g.groups, &p);
            self.controls(&g.controls, &p);
        }
    }
}

/// Checks a catalog.
#[must_use]
pub fn validate_catalog(catalog: &Catalog) -> Vec<OscalProblem> {
    let mut c = Checker::new();
    let root = "$.catalog";
    c.uuid(&catalog.uuid, &format!("{root}.uuid"));
    c.metadata(&catalog.metadata, &format!("{root}.metadata"));
    c.params(&catalog.params, root);
    c.controls(&catalog.controls, root);
    c.groups(&catalog.groups, root);
    c.back_matter(catalog.back_matter.as_ref(), root);
    // Insertions and fragment references.
    let mut body = catalog.clone();
    body.back_matter = None;
    let text = serde_json::to_string(&body).unwrap_or_default();
    let mut inserted = HashSet::new();
    param_inserts(&text, &mut inserted);
    let mut missing: Vec<&String> = inserted.iter().filter(|id| !c.ids.contains_key(*id)).collect();
    missing.sort();
    for id in missing {
        c.push(Severity::Error, root, OscalProblemKind::UnknownParameter { id: id.clone() });
    }
    let mut targets: HashSet<String> = c.ids.keys().cloned().collect();
    targets.extend(catalog.back_matter.iter().flat_map(|b| b.resources.iter().map(|r| r.uuid.clone())));
    let mut dangling = Vec::new();
    for control in catalog.all_controls() {
        for l in &control.links {
            if let Some(t) = l.href.strip_prefix('#')
                && !targets.contains(t)
            {
                dangling.push((control.id.clone(), l.href.clone()));
            }
        }
    }
    for (id, href) in dangling {
        let path = c.ids.get(&id).cloned().unwrap_or_else(|| root.to_owned());
        c.push(Severity::Warning, path.trim_end_matches(".id"), OscalProblemKind::DanglingReference { href });
    }
    c.problems
}

fn select_problems(c: &mut Checker, selects: &[super::model::SelectControl], path: &str) {
    for (i, s) in selects.iter().enumerate() {
        for (j, m) in s.matching.iter().enumerate() {
            if m.pattern.is_none() {
                c.push(
                    Severity::Warning,
                    &format!("{path}[{i}].matching[{j}]"),
                    OscalProblemKind::Profile { rule: ProfileRule::EmptyPattern },
                );
            }
        }
    }
}

/// Checks a profile.
#[must_use]
pub fn validate_profile(profile: &Profile) -> Vec<OscalProblem> {
    let mut c = Checker::new();
    let root = "$.profile";
    c.uuid(&profile.uuid, &format!("{root}.uuid"));
    c.metadata(&profile.metadata, &format!("{root}.metadata"));
    if profile.imports.is_empty() {
        c.push(Severity::Error, &format!("{root}.imports"), OscalProblemKind::Profile { rule: ProfileRule::NoImports });
    }
    let resources: HashSet<&str> =
        profile.back_matter.iter().flat_map(|b| b.resources.iter().map(|r| r.uuid.as_str())).collect();
    for (i, imp) in profile.imports.iter().enumerate() {
        let p = format!("{root}.imports[{i}]");
        if imp.include_all.is_some() && !imp.include_controls.is_empty() {
            c.push(Severity::Error, &p, OscalProblemKind::Profile { rule: ProfileRule::IncludeAllAndControls });
        }
        if let Some(u) = imp.href.strip_prefix('#')
            && !resources.contains(u)
        {
            c.push(
                Severity::Error,
                &format!("{p}.href"),
                OscalProblemKind::Profile { rule: ProfileRule::UnknownImportResource },
            );
        }
        select_problems(&mut c, &imp.include_controls, &format!("{p}.include-controls"));
        select_problems(&mut c, &imp.exclude_controls, &format!("{p}.exclude-controls"));
    }
    if let Some(m) = &profile.merge {
        let n = usize::from(m.flat.is_some()) + usize::from(m.as_is.is_some()) + usize::from(m.custom.is_some());
        if n > 1 {
            c.push(
                Severity::Error,
                &format!("{root}.merge"),
                OscalProblemKind::Profile { rule: ProfileRule::SeveralStructures },
            );
        }
        if m.combine.as_ref().and_then(|x| x.method) == Some(super::model::CombineMethod::Merge) {
            c.push(
                Severity::Warning,
                &format!("{root}.merge.combine.method"),
                OscalProblemKind::Profile { rule: ProfileRule::DeprecatedMerge },
            );
        }
    }
    if let Some(m) = &profile.modify {
        for (i, s) in m.set_parameters.iter().enumerate() {
            c.token(&s.param_id, &format!("{root}.modify.set-parameters[{i}].param-id"));
        }
        for (i, a) in m.alters.iter().enumerate() {
            c.token(&a.control_id, &format!("{root}.modify.alters[{i}].control-id"));
        }
    }
    c.back_matter(profile.back_matter.as_ref(), root);
    c.problems
}

/// Checks a profile's `alters` against `merged`, the catalog its imports and merge give
/// (`Resolver::resolve_unmodified` in [`super::resolve`]): alters naming a control that is not
/// there and adds whose `by-id` names nothing inside the control (warnings: resolution skips
/// them), and adds bringing parameters or parts with an id the result already has, from the
/// imports or an earlier add (errors: the resolved catalog would be invalid). Removes by id are
/// taken into account. Without `merged` (imports not available), only adds clashing with one
/// another are found.
#[must_use]
pub fn profile_alters(profile: &Profile, merged: Option<&Catalog>) -> Vec<OscalProblem> {
    let mut c = Checker::new();
    let Some(modify) = &profile.modify else { return c.problems };
    // Every id of the result, with where it is.
    let mut ids: HashMap<String, Origin> = HashMap::new();
    if let Some(cat) = merged {
        for p in &cat.params {
            ids.insert(p.id.clone(), Origin::Imports(None));
        }
        collect_group_ids(&cat.groups, &mut ids);
        for ctl in &cat.controls {
            collect_control_ids(ctl, &mut ids);
        }
    }
    for (i, alter) in modify.alters.iter().enumerate() {
        let root = format!("$.profile.modify.alters[{i}]");
        let control = merged.and_then(|cat| cat.find_control(&alter.control_id));
        if merged.is_some() && control.is_none() {
            c.push(
                Severity::Warning,
                &format!("{root}.control-id"),
                OscalProblemKind::MissingAlterTarget { control_id: alter.control_id.clone(), by_id: None },
            );
        }
        // Ids inside the control (what `by-id` may name).
        let mut inside: HashSet<String> = HashSet::new();
        if let Some(ctl) = control {
            let mut m = HashMap::new();
            for x in &ctl.controls {
                collect_control_ids(x, &mut m);
            }
            for p in &ctl.params {
                m.insert(p.id.clone(), Origin::Imports(None));
            }
            collect_part_ids(&ctl.parts, &mut m, &Origin::Imports(None));
            inside.extend(m.into_keys());
        }
        for r in &alter.removes {
            if let Some(id) = &r.by_id
                && inside.remove(id)
            {
                ids.remove(id);
            }
        }
        for (j, add) in alter.adds.iter().enumerate() {
            let ap = format!("{root}.adds[{j}]");
            if let Some(by_id) = &add.by_id
                && control.is_some()
                && *by_id != alter.control_id
                && !inside.contains(by_id)
            {
                c.push(
                    Severity::Warning,
                    &format!("{ap}.by-id"),
                    OscalProblemKind::MissingAlterTarget {
                        control_id: alter.control_id.clone(),
                        by_id: Some(by_id.clone()),
                    },
                );
            }
            let mut added = Vec::new();
            for (k, p) in add.params.iter().enumerate() {
                added.push((p.id.clone(), format!("{ap}.params[{k}].id")));
            }
            added_part_ids(&add.parts, &format!("{ap}.parts"), &mut added);
            for (id, path) in added {
                match ids.get(&id) {
                    Some(first) => {
                        let (first_add, control_id) = match first {
                            Origin::Imports(ctl) => (None, ctl.clone()),
                            Origin::Add(p) => (Some(p.clone()), None),
                        };
                        c.push(
                            Severity::Error,
                            &path,
                            OscalProblemKind::DuplicateAddedId { id, first_add, control_id },
                        );
                    }
                    None => {
                        ids.insert(id.clone(), Origin::Add(path));
                        inside.insert(id);
                    }
                }
            }
        }
    }
    c.problems
}

/// Where an id of a resolved catalog comes from.
#[derive(Clone)]
enum Origin {
    /// The imports (in this control, if in one).
    Imports(Option<String>),
    /// An add, at this JSON path.
    Add(String),
}

fn collect_group_ids(gs: &[Group], ids: &mut HashMap<String, Origin>) {
    for g in gs {
        if let Some(id) = &g.id {
            ids.entry(id.clone()).or_insert(Origin::Imports(None));
        }
        for p in &g.params {
            ids.entry(p.id.clone()).or_insert(Origin::Imports(None));
        }
        collect_part_ids(&g.parts, ids, &Origin::Imports(None));
        for ctl in &g.controls {
            collect_control_ids(ctl, ids);
        }
        collect_group_ids(&g.groups, ids);
    }
}

fn collect_control_ids(ctl: &Control, ids: &mut HashMap<String, Origin>) {
    let at = || Origin::Imports(Some(ctl.id.clone()));
    ids.entry(ctl.id.clone()).or_insert_with(at);
    for p in &ctl.params {
        ids.entry(p.id.clone()).or_insert_with(at);
    }
    collect_part_ids(&ctl.parts, ids, &at());
    for x in &ctl.controls {
        collect_control_ids(x, ids);
    }
}

fn collect_part_ids(parts: &[Part], ids: &mut HashMap<String, Origin>, at: &Origin) {
    for p in parts {
        if let Some(id) = &p.id {
            ids.entry(id.clone()).or_insert_with(|| at.clone());
        }
        collect_part_ids(&p.parts, ids, at);
    }
}

fn added_part_ids(parts: &[Part], path: &str, out: &mut Vec<(String, String)>) {
    for (k, p) in parts.iter().enumerate() {
        if let Some(id) = &p.id {
            out.push((id.clone(), format!("{path}[{k}].id")));
        }
        added_part_ids(&p.parts, &format!("{path}[{k}].parts"), out);
    }
}

fn allowed(c: &mut Checker, value: &str, values: &[&str], path: &str) {
    if !values.contains(&value) {
        c.push(
            Severity::Error,
            path,
            OscalProblemKind::NotAllowed { value: value.to_owned(), allowed: values.join(", ") },
        );
    }
}

/// Checks a mapping collection.
#[must_use]
pub fn validate_mapping_collection(doc: &MappingCollection) -> Vec<OscalProblem> {
    const METHODS: &[&str] = &["human", "automation", "hybrid"];
    const RATIONALES: &[&str] = &["syntactic", "semantic", "functional"];
    const STATUSES: &[&str] = &["complete", "not-complete", "draft", "deprecated", "superseded"];
    let mut c = Checker::new();
    let root = "$.mapping-collection";
    c.uuid(&doc.uuid, &format!("{root}.uuid"));
    c.metadata(&doc.metadata, &format!("{root}.metadata"));
    let pv = &doc.provenance;
    allowed(&mut c, &pv.method, METHODS, &format!("{root}.provenance.method"));
    allowed(&mut c, &pv.matching_rationale, RATIONALES, &format!("{root}.provenance.matching-rationale"));
    allowed(&mut c, &pv.status, STATUSES, &format!("{root}.provenance.status"));
    if doc.mappings.is_empty() {
        c.push(Severity::Error, &format!("{root}.mappings"), OscalProblemKind::Empty { field: "mappings".into() });
    }
    for (i, m) in doc.mappings.iter().enumerate() {
        let p = format!("{root}.mappings[{i}]");
        c.uuid(&m.uuid, &format!("{p}.uuid"));
        if let Some(v) = &m.method {
            allowed(&mut c, v, METHODS, &format!("{p}.method"));
        }
        if let Some(v) = &m.matching_rationale {
            allowed(&mut c, v, RATIONALES, &format!("{p}.matching-rationale"));
        }
        if let Some(v) = &m.status {
            allowed(&mut c, v, STATUSES, &format!("{p}.status"));
        }
        if m.maps.is_empty() {
            c.push(Severity::Error, &format!("{p}.maps"), OscalProblemKind::Empty { field: "maps".into() });
        }
        for (j, map) in m.maps.iter().enumerate() {
            let mp = format!("{p}.maps[{j}]");
            c.uuid(&map.uuid, &format!("{mp}.uuid"));
            if let Relationship::Other(r) = &map.relationship
                && map.ns.as_deref().is_none_or(|ns| ns == super::model::OSCAL_NS)
            {
                allowed(
                    &mut c,
                    r,
                    &["equivalent-to", "equal-to", "subset-of", "superset-of", "intersects-with", "no-relationship"],
                    &format!("{mp}.relationship"),
                );
            }
            for (field, items) in [("sources", &map.sources), ("targets", &map.targets)] {
                if items.is_empty() {
                    c.push(Severity::Error, &format!("{mp}.{field}"), OscalProblemKind::Empty { field: field.into() });
                }
                for (k, it) in items.iter().enumerate() {
                    allowed(&mut c, &it.kind, &["control", "statement"], &format!("{mp}.{field}[{k}].type"));
                }
            }
            if let Some(p) = map.confidence_score.as_ref().and_then(|s| s.percentage)
                && !(0.0..=1.0).contains(&p)
            {
                c.push(
                    Severity::Error,
                    &format!("{mp}.confidence-score.percentage"),
                    OscalProblemKind::NotAllowed { value: p.to_string(), allowed: "0 to 1".into() },
                );
            }
        }
    }
    c.back_matter(doc.back_matter.as_ref(), root);
    c.problems
}

/// Checks any document.
#[must_use]
pub fn validate(doc: &Document) -> Vec<OscalProblem> {
    let mut problems = match doc {
        Document::Catalog(c) => validate_catalog(c),
        Document::Profile(p) => validate_profile(p),
        Document::MappingCollection(m) => validate_mapping_collection(m),
    };
    problems.sort_by_key(|p| p.severity);
    problems
}

/// Fragment references in a document's text (for callers that check references across files).
#[must_use]
pub fn fragment_references(json: &str) -> HashSet<String> {
    let mut out = HashSet::new();
    fragment_refs(json, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert!(is_uuid("5d5a2c6e-0a7b-4e0b-9a57-3c9a4b0f5a01"));
        assert!(!is_uuid("5d5a2c6e-0a7b-4e0b-9a57-3c9a4b0f5a0"));
        assert!(is_token("ac-1_prm_1"));
        assert!(is_token("ismap-8.1.2.7.PB"));
        assert!(!is_token("8.1.2"));
        assert!(!is_token(""));
    }
}
