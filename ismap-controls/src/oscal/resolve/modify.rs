//! The modify phase: `set-parameters` and `alters`.
//!
//! `alters` apply their `removes` first, then their `adds`, to every control with the id
//! (nested controls included).
//!
//! - **remove** removes every object inside the control (parameters, properties, links, parts,
//!   child controls; inside parts and parameters too, but not inside child controls, which are
//!   altered by their own id) that matches all the criteria given: `by-name` (properties, parts),
//!   `by-class`, `by-id` (parameters, parts, controls), `by-ns` (properties, parts; absent `ns`
//!   is OSCAL's) and `by-item-name` (`param`, `prop`, `link`, `part`, `control`).
//! - **add** without `by-id` adds to the control: `starting` (and `before`) puts the content
//!   before the existing content of the same kind, `ending` (the default, and `after`) after;
//!   a title replaces the title. With `by-id`, the target is the parameter, part or child
//!   control with that id anywhere inside the control: `starting`/`ending` add inside the
//!   target; `before`/`after` put content of the target's own kind directly before/after it in
//!   its container, and other content at the start/end of the container's lists. Content the
//!   target or container cannot hold (a parameter inside a part) is left out with a warning.
//! - Several adds of one alter at the same place keep profile order: two `starting` adds put
//!   the first add's content first (as NIST's reference resolver does), and so do two `after`
//!   adds on the same target.
//! - An add whose `by-id` is the altered control's own id is applied to the control (as an add
//!   without `by-id`), with a [`WarningKind::SelfTargetedAdd`]; the specification calls it
//!   inoperative, which [`super::ResolveOptions::strict_spec`] keeps.

use super::super::model::{
    Add, Alter, Catalog, Control, Group, Link, Modify, OSCAL_NS, Parameter, Part, Position, Property, Remove,
    SetParameter,
};
use std::collections::HashMap;

use super::{AddIssue, WarningKind};

/// Applies `modify` to the resolved catalog; returns the warnings. `strict` leaves adds that
/// target the altered control by its own id inoperative, as the specification says.
pub(super) fn apply(catalog: &mut Catalog, modify: &Modify, strict: bool) -> Vec<WarningKind> {
    let mut warnings = Vec::new();
    for set in &modify.set_parameters {
        let mut found = 0usize;
        for_each_param(catalog, &mut |p| {
            if p.id == set.param_id {
                set_parameter(p, set);
                found += 1;
            }
        });
        if found == 0 {
            warnings.push(WarningKind::UnknownParameter { param_id: set.param_id.clone() });
        }
    }
    for alter in &modify.alters {
        let mut found = 0usize;
        for_each_control(catalog, &mut |c| {
            if c.id == alter.control_id {
                found += 1;
                alter_control(c, alter, strict, &mut warnings);
            }
        });
        if found == 0 {
            warnings.push(WarningKind::UnknownAlteredControl { control_id: alter.control_id.clone() });
        }
    }
    warnings
}

fn for_each_param(catalog: &mut Catalog, f: &mut dyn FnMut(&mut Parameter)) {
    fn controls(cs: &mut [Control], f: &mut dyn FnMut(&mut Parameter)) {
        for c in cs {
            c.params.iter_mut().for_each(&mut *f);
            controls(&mut c.controls, f);
        }
    }
    fn groups(gs: &mut [Group], f: &mut dyn FnMut(&mut Parameter)) {
        for g in gs {
            g.params.iter_mut().for_each(&mut *f);
            controls(&mut g.controls, f);
            groups(&mut g.groups, f);
        }
    }
    catalog.params.iter_mut().for_each(&mut *f);
    controls(&mut catalog.controls, f);
    groups(&mut catalog.groups, f);
}

fn for_each_control(catalog: &mut Catalog, f: &mut dyn FnMut(&mut Control)) {
    fn controls(cs: &mut [Control], f: &mut dyn FnMut(&mut Control)) {
        for c in cs {
            f(c);
            controls(&mut c.controls, f);
        }
    }
    fn groups(gs: &mut [Group], f: &mut dyn FnMut(&mut Control)) {
        for g in gs {
            controls(&mut g.controls, f);
            groups(&mut g.groups, f);
        }
    }
    controls(&mut catalog.controls, f);
    groups(&mut catalog.groups, f);
}

fn set_parameter(p: &mut Parameter, s: &SetParameter) {
    if s.class.is_some() {
        p.class.clone_from(&s.class);
    }
    if s.depends_on.is_some() {
        p.depends_on.clone_from(&s.depends_on);
    }
    if s.label.is_some() {
        p.label.clone_from(&s.label);
    }
    if s.usage.is_some() {
        p.usage.clone_from(&s.usage);
    }
    if !s.values.is_empty() || s.select.is_some() {
        p.values.clone_from(&s.values);
        p.select.clone_from(&s.select);
    }
    for prop in &s.props {
        let same = prop.uuid.as_ref().and_then(|u| p.props.iter_mut().find(|x| x.uuid.as_ref() == Some(u)));
        match same {
            Some(existing) => existing.clone_from(prop),
            None => p.props.push(prop.clone()),
        }
    }
    p.links.extend(s.links.iter().cloned());
    p.constraints.extend(s.constraints.iter().cloned());
    p.guidelines.extend(s.guidelines.iter().cloned());
    if s.remarks.is_some() {
        p.remarks.clone_from(&s.remarks);
    }
}

fn alter_control(c: &mut Control, alter: &Alter, strict: bool, warnings: &mut Vec<WarningKind>) {
    for r in &alter.removes {
        if remove(c, r) == 0 {
            warnings.push(WarningKind::InoperativeRemove { control_id: alter.control_id.clone() });
        }
    }
    let mut cursors = Cursors::default();
    for a in &alter.adds {
        let mut issues = Vec::new();
        match a.by_id.as_deref() {
            Some(id) if id == c.id => {
                warnings.push(WarningKind::SelfTargetedAdd { control_id: c.id.clone(), applied: !strict });
                if !strict {
                    let start = matches!(a.position, Some(Position::Starting | Position::Before));
                    add_inside(c, a, start, &mut cursors, &mut issues);
                }
            }
            None => {
                let start = matches!(a.position, Some(Position::Starting | Position::Before));
                add_inside(c, a, start, &mut cursors, &mut issues);
            }
            Some(id) => {
                let position = a.position.unwrap_or(Position::Ending);
                if !add_by_id(c, id, a, position, &mut cursors, &mut issues) {
                    issues.push(AddIssue::TargetNotFound { by_id: id.to_owned() });
                }
            }
        }
        for issue in issues {
            warnings.push(WarningKind::InoperativeAdd { control_id: alter.control_id.clone(), issue });
        }
    }
}

// --- remove ----------------------------------------------------------------------------------

/// The attributes an object offers to remove criteria.
struct Attrs<'a> {
    item: &'static str,
    name: Option<&'a str>,
    class: Option<&'a str>,
    id: Option<&'a str>,
    ns: Option<&'a str>,
}

fn criteria_given(r: &Remove) -> bool {
    r.by_name.is_some() || r.by_class.is_some() || r.by_id.is_some() || r.by_item_name.is_some() || r.by_ns.is_some()
}

fn matches(r: &Remove, a: &Attrs<'_>) -> bool {
    let check = |want: &Option<String>, have: Option<&str>| want.as_deref().is_none_or(|w| have == Some(w));
    criteria_given(r)
        && check(&r.by_item_name, Some(a.item))
        && check(&r.by_name, a.name)
        && check(&r.by_class, a.class)
        && check(&r.by_id, a.id)
        && check(&r.by_ns, a.ns)
}

fn prop_attrs(p: &Property) -> Attrs<'_> {
    Attrs {
        item: "prop",
        name: Some(&p.name),
        class: p.class.as_deref(),
        id: None,
        ns: Some(p.ns.as_deref().unwrap_or(OSCAL_NS)),
    }
}

fn part_attrs(p: &Part) -> Attrs<'_> {
    Attrs {
        item: "part",
        name: Some(p.name.as_str()),
        class: p.class.as_deref(),
        id: p.id.as_deref(),
        ns: Some(p.ns.as_deref().unwrap_or(OSCAL_NS)),
    }
}

fn param_attrs(p: &Parameter) -> Attrs<'_> {
    Attrs { item: "param", name: None, class: p.class.as_deref(), id: Some(p.id.as_str()), ns: None }
}

fn control_attrs(x: &Control) -> Attrs<'_> {
    Attrs { item: "control", name: None, class: x.class.as_deref(), id: Some(x.id.as_str()), ns: None }
}

const LINK_ATTRS: Attrs<'static> = Attrs { item: "link", name: None, class: None, id: None, ns: None };

fn retain_count<T>(v: &mut Vec<T>, keep: impl Fn(&T) -> bool) -> usize {
    let before = v.len();
    v.retain(keep);
    before - v.len()
}

fn remove_in_part(p: &mut Part, r: &Remove) -> usize {
    let mut n = retain_count(&mut p.props, |x| !matches(r, &prop_attrs(x)));
    n += retain_count(&mut p.links, |_| !matches(r, &LINK_ATTRS));
    n += remove_parts(&mut p.parts, r);
    n
}

fn remove_parts(parts: &mut Vec<Part>, r: &Remove) -> usize {
    let mut n = retain_count(parts, |p| !matches(r, &part_attrs(p)));
    for p in parts.iter_mut() {
        n += remove_in_part(p, r);
    }
    n
}

/// Removes what `r` matches inside `c`; returns how many objects went.
fn remove(c: &mut Control, r: &Remove) -> usize {
    let mut n = retain_count(&mut c.params, |p| !matches(r, &param_attrs(p)));
    for p in &mut c.params {
        n += retain_count(&mut p.props, |x| !matches(r, &prop_attrs(x)));
        n += retain_count(&mut p.links, |_| !matches(r, &LINK_ATTRS));
    }
    n += retain_count(&mut c.props, |x| !matches(r, &prop_attrs(x)));
    n += retain_count(&mut c.links, |_| !matches(r, &LINK_ATTRS));
    n += remove_parts(&mut c.parts, r);
    n += retain_count(&mut c.controls, |x| !matches(r, &control_attrs(x)));
    n
}

// --- add -------------------------------------------------------------------------------------

/// Something content can be added to: a control or a part.
trait Holder {
    const NAME: &'static str;
    /// Names the holder among the others of the control, for [`Cursors`].
    fn key(&self) -> String;
    fn props(&mut self) -> &mut Vec<Property>;
    fn links(&mut self) -> &mut Vec<Link>;
    fn parts(&mut self) -> &mut Vec<Part>;
    fn params(&mut self) -> Option<&mut Vec<Parameter>>;
    fn set_title(&mut self, title: &str);
}

impl Holder for Control {
    const NAME: &'static str = "control";
    fn key(&self) -> String {
        format!("control:{}", self.id)
    }
    fn props(&mut self) -> &mut Vec<Property> {
        &mut self.props
    }
    fn links(&mut self) -> &mut Vec<Link> {
        &mut self.links
    }
    fn parts(&mut self) -> &mut Vec<Part> {
        &mut self.parts
    }
    fn params(&mut self) -> Option<&mut Vec<Parameter>> {
        Some(&mut self.params)
    }
    fn set_title(&mut self, title: &str) {
        title.clone_into(&mut self.title);
    }
}

impl Holder for Part {
    const NAME: &'static str = "part";
    fn key(&self) -> String {
        format!("part:{}", self.id.as_deref().unwrap_or_default())
    }
    fn props(&mut self) -> &mut Vec<Property> {
        &mut self.props
    }
    fn links(&mut self) -> &mut Vec<Link> {
        &mut self.links
    }
    fn parts(&mut self) -> &mut Vec<Part> {
        &mut self.parts
    }
    fn params(&mut self) -> Option<&mut Vec<Parameter>> {
        None
    }
    fn set_title(&mut self, title: &str) {
        self.title = Some(title.to_owned());
    }
}

/// Where the earlier adds of one alter inserted into the middle of a list, so that a later add
/// at the same place goes after their content and the adds keep profile order: the end of the
/// content put at the start of a list (`starting`, and the container's start for `before`),
/// and the end of the content put after a target (`after`). Keyed by holder (or target) and
/// list.
#[derive(Default)]
struct Cursors(HashMap<(String, &'static str), usize>);

impl Cursors {
    /// Inserts `items` at the start (after earlier starts) or the end of `v`, keeping their
    /// order.
    fn put<T: Clone>(&mut self, key: &str, list: &'static str, v: &mut Vec<T>, items: &[T], start: bool) {
        if items.is_empty() {
            return;
        }
        if start {
            let at = self.0.entry((key.to_owned(), list)).or_insert(0);
            splice_at(v, *at, items);
            *at += items.len();
        } else {
            v.extend(items.iter().cloned());
        }
    }

    /// Inserts `items` directly after the element at `i` of `v`, after the content earlier
    /// adds put after the same target.
    fn after<T: Clone>(&mut self, target: &str, list: &'static str, v: &mut Vec<T>, i: usize, items: &[T]) {
        if items.is_empty() {
            return;
        }
        let at = self.0.entry((format!("after:{target}"), list)).or_insert(0);
        splice_at(v, i + 1 + *at, items);
        *at += items.len();
    }
}

/// Inserts `items` at position `at` of `v` (clamped).
fn splice_at<T: Clone>(v: &mut Vec<T>, at: usize, items: &[T]) {
    let at = at.min(v.len());
    let tail = v.split_off(at);
    v.extend(items.iter().cloned());
    v.extend(tail);
}

/// Adds `a`'s content inside `h`, at its start or end; a title replaces `h`'s.
fn add_inside<H: Holder>(h: &mut H, a: &Add, start: bool, cur: &mut Cursors, issues: &mut Vec<AddIssue>) {
    if let Some(t) = &a.title {
        h.set_title(t);
    }
    let key = h.key();
    if !a.params.is_empty() {
        match h.params() {
            Some(params) => cur.put(&key, "params", params, &a.params, start),
            None => issues.push(AddIssue::NotHeld { item: "params", target: H::NAME }),
        }
    }
    cur.put(&key, "props", h.props(), &a.props, start);
    cur.put(&key, "links", h.links(), &a.links, start);
    cur.put(&key, "parts", h.parts(), &a.parts, start);
}

/// Adds the content of `a` other than `skip` to container `h`, at the start (`before`) or end.
fn add_around<H: Holder>(h: &mut H, a: &Add, before: bool, skip: &str, cur: &mut Cursors, issues: &mut Vec<AddIssue>) {
    if a.title.is_some() {
        issues.push(AddIssue::NotHeld { item: "title", target: "position before/after" });
    }
    let key = h.key();
    if skip != "params" && !a.params.is_empty() {
        match h.params() {
            Some(params) => cur.put(&key, "params", params, &a.params, before),
            None => issues.push(AddIssue::NotHeld { item: "params", target: H::NAME }),
        }
    }
    cur.put(&key, "props", h.props(), &a.props, before);
    cur.put(&key, "links", h.links(), &a.links, before);
    if skip != "parts" {
        cur.put(&key, "parts", h.parts(), &a.parts, before);
    }
}

/// Applies an explicitly bound add to the object with id `id` inside `c`; false when none.
fn add_by_id(
    c: &mut Control,
    id: &str,
    a: &Add,
    position: Position,
    cur: &mut Cursors,
    issues: &mut Vec<AddIssue>,
) -> bool {
    let inside = matches!(position, Position::Starting | Position::Ending);
    let start = matches!(position, Position::Starting | Position::Before);
    // A parameter of this control.
    if let Some(i) = c.params.iter().position(|p| p.id == id) {
        if inside {
            if let Some(p) = c.params.get_mut(i) {
                let key = format!("param:{id}");
                cur.put(&key, "props", &mut p.props, &a.props, start);
                cur.put(&key, "links", &mut p.links, &a.links, start);
            }
            for (item, present) in
                [("params", !a.params.is_empty()), ("parts", !a.parts.is_empty()), ("title", a.title.is_some())]
            {
                if present {
                    issues.push(AddIssue::NotHeld { item, target: "parameter" });
                }
            }
        } else {
            if start {
                splice_at(&mut c.params, i, &a.params);
            } else {
                cur.after(id, "params", &mut c.params, i, &a.params);
            }
            add_around(c, a, start, "params", cur, issues);
        }
        return true;
    }
    // A part, at any depth.
    if add_in_parts(c, id, a, position, cur, issues) {
        return true;
    }
    // A child control, then deeper.
    if let Some(i) = c.controls.iter().position(|x| x.id == id) {
        if inside {
            if let Some(child) = c.controls.get_mut(i) {
                add_inside(child, a, start, cur, issues);
            }
        } else {
            add_around(c, a, start, "", cur, issues);
        }
        return true;
    }
    c.controls.iter_mut().any(|child| add_by_id(child, id, a, position, cur, issues))
}

/// Looks for the part with id `id` among `h`'s parts (recursively) and applies the add.
fn add_in_parts<H: Holder>(
    h: &mut H,
    id: &str,
    a: &Add,
    position: Position,
    cur: &mut Cursors,
    issues: &mut Vec<AddIssue>,
) -> bool {
    let inside = matches!(position, Position::Starting | Position::Ending);
    let start = matches!(position, Position::Starting | Position::Before);
    if let Some(i) = h.parts().iter().position(|p| p.id.as_deref() == Some(id)) {
        if inside {
            if let Some(p) = h.parts().get_mut(i) {
                add_inside(p, a, start, cur, issues);
            }
        } else {
            if start {
                splice_at(h.parts(), i, &a.parts);
            } else {
                cur.after(id, "parts", h.parts(), i, &a.parts);
            }
            add_around(h, a, start, "parts", cur, issues);
        }
        return true;
    }
    h.parts().iter_mut().any(|p| add_in_parts(p, id, a, position, cur, issues))
}
