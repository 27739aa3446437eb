//! The import phase (which controls of a catalog an import selects) and the merge phase
//! (combination and structure).
//!
//! Controls are numbered in document order: a catalog's own controls, then its groups; inside
//! a group its controls, then its sub-groups; each control before its child controls. The
//! descendants of control `i` are then the contiguous range `i + 1 .. end[i]`.

use std::collections::{HashMap, HashSet};

use super::super::model::{Catalog, Control, Custom, CustomGroup, Group, InsertOrder, Parameter, SelectControl, YesNo};
use super::super::refs::{glob_match, natural_cmp};
use super::Source;

/// The controls of one catalog an import selects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    ids: Vec<String>,
    end: Vec<usize>,
    included: Vec<bool>,
}

fn index(catalog: &Catalog) -> (Vec<String>, Vec<usize>) {
    fn controls(cs: &[Control], ids: &mut Vec<String>, end: &mut Vec<usize>) {
        for c in cs {
            let i = ids.len();
            ids.push(c.id.clone());
            end.push(i + 1);
            controls(&c.controls, ids, end);
            let n = ids.len();
            if let Some(e) = end.get_mut(i) {
                *e = n;
            }
        }
    }
    fn groups(gs: &[Group], ids: &mut Vec<String>, end: &mut Vec<usize>) {
        for g in gs {
            controls(&g.controls, ids, end);
            groups(&g.groups, ids, end);
        }
    }
    let (mut ids, mut end) = (Vec::new(), Vec::new());
    controls(&catalog.controls, &mut ids, &mut end);
    groups(&catalog.groups, &mut ids, &mut end);
    (ids, end)
}

/// The controls of a catalog in document order (the numbering of [`index`]).
fn ordered(catalog: &Catalog) -> Vec<&Control> {
    fn controls<'a>(cs: &'a [Control], out: &mut Vec<&'a Control>) {
        for c in cs {
            out.push(c);
            controls(&c.controls, out);
        }
    }
    fn groups<'a>(gs: &'a [Group], out: &mut Vec<&'a Control>) {
        for g in gs {
            controls(&g.controls, out);
            groups(&g.groups, out);
        }
    }
    let mut out = Vec::new();
    controls(&catalog.controls, &mut out);
    groups(&catalog.groups, &mut out);
    out
}

/// Whether a selection directive names `id` (by id or by glob).
fn names(select: &SelectControl, with_ids: &HashSet<&str>, id: &str) -> bool {
    with_ids.contains(id) || select.matching.iter().any(|m| m.pattern.as_deref().is_some_and(|p| glob_match(p, id)))
}

/// Marks in `flags` the controls a directive names, with their descendants when asked.
fn mark(select: &SelectControl, ids: &[String], end: &[usize], flags: &mut [bool]) {
    let with_ids: HashSet<&str> = select.with_ids.iter().map(String::as_str).collect();
    let children = select.with_child_controls == Some(YesNo::Yes);
    for (i, id) in ids.iter().enumerate() {
        if names(select, &with_ids, id) {
            let last = if children { end.get(i).copied().unwrap_or(i + 1) } else { i + 1 };
            for f in flags.get_mut(i..last).into_iter().flatten() {
                *f = true;
            }
        }
    }
}

impl Selection {
    /// What `import` selects from `catalog`, and the `with-ids` entries naming no control.
    pub(super) fn new(catalog: &Catalog, import: &super::super::model::Import) -> (Self, Vec<String>) {
        let (ids, end) = index(catalog);
        let n = ids.len();
        let mut included = vec![import.include_all.is_some() || import.include_controls.is_empty(); n];
        for s in &import.include_controls {
            mark(s, &ids, &end, &mut included);
        }
        let mut excluded = vec![false; n];
        for s in &import.exclude_controls {
            mark(s, &ids, &end, &mut excluded);
        }
        for (inc, exc) in included.iter_mut().zip(&excluded) {
            *inc &= !exc;
        }
        let known: HashSet<&str> = ids.iter().map(String::as_str).collect();
        let unknown = import
            .include_controls
            .iter()
            .flat_map(|s| s.with_ids.iter())
            .filter(|id| !known.contains(id.as_str()))
            .cloned()
            .collect();
        (Self { ids, end, included }, unknown)
    }

    /// The ids of the selected controls, in document order.
    pub fn selected_ids(&self) -> impl Iterator<Item = &str> + '_ {
        self.ids.iter().zip(&self.included).filter(|(_, inc)| **inc).map(|(id, _)| id.as_str())
    }

    fn is_included(&self, i: usize) -> bool {
        self.included.get(i).copied().unwrap_or(false)
    }
}

/// Ids selected more than once across all selections, in order of first appearance.
pub(super) fn duplicates(_sources: &[Source], selections: &[Selection]) -> Vec<String> {
    let mut count: HashMap<&str, usize> = HashMap::new();
    let mut order = Vec::new();
    for s in selections {
        for id in s.selected_ids() {
            let c = count.entry(id).or_insert(0);
            if *c == 0 {
                order.push(id);
            }
            *c += 1;
        }
    }
    order.into_iter().filter(|id| count.get(id).copied().unwrap_or(0) > 1).map(str::to_owned).collect()
}

/// `combine: use-first`: a control id already selected earlier (depth-first import order) is
/// dropped from later selections.
pub(super) fn use_first(_sources: &[Source], selections: &mut [Selection]) {
    let mut seen: HashSet<String> = HashSet::new();
    for s in selections.iter_mut() {
        for (id, inc) in s.ids.iter().zip(s.included.iter_mut()) {
            if *inc && !seen.insert(id.clone()) {
                *inc = false;
            }
        }
    }
}

/// A control without its child controls.
fn shallow(c: &Control) -> Control {
    Control {
        id: c.id.clone(),
        class: c.class.clone(),
        title: c.title.clone(),
        params: c.params.clone(),
        props: c.props.clone(),
        links: c.links.clone(),
        parts: c.parts.clone(),
        controls: Vec::new(),
    }
}

/// A group without its controls and sub-groups.
fn shallow_group(g: &Group) -> Group {
    Group {
        id: g.id.clone(),
        class: g.class.clone(),
        title: g.title.clone(),
        params: g.params.clone(),
        props: g.props.clone(),
        links: g.links.clone(),
        parts: g.parts.clone(),
        groups: Vec::new(),
        controls: Vec::new(),
    }
}

fn push_params(target: &mut Vec<Parameter>, params: &[Parameter]) {
    for p in params {
        if !target.iter().any(|t| t.id == p.id) {
            target.push(p.clone());
        }
    }
}

fn group_params(groups: &[Group], out: &mut Vec<Parameter>) {
    for g in groups {
        push_params(out, &g.params);
        group_params(&g.groups, out);
    }
}

/// `flat`: the selected controls in order, without groups or nesting; loose parameters of the
/// sources (catalog and groups) at the top.
pub(super) fn flat(pairs: &[(&Catalog, &Selection)], result: &mut Catalog) {
    for (catalog, selection) in pairs {
        push_params(&mut result.params, &catalog.params);
        group_params(&catalog.groups, &mut result.params);
        for (i, c) in ordered(catalog).into_iter().enumerate() {
            if selection.is_included(i) {
                result.controls.push(shallow(c));
            }
        }
    }
}

/// `as-is`: the structure of the sources, with up-levelling of controls whose parent control
/// is not selected; groups without selected controls are dropped unless marked `keep: always`;
/// groups with the same id from several imports are merged.
pub(super) fn as_is(pairs: &[(&Catalog, &Selection)], result: &mut Catalog) {
    fn controls(cs: &[Control], ord: &mut usize, sel: &Selection) -> Vec<Control> {
        let mut out = Vec::new();
        for c in cs {
            let me = *ord;
            *ord += 1;
            let kids = controls(&c.controls, ord, sel);
            if sel.is_included(me) {
                let mut x = shallow(c);
                x.controls = kids;
                out.push(x);
            } else {
                // Up-level: the selected descendants take the unselected control's place.
                out.extend(kids);
            }
        }
        out
    }
    fn groups(gs: &[Group], ord: &mut usize, sel: &Selection) -> Vec<Group> {
        let mut out = Vec::new();
        for g in gs {
            let cs = controls(&g.controls, ord, sel);
            let sub = groups(&g.groups, ord, sel);
            let keep = g.props.iter().any(super::super::model::Property::is_keep_always);
            if !cs.is_empty() || !sub.is_empty() || keep {
                let mut x = shallow_group(g);
                x.controls = cs;
                x.groups = sub;
                out.push(x);
            }
        }
        out
    }
    fn merge(target: &mut Vec<Group>, incoming: Vec<Group>) {
        for g in incoming {
            let existing = g.id.as_ref().and_then(|id| target.iter_mut().find(|t| t.id.as_ref() == Some(id)));
            match existing {
                Some(t) => {
                    t.controls.extend(g.controls);
                    merge(&mut t.groups, g.groups);
                }
                None => target.push(g),
            }
        }
    }
    for (catalog, selection) in pairs {
        let mut ord = 0;
        push_params(&mut result.params, &catalog.params);
        let cs = controls(&catalog.controls, &mut ord, selection);
        let gs = groups(&catalog.groups, &mut ord, selection);
        result.controls.extend(cs);
        merge(&mut result.groups, gs);
    }
}

/// Picks the controls of some `insert-controls` (with the group title for warnings).
type InsertFn<'a> = dyn Fn(&[super::super::model::InsertControls], &str, &mut Vec<String>) -> Vec<Control> + 'a;

/// One selected control available to a custom structure.
struct Pooled<'a> {
    selection: usize,
    ord: usize,
    control: &'a Control,
}

/// `custom`: the profile's groups, each holding the selected controls its `insert-controls`
/// name (without nesting). Returns through `empty` the titles of groups whose insertion
/// selected nothing.
pub(super) fn custom(pairs: &[(&Catalog, &Selection)], custom: &Custom, result: &mut Catalog, empty: &mut Vec<String>) {
    let mut pool = Vec::new();
    for (si, (catalog, selection)) in pairs.iter().enumerate() {
        push_params(&mut result.params, &catalog.params);
        group_params(&catalog.groups, &mut result.params);
        for (i, c) in ordered(catalog).into_iter().enumerate() {
            if selection.is_included(i) {
                pool.push(Pooled { selection: si, ord: i, control: c });
            }
        }
    }
    let ends: Vec<&[usize]> = pairs.iter().map(|(_, s)| s.end.as_slice()).collect();
    let insert = |ins: &[super::super::model::InsertControls], title: &str, empty: &mut Vec<String>| {
        let mut out = Vec::new();
        for ic in ins {
            let chosen = insert_controls(&pool, &ends, ic);
            if chosen.is_empty() {
                empty.push(title.to_owned());
            }
            out.extend(chosen);
        }
        out
    };
    result.controls.extend(insert(&custom.insert_controls, "", empty));
    fn build(g: &CustomGroup, insert: &InsertFn<'_>, empty: &mut Vec<String>) -> Group {
        Group {
            id: g.id.clone(),
            class: g.class.clone(),
            title: g.title.clone(),
            params: g.params.clone(),
            props: g.props.clone(),
            links: g.links.clone(),
            parts: g.parts.clone(),
            groups: g.groups.iter().map(|s| build(s, insert, empty)).collect(),
            controls: insert(&g.insert_controls, &g.title, empty),
        }
    }
    for g in &custom.groups {
        let built = build(g, &insert, empty);
        result.groups.push(built);
    }
}

/// The pooled controls one `insert-controls` selects, in the order it asks for.
fn insert_controls(pool: &[Pooled<'_>], ends: &[&[usize]], ic: &super::super::model::InsertControls) -> Vec<Control> {
    let pick = |selects: &[SelectControl]| -> Vec<bool> {
        let mut flags = vec![false; pool.len()];
        for s in selects {
            let with_ids: HashSet<&str> = s.with_ids.iter().map(String::as_str).collect();
            let children = s.with_child_controls == Some(YesNo::Yes);
            for p in pool {
                if !names(s, &with_ids, &p.control.id) {
                    continue;
                }
                let end = ends.get(p.selection).and_then(|e| e.get(p.ord)).copied().unwrap_or(p.ord + 1);
                for (q, f) in pool.iter().zip(flags.iter_mut()) {
                    let same = q.selection == p.selection && q.ord == p.ord;
                    let descendant = children && q.selection == p.selection && q.ord > p.ord && q.ord < end;
                    if same || descendant {
                        *f = true;
                    }
                }
            }
        }
        flags
    };
    let all = ic.include_all.is_some() || ic.include_controls.is_empty();
    let included = if all { vec![true; pool.len()] } else { pick(&ic.include_controls) };
    let excluded = pick(&ic.exclude_controls);
    let mut chosen: Vec<&Control> = pool
        .iter()
        .zip(included.iter().zip(&excluded))
        .filter(|(_, (inc, exc))| **inc && !**exc)
        .map(|(p, _)| p.control)
        .collect();
    match ic.order {
        Some(InsertOrder::Ascending) => chosen.sort_by(|a, b| natural_cmp(&a.id, &b.id)),
        Some(InsertOrder::Descending) => chosen.sort_by(|a, b| natural_cmp(&b.id, &a.id)),
        Some(InsertOrder::Keep) | None => {}
    }
    chosen.into_iter().map(shallow).collect()
}
