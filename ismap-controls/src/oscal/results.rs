//! An assessment of an ISMAP statement ([`crate::Assessment`]) as OSCAL assessment results.
//!
//! # Mapping
//!
//! | ISMAP assessment report | OSCAL assessment results |
//! |---|---|
//! | the report | one `result`: the verdict in its description and prop `verdict`, the baseline as prop `baseline`; `reviewed-controls` include all controls of the imported profile |
//! | each finding of the report | an `observation` (method `EXAMINE`, type `ssp-statement-issue`, subject the `this-system` component of the plan): the message, props `rule`, `severity` and `statement-location` (the JSON path or cell in the statement) |
//! | the findings of one rule on one item | a `finding` titled by the rule, its `target` the item (`objective-id` `ismap-<id>`; for findings on no item, `ismap-rule-<rule>`), status `not-satisfied` (reason `fail`) for errors and `satisfied` (reason `other`) for warnings and information, `implementation-statement-uuid` the item's implemented requirement in the plan of [`super::ssp`], `related-observations` its observations |
//!
//! ISMAP has no assessment plan: `import-ap` names the system security plan of the same
//! statement ([`ResultsOptions::plan_href`]). UUIDs are name-based (v5) as in [`super::ssp`],
//! so the links hold between the two documents written from the same statement.

use std::collections::HashMap;

use ismap_model::{ControlId, Lang, Text};
use serde_json::{Value, json};

use super::export::oscal_id;
use super::ssp::{Names, OSCAL_OUTPUT_VERSION, SspOptions, clean, prop, set, timestamp};
use crate::report::{AssessmentReport, Finding};
use crate::statement::Statement;
use crate::{BaselineKind, Rule, Severity};

/// The `import-ap` href unless told otherwise: the file name the integrator guide gives the
/// system security plan.
pub const DEFAULT_PLAN_HREF: &str = "ssp.json";

/// Options of [`assessment_results`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ResultsOptions {
    /// The language of titles and descriptions.
    pub lang: Lang,
    /// The `import-ap` href; [`DEFAULT_PLAN_HREF`] when `None`.
    pub plan_href: Option<String>,
    /// `last-modified` and the result's `start`/`end`; as [`SspOptions::timestamp`] when `None`.
    pub timestamp: Option<String>,
}

impl Default for ResultsOptions {
    fn default() -> Self {
        Self { lang: Lang::En, plan_href: None, timestamp: None }
    }
}

impl ResultsOptions {
    /// The same options with titles in `lang`.
    #[must_use]
    pub fn with_lang(mut self, lang: Lang) -> Self {
        self.lang = lang;
        self
    }
}

const fn severity_token(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

fn observation(names: &Names, index: usize, f: &Finding, collected: &str, lang: Lang) -> Value {
    let mut props = vec![prop("rule", f.rule.id()), prop("severity", severity_token(f.severity))];
    if let Some(p) = &f.path {
        props.push(prop("statement-location", clean(p)));
    }
    if let Some(c) = &f.control {
        props.push(prop("item", c.to_string()));
    }
    json!({
        "uuid": names.uuid(&format!("results/observation/{index}")),
        "title": clean(f.rule.title().get(lang)),
        "description": clean(f.message.get(lang)),
        "props": props,
        "methods": ["EXAMINE"],
        "types": ["ssp-statement-issue"],
        "subjects": [{"subject-uuid": names.this_system(), "type": "component"}],
        "collected": collected
    })
}

/// The findings of one rule on one item.
struct Group {
    rule: Rule,
    control: Option<ControlId>,
    worst: Severity,
    observations: Vec<usize>,
}

fn finding(names: &Names, g: &Group, requirement: Option<String>, lang: Lang) -> Value {
    let (target_id, what) = match &g.control {
        Some(c) => (oscal_id(c), c.to_string()),
        None => (format!("ismap-rule-{}", g.rule.id()), g.rule.id().to_owned()),
    };
    let status = if g.worst == Severity::Error {
        json!({"state": "not-satisfied", "reason": "fail"})
    } else {
        json!({"state": "satisfied", "reason": "other", "remarks": severity_token(g.worst)})
    };
    let description = match lang {
        Lang::Ja => format!("{}: {}（{} 件）", what, g.rule.title().get(lang), g.observations.len()),
        Lang::En => format!("{}: {} ({} observation(s))", what, g.rule.title().get(lang), g.observations.len()),
    };
    let mut f = json!({
        "uuid": names.uuid(&format!("results/finding/{}/{what}", g.rule.id())),
        "title": clean(g.rule.title().get(lang)),
        "description": clean(&description),
        "props": [prop("rule", g.rule.id()), prop("severity", severity_token(g.worst))],
        "target": {"type": "objective-id", "target-id": target_id, "status": status},
        "related-observations": g.observations.iter()
            .map(|i| json!({"observation-uuid": names.uuid(&format!("results/observation/{i}"))}))
            .collect::<Vec<_>>()
    });
    if let Some(r) = requirement {
        set(&mut f, "implementation-statement-uuid", Value::String(r));
    }
    f
}

/// The assessment `report` of statement `st` as OSCAL assessment results (the document inside
/// `{"assessment-results": ...}`; [`assessment_results_file`] wraps it). See the module
/// documentation for the mapping.
#[must_use]
pub fn assessment_results(st: &Statement, report: &AssessmentReport, options: &ResultsOptions) -> Value {
    let lang = options.lang;
    let names = Names::new(st);
    let mut ssp_options = SspOptions::default().with_lang(lang);
    ssp_options.timestamp.clone_from(&options.timestamp);
    let stamp = timestamp(st, &ssp_options);
    // The first selection of each item: its implemented requirement in the plan.
    let mut requirement_of: HashMap<&ControlId, usize> = HashMap::new();
    for (i, s) in st.selections.iter().enumerate() {
        requirement_of.entry(s.id()).or_insert(i);
    }
    let observations: Vec<Value> =
        report.findings.iter().enumerate().map(|(i, f)| observation(&names, i, f, &stamp, lang)).collect();
    let mut groups: Vec<Group> = Vec::new();
    for (i, f) in report.findings.iter().enumerate() {
        match groups.iter_mut().find(|g| g.rule == f.rule && g.control == f.control) {
            Some(g) => {
                g.worst = g.worst.min(f.severity);
                g.observations.push(i);
            }
            None => {
                groups.push(Group { rule: f.rule, control: f.control, worst: f.severity, observations: vec![i] });
            }
        }
    }
    let findings: Vec<Value> = groups
        .iter()
        .map(|g| {
            let req = g.control.as_ref().and_then(|c| requirement_of.get(c)).map(|i| names.requirement(*i));
            finding(&names, g, req, lang)
        })
        .collect();
    let baseline = match report.baseline {
        BaselineKind::Ismap => "ismap",
        BaselineKind::Liu => "liu",
    };
    let verdict = report.verdict.text();
    let t = &report.totals;
    let summary = match lang {
        Lang::Ja => format!(
            "判定: {}。エラー {} 件、警告 {} 件。選択 {}、継承 {}、非選択 {}、除外 {}、未記載 {}。",
            verdict.get(lang),
            t.errors,
            t.warnings,
            t.selected,
            t.inherited,
            t.not_selected,
            t.excluded,
            t.missing
        ),
        Lang::En => format!(
            "Verdict: {}. {} error(s), {} warning(s). Selected {}, inherited {}, not selected {}, excluded {}, missing {}.",
            verdict.get(lang),
            t.errors,
            t.warnings,
            t.selected,
            t.inherited,
            t.not_selected,
            t.excluded,
            t.missing
        ),
    };
    let verdict_token = match report.verdict {
        crate::Verdict::Conformant => "conformant",
        crate::Verdict::NotConformant => "not-conformant",
    };
    let service = &st.service.name;
    let title = Text::new(
        format!("{} 言明書の評価結果（ISMAP）", service.get(Lang::Ja).trim()),
        format!("{} statement assessment results (ISMAP)", service.get(Lang::En).trim()),
    );
    let result_title = Text::new("ISMAP 言明書の適合性評価", "ISMAP statement conformance assessment");
    let mut result = json!({
        "uuid": names.uuid("results/result"),
        "title": result_title.get(lang),
        "description": summary,
        "start": stamp,
        "end": stamp,
        "props": [prop("verdict", verdict_token), prop("baseline", baseline)],
        "reviewed-controls": {"control-selections": [{"include-all": {}}]}
    });
    if !observations.is_empty() {
        set(&mut result, "observations", Value::Array(observations));
    }
    if !findings.is_empty() {
        set(&mut result, "findings", Value::Array(findings));
    }
    let plan_href = options.plan_href.clone().unwrap_or_else(|| DEFAULT_PLAN_HREF.to_owned());
    let remarks = match lang {
        Lang::Ja => "ISMAP には評価計画がないため、同じ言明書のシステムセキュリティ計画を指します",
        Lang::En => "ISMAP has no assessment plan: this names the system security plan of the same statement",
    };
    json!({
        "uuid": names.uuid("results"),
        "metadata": {
            "title": clean(title.get(lang)),
            "last-modified": stamp,
            "version": st.catalog_version.to_string(),
            "oscal-version": OSCAL_OUTPUT_VERSION,
            "props": [
                prop("program", st.program.as_str()),
                prop("verdict", verdict_token),
                prop("baseline", baseline),
                prop("period-start", st.period.start().to_string()),
                prop("period-end", st.period.end().to_string())
            ]
        },
        "import-ap": {"href": plan_href, "remarks": remarks},
        "results": [result]
    })
}

/// [`assessment_results`] as a file: `{"assessment-results": ...}`.
#[must_use]
pub fn assessment_results_file(st: &Statement, report: &AssessmentReport, options: &ResultsOptions) -> Value {
    json!({"assessment-results": assessment_results(st, report, options)})
}
