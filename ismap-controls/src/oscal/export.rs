//! The ISMAP catalog as an OSCAL catalog, and the baselines (ISMAP, ISMAP-LIU) and agency
//! additional requirements as OSCAL profiles.
//!
//! # Mapping
//!
//! | ISMAP | OSCAL |
//! |---|---|
//! | part (governance, management, controls) | top-level `group`, id `ismap-part-<key>` |
//! | domain (`8`), category (`8.1`) | nested `group`, id `ismap-8`, `ismap-8.1` |
//! | control objective (`8.1.2`) | `control`, id `ismap-8.1.2` |
//! | detailed control (`8.1.2.7.PB`) | child `control`, id `ismap-8.1.2.7.PB` |
//!
//! OSCAL ids are tokens and cannot start with a digit, hence the `ismap-` prefix; the ISMAP id
//! itself is the `label` property. Titles are written in English where there is one (Japanese
//! otherwise); both languages are also kept as `title-ja` / `title-en` properties in the
//! [`ISMAP_NS`] namespace, with the level, the requirement, the flags, and the clauses of
//! standards (`source-standard` / `source-clause`, paired by `group`). Item texts, when known,
//! become `statement` parts. [`super::import`] reads all of this back.

use std::collections::BTreeMap;

use ismap_model::{ControlId, ControlLevel, Lang, Text};

use super::model::{
    Add, Alter, Catalog as OscalCatalog, Control, Group, Import, Merge, Metadata, Modify, Part, Profile, Property,
};
use super::{ISMAP_NS, OSCAL_VERSION};
use crate::baseline::{AgencyAdditions, Baseline, BaselineKind};
use crate::catalog::{Catalog, Node, Requirement, SourceRef};

/// Export options.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct ExportOptions {
    /// The language of `title` fields (the other language is kept in properties).
    pub title_lang: Lang,
}

impl Default for ExportOptions {
    fn default() -> Self {
        Self { title_lang: Lang::En }
    }
}

/// The OSCAL id of an ISMAP item: `ismap-` followed by the id (`ismap-8.1.2.7.PB`).
#[must_use]
pub fn oscal_id(id: &ControlId) -> String {
    format!("ismap-{id}")
}

/// The ISMAP id in an OSCAL id written by [`oscal_id`].
#[must_use]
pub fn ismap_id(oscal_id: &str) -> Option<ControlId> {
    oscal_id.strip_prefix("ismap-")?.parse().ok()
}

/// A name-based (v5) UUID in the ISMAP namespace, stable across runs.
pub(super) fn stable_uuid(name: &str) -> String {
    uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, format!("{ISMAP_NS}/{name}").as_bytes()).to_string()
}

pub(super) fn ns_prop(name: &str, value: impl Into<String>) -> Property {
    Property::with_ns(ISMAP_NS, name, value)
}

/// Title props (`title-ja`, `title-en`) for the languages present.
fn title_props(title: Option<&Text>) -> Vec<Property> {
    let Some(t) = title else { return Vec::new() };
    [("title-ja", Lang::Ja), ("title-en", Lang::En)]
        .into_iter()
        .filter_map(|(name, lang)| t.exactly(lang).map(|s| ns_prop(name, s.trim())))
        .collect()
}

fn ref_props(refs: &[SourceRef]) -> Vec<Property> {
    let mut out = Vec::new();
    for (i, r) in refs.iter().enumerate() {
        let group = format!("ref-{}", i + 1);
        let mut p = ns_prop("source-standard", r.standard.trim());
        p.group = Some(group.clone());
        out.push(p);
        if let Some(c) = &r.clause {
            let mut p = ns_prop("source-clause", c.trim());
            p.group = Some(group);
            out.push(p);
        }
    }
    out
}

/// `sort-id`: numbers zero-padded to 4 digits, so that string order is numeric order.
fn sort_id(id: &ControlId) -> String {
    let mut s: Vec<String> = id.numbers().iter().map(|n| format!("{n:04}")).collect();
    if let Some(sfx) = id.suffix() {
        s.push(sfx.as_str().to_owned());
    }
    s.join(".")
}

fn requirement_token(r: Requirement) -> &'static str {
    match r {
        Requirement::Structural => "structural",
        Requirement::Required => "required",
        Requirement::RequiredUnlessExcluded => "required-unless-excluded",
        Requirement::RequiredUnlessObjectiveExcluded => "required-unless-objective-excluded",
        Requirement::Optional => "optional",
    }
}

fn level_token(l: ControlLevel) -> &'static str {
    match l {
        ControlLevel::Domain => "domain",
        ControlLevel::Category => "category",
        ControlLevel::Objective => "objective",
        ControlLevel::Detailed => "detailed",
    }
}

fn node_props(n: &Node) -> Vec<Property> {
    let mut props = vec![Property::new("label", n.id.to_string()), Property::new("sort-id", sort_id(&n.id))];
    props.push(ns_prop("level", level_token(n.level)));
    props.push(ns_prop("requirement", requirement_token(n.requirement)));
    props.push(ns_prop("mandatory", n.mandatory.to_string()));
    props.push(ns_prop("cloud-specific", n.cloud_specific.to_string()));
    props.extend(title_props(n.title.as_ref()));
    props.extend(ref_props(&n.refs));
    props
}

fn title_of(n: &Node, lang: Lang) -> String {
    n.title_or_default().get(lang).trim().to_owned()
}

fn statement_parts(id: &ControlId, text: Option<&Text>, lang: Lang) -> Vec<Part> {
    let Some(t) = text else { return Vec::new() };
    let other = match lang {
        Lang::Ja => Lang::En,
        Lang::En => Lang::Ja,
    };
    // The primary statement is in `lang` when the text has it; its class names its language.
    let (first, second) = if t.exactly(lang).is_some() { (lang, other) } else { (other, lang) };
    let mut primary =
        Part::new(Some(format!("{}_smt", oscal_id(id))), "statement", t.exactly(first).map(str::to_owned));
    primary.class = Some(lang_key(first).to_owned());
    let mut parts = vec![primary];
    if let Some(o) = t.exactly(second) {
        let mut p =
            Part::new(Some(format!("{}_smt_{}", oscal_id(id), lang_key(second))), "statement", Some(o.to_owned()));
        p.ns = Some(ISMAP_NS.to_owned());
        p.class = Some(lang_key(second).to_owned());
        parts.push(p);
    }
    parts
}

const fn lang_key(l: Lang) -> &'static str {
    match l {
        Lang::Ja => "ja",
        Lang::En => "en",
    }
}

/// The catalog as an OSCAL catalog (structure, titles, flags, references).
#[must_use]
pub fn catalog(catalog: &Catalog, options: &ExportOptions) -> OscalCatalog {
    catalog_with_texts(catalog, &BTreeMap::new(), options)
}

/// The catalog as an OSCAL catalog, with item texts as `statement` parts.
#[must_use]
pub fn catalog_with_texts(
    catalog: &Catalog,
    texts: &BTreeMap<ControlId, Text>,
    options: &ExportOptions,
) -> OscalCatalog {
    let meta = catalog.meta();
    let lang = options.title_lang;
    let stamp = format!("{}T00:00:00+09:00", meta.effective);
    let mut metadata =
        Metadata::new(meta.name.get(lang).trim(), stamp.clone(), meta.version.to_string(), OSCAL_VERSION);
    metadata.published = Some(stamp);
    metadata.props.extend(title_props(Some(&meta.name)));
    let completeness = match meta.completeness {
        crate::Completeness::Complete => "complete",
        crate::Completeness::StructureOnly => "structure-only",
    };
    metadata.props.push(ns_prop("completeness", completeness));
    metadata.props.push(ns_prop("effective", meta.effective.to_string()));
    metadata.remarks.clone_from(&meta.source);

    let control = |n: &Node| -> Control {
        let mut c = Control::new(oscal_id(&n.id), title_of(n, lang));
        c.class = Some(format!("ismap-{}", level_token(n.level)));
        c.props = node_props(n);
        c.parts = statement_parts(&n.id, texts.get(&n.id), lang);
        c
    };
    let group_of = |n: &Node| -> Group {
        let mut g = Group::new(Some(oscal_id(&n.id)), title_of(n, lang));
        g.class = Some(format!("ismap-{}", level_token(n.level)));
        g.props = node_props(n);
        g.parts = statement_parts(&n.id, texts.get(&n.id), lang);
        g
    };
    let mut out = OscalCatalog::new(stable_uuid(&format!("catalog/{}", meta.version)), metadata);
    for part in ismap_model::CriteriaPart::ALL {
        let domains: Vec<&Node> = catalog.at_level(ControlLevel::Domain).filter(|d| d.part == part).collect();
        if domains.is_empty() {
            continue;
        }
        let name = part.name();
        let mut pg = Group::new(Some(format!("ismap-part-{}", part.key())), name.get(lang).trim());
        pg.class = Some("ismap-part".to_owned());
        pg.props.push(ns_prop("part", part.key()));
        pg.props.extend(title_props(Some(&name)));
        for d in domains {
            let mut dg = group_of(d);
            for c in catalog.children(d) {
                let mut cg = group_of(c);
                for o in catalog.children(c) {
                    let mut oc = control(o);
                    oc.controls = catalog.children(o).map(control).collect();
                    cg.controls.push(oc);
                }
                dg.groups.push(cg);
            }
            pg.groups.push(dg);
        }
        out.groups.push(pg);
    }
    out
}

/// The href a profile uses for the exported catalog unless told otherwise.
pub const DEFAULT_CATALOG_HREF: &str = "ismap-catalog.json";

/// The file name `ismap oscal export --out-dir` gives a baseline's profile (and the href a
/// system security plan imports it by unless told otherwise, see [`super::ssp`]).
#[must_use]
pub const fn baseline_profile_file(kind: BaselineKind) -> &'static str {
    match kind {
        BaselineKind::Ismap => "ismap-baseline_profile.json",
        BaselineKind::Liu => "ismap-liu-baseline_profile.json",
    }
}

fn profile_metadata(title: Text, catalog: &Catalog, lang: Lang) -> Metadata {
    let meta = catalog.meta();
    let stamp = format!("{}T00:00:00+09:00", meta.effective);
    let mut m = Metadata::new(title.get(lang), stamp, meta.version.to_string(), OSCAL_VERSION);
    m.props.extend(title_props(Some(&title)));
    m
}

/// A baseline as an OSCAL profile of the catalog at `catalog_href`.
///
/// Both baselines include every item (ISMAP-LIU statements cover the same criteria as ISMAP);
/// for ISMAP-LIU, the controls in the external audit's scope get an `external-audit-scope`
/// property (namespace [`ISMAP_NS`]) through `alters`, and the scope's roots are listed in the
/// metadata.
#[must_use]
pub fn baseline_profile(
    baseline: &Baseline,
    catalog: &Catalog,
    catalog_href: &str,
    options: &ExportOptions,
) -> Profile {
    let (key, title) = match baseline.kind {
        BaselineKind::Ismap => ("ismap", Text::new("ISMAP ベースライン", "ISMAP baseline")),
        BaselineKind::Liu => ("liu", Text::new("ISMAP-LIU ベースライン", "ISMAP-LIU baseline")),
    };
    let mut metadata = profile_metadata(title, catalog, options.title_lang);
    metadata.props.push(ns_prop("baseline", key));
    metadata.props.push(ns_prop("program", baseline.program.as_str()));
    let mut profile = Profile::new(
        stable_uuid(&format!("profile/{key}/{}", catalog.meta().version)),
        metadata,
        vec![Import::all(catalog_href)],
    );
    profile.merge = Some(Merge::as_is());
    if let Some(scope) = &baseline.external_audit_scope {
        for root in scope {
            profile.metadata.props.push(ns_prop("external-audit-scope", root.to_string()));
        }
        let alters: Vec<Alter> = catalog
            .nodes()
            .filter(|n| n.level >= ControlLevel::Objective && baseline.in_external_audit_scope(&n.id))
            .map(|n| Alter {
                control_id: oscal_id(&n.id),
                removes: Vec::new(),
                adds: vec![Add { props: vec![ns_prop("external-audit-scope", "true")], ..Add::default() }],
            })
            .collect();
        if !alters.is_empty() {
            profile.modify = Some(Modify { set_parameters: Vec::new(), alters });
        }
    }
    profile
}

/// Agency additions as OSCAL: a small catalog holding the agency's own requirements, and a
/// profile importing the ISMAP catalog and that catalog, marking the items the agency requires
/// with an `agency-required` property.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct AgencyExport {
    /// The profile.
    pub profile: Profile,
    /// The catalog of the agency's own requirements.
    pub requirements: OscalCatalog,
    /// Required ids that are not in the catalog (a structure-only catalog lacks optional
    /// detailed controls): they cannot be marked.
    pub not_in_catalog: Vec<ControlId>,
}

/// The OSCAL id of an agency requirement.
#[must_use]
pub fn requirement_oscal_id(id: &crate::RequirementId) -> String {
    format!("agency-{id}")
}

/// Exports agency additions; `catalog_href` and `requirements_href` are where the profile will
/// find the two catalogs.
#[must_use]
pub fn agency(
    additions: &AgencyAdditions,
    catalog: &Catalog,
    catalog_href: &str,
    requirements_href: &str,
    options: &ExportOptions,
) -> AgencyExport {
    let lang = options.title_lang;
    let agency_name = additions.agency.get(lang).trim().to_owned();
    let title = Text::new(
        format!("{}の追加要件", additions.agency.get(Lang::Ja)),
        format!("Additional requirements of {}", additions.agency.get(Lang::En)),
    );
    let mut meta = profile_metadata(title.clone(), catalog, lang);
    meta.props.push(ns_prop("agency", agency_name.clone()));
    let mut req_catalog = OscalCatalog::new(
        stable_uuid(&format!("agency/{agency_name}/requirements")),
        Metadata::new(title.get(lang), meta.last_modified.clone(), "1", OSCAL_VERSION),
    );
    req_catalog.metadata.props.extend(title_props(Some(&title)));
    let mut group = Group::new(Some("agency-requirements".to_owned()), title.get(lang));
    group.props.push(ns_prop("agency", agency_name.clone()));
    for r in &additions.requirements {
        let mut c = Control::new(requirement_oscal_id(&r.id), r.title.get(lang).trim());
        c.props.push(Property::new("label", r.id.as_str()));
        c.props.extend(title_props(Some(&r.title)));
        group.controls.push(c);
    }
    if !group.controls.is_empty() {
        req_catalog.groups.push(group);
    }
    let mut imports = vec![Import::all(catalog_href)];
    if !additions.requirements.is_empty() {
        imports.push(Import::all(requirements_href));
    }
    let mut profile = Profile::new(stable_uuid(&format!("agency/{agency_name}/profile")), meta, imports);
    profile.merge = Some(Merge::as_is());
    let mut not_in_catalog = Vec::new();
    let mut alters = Vec::new();
    for id in &additions.require {
        if catalog.get(id).is_some() {
            alters.push(Alter {
                control_id: oscal_id(id),
                removes: Vec::new(),
                adds: vec![Add { props: vec![ns_prop("agency-required", "true")], ..Add::default() }],
            });
        } else {
            not_in_catalog.push(*id);
        }
    }
    if !alters.is_empty() {
        profile.modify = Some(Modify { set_parameters: Vec::new(), alters });
    }
    AgencyExport { profile, requirements: req_catalog, not_in_catalog }
}
