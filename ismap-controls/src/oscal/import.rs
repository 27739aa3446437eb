//! OSCAL catalogs into the ISMAP catalog model, where they map.
//!
//! Each group and control is given an ISMAP id from, in order: its id without the `ismap-`
//! prefix ([`super::export::oscal_id`]), its `label` property, its id as written. Items whose id
//! follows none of these are reported in [`OscalImport::unmapped`] with their JSON path (the
//! top-level part groups [`super::export`] writes are recognised and not reported). The mapped
//! items are placed by their ids and validated by [`crate::import::build`]. Titles, flags,
//! references, the part and the texts written by [`super::export`] are read back; a foreign
//! catalog's `title` is taken as English.

use chrono::NaiveDate;
use ismap_model::{ControlId, CriteriaPart, Text};
use schemars::JsonSchema;
use serde::Serialize;

use super::ISMAP_NS;
use super::export::ismap_id;
use super::model::{Catalog as OscalCatalog, Control, Group, Part, Property, find_prop};
use crate::catalog::{Completeness, SourceRef};
use crate::import::{Built, CatalogMetaInput, ImportProblem, ImportProblemKind, Item, Origin, build};

/// An item of the OSCAL catalog that does not map to an ISMAP id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[non_exhaustive]
pub struct Unmapped {
    /// JSON path of the group or control.
    pub path: String,
    /// Its OSCAL id (empty for a group without id).
    pub id: String,
    /// Its title.
    pub title: String,
}

/// The outcome of an import.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct OscalImport {
    /// The catalog built from the items that map, or every problem found.
    pub result: Result<Built, Vec<ImportProblem>>,
    /// The items that do not map.
    pub unmapped: Vec<Unmapped>,
    /// How many items mapped.
    pub mapped: usize,
}

fn ns<'a>(props: &'a [Property], name: &str) -> Option<&'a str> {
    find_prop(props, name, Some(ISMAP_NS))
}

/// The ISMAP id of an OSCAL item, by the rules of this module.
fn map_id(id: Option<&str>, props: &[Property]) -> Option<ControlId> {
    id.and_then(ismap_id)
        .or_else(|| find_prop(props, "label", None).and_then(|l| l.parse().ok()))
        .or_else(|| id.and_then(|i| i.parse().ok()))
}

fn title(oscal_title: &str, props: &[Property]) -> Option<Text> {
    let (ja, en) = (ns(props, "title-ja"), ns(props, "title-en"));
    if ja.is_some() || en.is_some() {
        return Text::try_new(ja.map(str::to_owned), en.map(str::to_owned)).ok();
    }
    // Items exported without a title carry ISMAP properties but no title-* ones.
    if ns(props, "level").is_some() {
        return None;
    }
    Text::try_new(None, Some(oscal_title.to_owned())).ok()
}

fn refs(props: &[Property]) -> Vec<SourceRef> {
    let mut out = Vec::new();
    for p in props.iter().filter(|p| p.name == "source-standard" && p.ns.as_deref() == Some(ISMAP_NS)) {
        let clause = props
            .iter()
            .find(|c| {
                c.name == "source-clause"
                    && c.ns.as_deref() == Some(ISMAP_NS)
                    && c.group.is_some()
                    && c.group == p.group
            })
            .map(|c| c.value.clone());
        out.push(SourceRef::new(p.value.clone(), clause));
    }
    out
}

fn flag(props: &[Property], name: &str) -> Option<bool> {
    ns(props, name).and_then(|v| v.parse().ok())
}

fn text(parts: &[Part]) -> Option<Text> {
    let (mut ja, mut en) = (None, None);
    for p in parts.iter().filter(|p| p.name == "statement" && (p.ns.is_none() || p.ns.as_deref() == Some(ISMAP_NS))) {
        match p.class.as_deref() {
            Some("ja") => ja = ja.or_else(|| p.prose.clone()),
            _ => en = en.or_else(|| p.prose.clone()),
        }
    }
    Text::try_new(ja, en).ok()
}

struct Walker {
    items: Vec<Item>,
    unmapped: Vec<Unmapped>,
}

impl Walker {
    fn item(
        &mut self,
        id: Option<&str>,
        oscal_title: &str,
        props: &[Property],
        parts: &[Part],
        part: Option<CriteriaPart>,
        path: &str,
    ) {
        match map_id(id, props) {
            Some(cid) => {
                let mut item = Item::new(cid.to_string(), Origin::Path { path: path.to_owned() });
                item.part = part;
                item.title = title(oscal_title, props);
                item.refs = refs(props);
                item.mandatory = flag(props, "mandatory");
                item.cloud_specific = flag(props, "cloud-specific");
                item.text = text(parts);
                self.items.push(item);
            }
            None => self.unmapped.push(Unmapped {
                path: path.to_owned(),
                id: id.unwrap_or_default().to_owned(),
                title: oscal_title.to_owned(),
            }),
        }
    }

    fn controls(&mut self, cs: &[Control], part: Option<CriteriaPart>, path: &str) {
        for (i, c) in cs.iter().enumerate() {
            let p = format!("{path}.controls[{i}]");
            self.item(Some(&c.id), &c.title, &c.props, &c.parts, part, &p);
            self.controls(&c.controls, part, &p);
        }
    }

    fn groups(&mut self, gs: &[Group], part: Option<CriteriaPart>, path: &str) {
        for (i, g) in gs.iter().enumerate() {
            let p = format!("{path}.groups[{i}]");
            let own_part = ns(&g.props, "part").and_then(part_of_key);
            if own_part.is_none() {
                self.item(g.id.as_deref(), &g.title, &g.props, &g.parts, part, &p);
            }
            let part = own_part.or(part);
            self.controls(&g.controls, part, &p);
            self.groups(&g.groups, part, &p);
        }
    }
}

fn part_of_key(key: &str) -> Option<CriteriaPart> {
    CriteriaPart::ALL.into_iter().find(|p| p.key() == key)
}

/// Imports an OSCAL catalog into the ISMAP catalog model.
#[must_use]
pub fn catalog(oscal: &OscalCatalog) -> OscalImport {
    let mut w = Walker { items: Vec::new(), unmapped: Vec::new() };
    w.controls(&oscal.controls, None, "$.catalog");
    w.groups(&oscal.groups, None, "$.catalog");
    let m = &oscal.metadata;
    let name_ja = ns(&m.props, "title-ja");
    let name_en = ns(&m.props, "title-en");
    let name = if name_ja.is_some() || name_en.is_some() {
        Text::try_new(name_ja.map(str::to_owned), name_en.map(str::to_owned)).unwrap_or_else(|_| Text::en(&m.title))
    } else {
        Text::en(&m.title)
    };
    let completeness = match ns(&m.props, "completeness") {
        Some("complete") => Completeness::Complete,
        _ => Completeness::StructureOnly,
    };
    let date_text = ns(&m.props, "effective").or(m.published.as_deref()).unwrap_or(&m.last_modified);
    let effective = date_text.get(..10).and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    let mapped = w.items.len();
    let result = match effective {
        Some(effective) => {
            let mut meta = CatalogMetaInput::new(name, m.version.clone(), effective, completeness);
            meta.source.clone_from(&m.remarks);
            build(&meta, &w.items)
        }
        None => Err(vec![ImportProblem::error(
            Origin::Path { path: "$.catalog.metadata".to_owned() },
            ImportProblemKind::BadMetadata {
                field: "effective".to_owned(),
                reason: format!("no date in `{date_text}`"),
            },
        )]),
    };
    OscalImport { result, unmapped: w.unmapped, mapped }
}
