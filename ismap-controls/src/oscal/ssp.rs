//! An ISMAP statement (言明書) as an OSCAL system security plan.
//!
//! # Mapping
//!
//! | ISMAP statement | OSCAL system security plan |
//! |---|---|
//! | the criteria of the program (ISMAP, ISMAP-LIU) | `import-profile`: the baseline profile `ismap oscal export --out-dir` writes |
//! | service name, provider, model | `system-characteristics` (`system-name`, `system-ids`, props `service-model`, `provider`) |
//! | regions, underlying services | `authorization-boundary` text; components |
//! | the service | component `this-system` |
//! | each region | component of type `region` |
//! | each underlying service | component of type `service`, prop `registration` when registered |
//! | representative | metadata party (person) with role `ismap-representative` |
//! | provider | metadata party (organization) with role `provider` |
//! | assessment period (and the previous one) | metadata props `period-start`, `period-end` (`previous-period-*`) |
//! | selected item | `implemented-requirement` (`control-id` `ismap-<id>`), prop `selection-status` `selected`; each individual control a `statement` (`ismap-<id>_smt.<n>`) implemented by `this-system`, its own reference number as prop `control-ref`; changes during the period in `remarks` |
//! | inherited item | `implemented-requirement`, `by-components` naming the underlying service's component; complementary controls as statements |
//! | detailed control not selected, objective excluded | `implemented-requirement`, prop `selection-status` `not-selected` / `excluded`, `this-system` with implementation state `not-applicable` and the reason as its description and remarks |
//!
//! Properties are in the [`ISMAP_NS`] namespace. Every UUID is a name-based (v5) UUID derived
//! from the service's name, the assessment period and the item's position, so the same
//! statement gives the same plan (and [`super::results`] can point at its requirements).
//! Agency responses are not written: their requirements are not in the imported profile.

use ismap_model::{Lang, Program, Text};
use serde_json::{Value, json};

use super::ISMAP_NS;
use super::export::{baseline_profile_file, oscal_id, stable_uuid};
use crate::BaselineKind;
use crate::statement::{IndividualControl, Selection, Statement};

/// The OSCAL release the system security plans and assessment results are written for.
pub const OSCAL_OUTPUT_VERSION: &str = "1.2.3";

/// Options of [`system_security_plan`] and [`super::results::assessment_results`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct SspOptions {
    /// The language of titles and descriptions (the other is kept in properties where the
    /// statement has both).
    pub lang: Lang,
    /// The `href` of the imported profile; the file `ismap oscal export --out-dir` writes for
    /// the statement's program when `None`.
    pub profile_href: Option<String>,
    /// `last-modified` (and the time of assessment results); the last day of the assessment
    /// period, 00:00 JST, when `None`, so that the output is reproducible.
    pub timestamp: Option<String>,
}

impl Default for SspOptions {
    fn default() -> Self {
        Self { lang: Lang::En, profile_href: None, timestamp: None }
    }
}

impl SspOptions {
    /// The same options with titles in `lang`.
    #[must_use]
    pub fn with_lang(mut self, lang: Lang) -> Self {
        self.lang = lang;
        self
    }
}

/// The names the UUIDs of one statement's documents derive from.
pub(super) struct Names {
    key: String,
}

impl Names {
    pub(super) fn new(st: &Statement) -> Self {
        let name = st.service.name.exactly(Lang::En).or_else(|| st.service.name.exactly(Lang::Ja)).unwrap_or("");
        Self { key: format!("statement/{name}/{}/{}", st.period.start(), st.period.end()) }
    }

    pub(super) fn uuid(&self, what: &str) -> String {
        stable_uuid(&format!("{}/{what}", self.key))
    }

    pub(super) fn this_system(&self) -> String {
        self.uuid("component/this-system")
    }

    /// The implemented requirement of the selection at `index`.
    pub(super) fn requirement(&self, index: usize) -> String {
        self.uuid(&format!("requirement/{index}"))
    }
}

/// The timestamp of the documents of `st`.
pub(super) fn timestamp(st: &Statement, options: &SspOptions) -> String {
    options.timestamp.clone().unwrap_or_else(|| format!("{}T00:00:00+09:00", st.period.end()))
}

/// Sets `key` of the object `v` (a no-op on other values, which are not built here).
pub(super) fn set(v: &mut Value, key: &str, value: Value) {
    if let Value::Object(m) = v {
        m.insert(key.to_owned(), value);
    }
}

pub(super) fn prop(name: &str, value: impl Into<String>) -> Value {
    json!({"name": name, "ns": ISMAP_NS, "value": value.into()})
}

/// Both languages of `t` as `<name>-ja` / `<name>-en` properties.
fn text_props(name: &str, t: &Text) -> Vec<Value> {
    [(Lang::Ja, "ja"), (Lang::En, "en")]
        .into_iter()
        .filter_map(|(l, k)| t.exactly(l).map(|s| prop(&format!("{name}-{k}"), s.trim())))
        .collect()
}

/// OSCAL string values must not be empty nor start or end with white space.
pub(super) fn clean(s: &str) -> String {
    let t = s.trim();
    if t.is_empty() { "-".to_owned() } else { t.to_owned() }
}

/// The baseline a program's statements are assessed against.
const fn kind_of(program: Program) -> BaselineKind {
    match program {
        Program::Ismap => BaselineKind::Ismap,
        Program::IsmapLiu => BaselineKind::Liu,
    }
}

fn metadata(st: &Statement, title: &Text, options: &SspOptions) -> Value {
    let lang = options.lang;
    let mut props = text_props("title", title);
    props.push(prop("program", st.program.as_str()));
    props.push(prop("catalog-version", st.catalog_version.to_string()));
    props.push(prop("period-start", st.period.start().to_string()));
    props.push(prop("period-end", st.period.end().to_string()));
    if let Some(p) = &st.previous_period {
        props.push(prop("previous-period-start", p.start().to_string()));
        props.push(prop("previous-period-end", p.end().to_string()));
    }
    let names = Names::new(st);
    let provider = names.uuid("party/provider");
    let representative = names.uuid("party/representative");
    json!({
        "title": clean(title.get(lang)),
        "last-modified": timestamp(st, options),
        "version": st.catalog_version.to_string(),
        "oscal-version": OSCAL_OUTPUT_VERSION,
        "props": props,
        "roles": [
            {"id": "provider", "title": clean(Text::new("クラウドサービス事業者", "Cloud service provider").get(lang))},
            {"id": "ismap-representative", "title": clean(Text::new("代表者", "Representative").get(lang))}
        ],
        "parties": [
            {"uuid": provider, "type": "organization", "name": clean(st.service.provider.name.get(lang)),
             "props": text_props("name", &st.service.provider.name)},
            {"uuid": representative, "type": "person", "name": clean(&st.representative.name),
             "props": [prop("position", clean(&st.representative.title))]}
        ],
        "responsible-parties": [
            {"role-id": "provider", "party-uuids": [provider]},
            {"role-id": "ismap-representative", "party-uuids": [representative]}
        ]
    })
}

fn component(uuid: String, kind: &str, title: &str, description: &str, props: Vec<Value>) -> Value {
    let mut c = json!({
        "uuid": uuid,
        "type": kind,
        "title": clean(title),
        "description": clean(description),
        "status": {"state": "operational"}
    });
    if !props.is_empty() {
        set(&mut c, "props", Value::Array(props));
    }
    c
}

fn by_component(uuid: String, component: &str, description: &str, state: &str, remarks: Option<&str>) -> Value {
    let mut status = json!({"state": state});
    if let Some(r) = remarks {
        set(&mut status, "remarks", Value::String(clean(r)));
    }
    json!({"component-uuid": component, "uuid": uuid, "description": clean(description), "implementation-status": status})
}

/// The individual controls of a selection as statements implemented by `this-system`.
fn statements(names: &Names, index: usize, control_id: &str, controls: &[IndividualControl]) -> Vec<Value> {
    controls
        .iter()
        .enumerate()
        .map(|(n, c)| {
            let mut s = json!({
                "statement-id": format!("{control_id}_smt.{}", n + 1),
                "uuid": names.uuid(&format!("requirement/{index}/statement/{n}")),
                "by-components": [by_component(
                    names.uuid(&format!("requirement/{index}/statement/{n}/this-system")),
                    &names.this_system(),
                    &c.text,
                    "implemented",
                    None,
                )]
            });
            if let Some(r) = &c.reference {
                set(&mut s, "props", json!([prop("control-ref", clean(r))]));
            }
            s
        })
        .collect()
}

fn requirement(st: &Statement, names: &Names, index: usize, sel: &Selection, lang: Lang) -> Value {
    let control_id = oscal_id(sel.id());
    let status = match sel {
        Selection::Selected { .. } => "selected",
        Selection::NotSelected { .. } => "not-selected",
        Selection::Excluded { .. } => "excluded",
        Selection::Inherited { .. } => "inherited",
        Selection::Unanswered { .. } => "unanswered",
    };
    let mut r = json!({
        "uuid": names.requirement(index),
        "control-id": control_id,
        "props": [prop("selection-status", status)]
    });
    match sel {
        Selection::Selected { controls, changes, .. } => {
            let stmts = statements(names, index, &control_id, controls);
            if !stmts.is_empty() {
                set(&mut r, "statements", Value::Array(stmts));
            }
            if !changes.is_empty() {
                let text: Vec<String> = changes
                    .iter()
                    .map(|c| match lang {
                        Lang::Ja => format!("{} に変更: {} → {}", c.changed_on, c.before.trim(), c.after.trim()),
                        Lang::En => format!("changed on {}: {} -> {}", c.changed_on, c.before.trim(), c.after.trim()),
                    })
                    .collect();
                set(&mut r, "remarks", Value::String(text.join("\n\n")));
            }
        }
        Selection::Inherited { from, controls, .. } => {
            let under = st.service.underlying.iter().position(|u| u.key == *from);
            let (component, name) = match under.and_then(|i| st.service.underlying.get(i)) {
                Some(u) => (names.uuid(&format!("component/underlying/{}", u.key)), u.name.get(lang).to_owned()),
                None => (names.this_system(), from.clone()),
            };
            let description = match lang {
                Lang::Ja => format!("{} から継承", name.trim()),
                Lang::En => format!("inherited from {}", name.trim()),
            };
            set(
                &mut r,
                "by-components",
                json!([by_component(
                    names.uuid(&format!("requirement/{index}/inherited")),
                    &component,
                    &description,
                    "implemented",
                    None
                )]),
            );
            if let Some(props) = r.get_mut("props").and_then(Value::as_array_mut) {
                props.push(prop("inherited-from", clean(from)));
            }
            let stmts = statements(names, index, &control_id, controls);
            if !stmts.is_empty() {
                set(&mut r, "statements", Value::Array(stmts));
            }
        }
        Selection::NotSelected { reason, .. } | Selection::Excluded { reason, .. } => {
            let given = !reason.trim().is_empty();
            let none = Text::new("（理由の記載なし）", "no reason given");
            set(
                &mut r,
                "by-components",
                json!([by_component(
                    names.uuid(&format!("requirement/{index}/this-system")),
                    &names.this_system(),
                    if given { reason } else { none.get(lang) },
                    "not-applicable",
                    given.then_some(reason.as_str()),
                )]),
            );
        }
        Selection::Unanswered { .. } => {
            // Not answered yet (a migrated statement): the plan says so and claims nothing.
            let text = Text::new("（未回答）", "not answered yet");
            set(
                &mut r,
                "by-components",
                json!([by_component(
                    names.uuid(&format!("requirement/{index}/this-system")),
                    &names.this_system(),
                    text.get(lang),
                    "planned",
                    None,
                )]),
            );
        }
    }
    r
}

/// The statement as an OSCAL system security plan (the document inside
/// `{"system-security-plan": ...}`; [`system_security_plan_file`] wraps it). See the module
/// documentation for the mapping.
#[must_use]
pub fn system_security_plan(st: &Statement, options: &SspOptions) -> Value {
    let lang = options.lang;
    let names = Names::new(st);
    let service = &st.service;
    let title = Text::new(
        format!("{} システムセキュリティ計画（ISMAP 言明書）", service.name.get(Lang::Ja).trim()),
        format!("{} system security plan (ISMAP statement)", service.name.get(Lang::En).trim()),
    );
    let href = options.profile_href.clone().unwrap_or_else(|| baseline_profile_file(kind_of(st.program)).to_owned());
    let model = service.model.to_string();
    let mut system_props = text_props("service-name", &service.name);
    system_props.push(prop("service-model", model.clone()));
    for r in &service.regions {
        system_props.push(prop("region", clean(r)));
    }
    let description = match lang {
        Lang::Ja => format!("{} が提供する {}", service.provider.name.get(lang).trim(), model),
        Lang::En => format!("{model} provided by {}", service.provider.name.get(lang).trim()),
    };
    let mut components =
        vec![component(names.this_system(), "this-system", service.name.get(lang), &description, system_props.clone())];
    for r in &service.regions {
        let d = match lang {
            Lang::Ja => format!("言明の対象範囲の地域: {}", r.trim()),
            Lang::En => format!("Region in the statement's scope: {}", r.trim()),
        };
        components.push(component(names.uuid(&format!("component/region/{r}")), "region", r, &d, Vec::new()));
    }
    for u in &service.underlying {
        let mut props = vec![prop("underlying-key", clean(&u.key))];
        props.extend(text_props("name", &u.name));
        if let Some(reg) = &u.registration {
            props.push(prop("registration", reg.as_str()));
        }
        let d = match (lang, &u.registration) {
            (Lang::Ja, Some(reg)) => format!("基盤となるクラウドサービス（ISMAP 登録番号 {}）", reg.as_str()),
            (Lang::Ja, None) => "基盤となるクラウドサービス（ISMAP 未登録）".to_owned(),
            (Lang::En, Some(reg)) => format!("Underlying cloud service (ISMAP registration {})", reg.as_str()),
            (Lang::En, None) => "Underlying cloud service (not ISMAP-registered)".to_owned(),
        };
        components.push(component(
            names.uuid(&format!("component/underlying/{}", u.key)),
            "service",
            u.name.get(lang),
            &d,
            props,
        ));
    }
    let underlying: Vec<&str> = service.underlying.iter().map(|u| u.name.get(lang).trim()).collect();
    let boundary = match lang {
        Lang::Ja => format!(
            "対象範囲: {}。地域: {}。基盤となるサービス: {}。",
            service.name.get(lang).trim(),
            if service.regions.is_empty() { "（記載なし）".to_owned() } else { service.regions.join("、") },
            if underlying.is_empty() { "なし".to_owned() } else { underlying.join("、") }
        ),
        Lang::En => format!(
            "Scope: {}. Regions: {}. Underlying services: {}.",
            service.name.get(lang).trim(),
            if service.regions.is_empty() { "not stated".to_owned() } else { service.regions.join(", ") },
            if underlying.is_empty() { "none".to_owned() } else { underlying.join(", ") }
        ),
    };
    let info = match lang {
        Lang::Ja => (
            "サービスが扱う情報",
            "サービスが利用者のために保存・処理する情報（ISMAP の言明書は情報の分類を記載しません）",
        ),
        Lang::En => (
            "Information the service handles",
            "Information the service stores or processes for its customers (an ISMAP statement does not categorize it)",
        ),
    };
    let requirements: Vec<Value> =
        st.selections.iter().enumerate().map(|(i, sel)| requirement(st, &names, i, sel, lang)).collect();
    let ci_description = match lang {
        Lang::Ja => format!("ISMAP 管理基準 {} に対する言明書の回答", st.catalog_version),
        Lang::En => format!("The statement's answers against the ISMAP control criteria {}", st.catalog_version),
    };
    // An empty statement gives an empty list, which the schema rejects: there is nothing to plan.
    let control_implementation = json!({"description": ci_description, "implemented-requirements": requirements});
    json!({
        "uuid": names.uuid("ssp"),
        "metadata": metadata(st, &title, options),
        "import-profile": {"href": href},
        "system-characteristics": {
            "system-ids": [{"identifier-type": ISMAP_NS, "id": clean(service.name.get(Lang::En))}],
            "system-name": clean(service.name.get(lang)),
            "description": clean(&description),
            "props": system_props,
            "system-information": {"information-types": [{"title": info.0, "description": info.1}]},
            "status": {"state": "operational"},
            "authorization-boundary": {"description": boundary}
        },
        "system-implementation": {"components": components},
        "control-implementation": control_implementation
    })
}

/// [`system_security_plan`] as a file: `{"system-security-plan": ...}`.
#[must_use]
pub fn system_security_plan_file(st: &Statement, options: &SspOptions) -> Value {
    json!({"system-security-plan": system_security_plan(st, options)})
}
