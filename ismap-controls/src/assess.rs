//! The conformance engine: a catalog, a baseline and agency additions, applied to a statement.

use std::collections::{BTreeMap, HashMap, HashSet};

use ismap_model::{ControlId, ControlLevel, CriteriaPart, Lang, NumericPath, PeriodRule, Text};

use crate::report::{
    AssessmentReport, AuditScopeSummary, CatalogSummary, DomainSummary, Finding, PartSummary, Tally, Verdict,
};
use crate::statement::{IndividualControl, Selection, SelectionStatus, Statement};
use crate::{
    AgencyAdditions, Baseline, Catalog, Node, Requirement, Rule, ServiceListings, Severity, UnderlyingListing,
};

/// An assessment setup: catalog + baseline + agency additions (+ the configurable period rule).
///
/// ```
/// use ismap_controls::{Assessment, Baseline, Catalog, Statement, Verdict};
/// let statement = Statement::try_sample()?;
/// let report = Assessment::new(Catalog::ismap_2022(), &Baseline::ismap()).assess(&statement);
/// assert_eq!(report.verdict, Verdict::NotConformant);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Assessment<'a> {
    catalog: &'a Catalog,
    baseline: &'a Baseline,
    additions: &'a [AgencyAdditions],
    period_rule: PeriodRule,
    listings: Option<&'a dyn ServiceListings>,
}

impl<'a> Assessment<'a> {
    /// An assessment against `catalog` and `baseline`, without agency additions.
    #[must_use]
    pub fn new(catalog: &'a Catalog, baseline: &'a Baseline) -> Self {
        Self { catalog, baseline, additions: &[], period_rule: PeriodRule::default(), listings: None }
    }

    /// Adds agency additional requirements.
    #[must_use]
    pub const fn with_additions(mut self, additions: &'a [AgencyAdditions]) -> Self {
        self.additions = additions;
        self
    }

    /// Replaces the assessment-period rule (default 3..=12 months, CC-EN-2022 §2.2.5).
    #[must_use]
    pub const fn with_period_rule(mut self, rule: PeriodRule) -> Self {
        self.period_rule = rule;
        self
    }

    /// Checks every underlying service the statement inherits from against the cloud service
    /// list on `listings`' date (rule [`Rule::UnderlyingServiceNotListed`]): a registry replayed
    /// from a journal, e.g. `ismap_workflow::Registry::listings_on`.
    #[must_use]
    pub const fn with_listings(mut self, listings: &'a dyn ServiceListings) -> Self {
        self.listings = Some(listings);
        self
    }

    /// Checks `statement` against every rule and returns the full report.
    #[must_use]
    pub fn assess(&self, statement: &Statement) -> AssessmentReport {
        let mut run = Run::new(self, statement);
        run.check_header();
        run.check_selections();
        run.check_excluded_objectives();
        run.check_underlying_listed();
        run.check_catalog_coverage();
        run.check_agency_additions();
        run.finish()
    }
}

/// One selection found in the statement, by numeric path.
struct Entry<'s> {
    index: usize,
    selection: &'s Selection,
}

struct Run<'a, 's> {
    setup: &'a Assessment<'a>,
    st: &'s Statement,
    findings: Vec<Finding>,
    /// First selection for each numeric path (later duplicates are reported and ignored).
    entries: HashMap<NumericPath, Entry<'s>>,
    /// Objectives (by path) with at least one implemented detailed control in the statement.
    objectives_with_detail: HashSet<NumericPath>,
}

fn path_of(i: usize) -> Option<String> {
    Some(format!("$.selections[{i}]"))
}

fn has_text(controls: &[IndividualControl]) -> bool {
    controls.iter().any(|c| !c.text.trim().is_empty())
}

impl<'a, 's> Run<'a, 's> {
    fn new(setup: &'a Assessment<'a>, st: &'s Statement) -> Self {
        Self {
            setup,
            st,
            findings: Vec::new(),
            entries: HashMap::with_capacity(st.selections.len()),
            objectives_with_detail: HashSet::new(),
        }
    }

    fn push(&mut self, rule: Rule, control: Option<ControlId>, path: Option<String>, message: Text) {
        self.push_with(rule, rule.severity(), control, path, message);
    }

    fn push_with(
        &mut self,
        rule: Rule,
        severity: Severity,
        control: Option<ControlId>,
        path: Option<String>,
        message: Text,
    ) {
        self.findings.push(Finding { rule, severity, control, path, message });
    }

    /// Catalog version, program, period, representative.
    fn check_header(&mut self) {
        let st = self.st;
        let cat = &self.setup.catalog.meta().version;
        if st.catalog_version != *cat {
            self.push(
                Rule::CatalogVersionMismatch,
                None,
                Some("$.catalog_version".into()),
                Text::new(
                    format!(
                        "言明書は管理基準 {} を対象としていますが、評価に用いたのは {cat} です",
                        st.catalog_version
                    ),
                    format!(
                        "the statement targets catalog version {} but was assessed against {cat}",
                        st.catalog_version
                    ),
                ),
            );
        }
        if st.program != self.setup.baseline.program {
            let base = self.setup.baseline.program;
            self.push(
                Rule::BaselineProgramMismatch,
                None,
                Some("$.program".into()),
                Text::new(
                    format!("言明書の制度は {} ですが、ベースラインは {base} です", st.program),
                    format!("the statement is for {} but the baseline is {base}", st.program),
                ),
            );
        }
        if !st.program.admits(st.service.model) {
            let (p, m) = (st.program, st.service.model);
            self.push(
                Rule::ProgramNotAdmitted,
                None,
                Some("$.service.model".into()),
                Text::new(
                    format!("{p} は SaaS のみ対象です（このサービスは {m}）"),
                    format!("{p} admits SaaS only; this service is {m}"),
                ),
            );
        }
        if let Err(e) = st.period.check(&self.setup.period_rule) {
            self.push(Rule::AssessmentPeriodLength, None, Some("$.period".into()), e.text());
        }
        if let Some(prev) = &st.previous_period
            && let Err(e) = st.period.check_follows(prev)
        {
            self.push(Rule::AssessmentPeriodNotContiguous, None, Some("$.period.start".into()), e.text());
        }
        let rep = &st.representative;
        if rep.name.trim().is_empty() || rep.title.trim().is_empty() {
            self.push(
                Rule::RepresentativeMissing,
                None,
                Some("$.representative".into()),
                Text::new("代表者の氏名と役職を記載してください", "give the representative's name and position"),
            );
        }
    }

    /// Rules that look at each selection on its own (and index them for the coverage pass).
    fn check_selections(&mut self) {
        let st = self.st;
        let catalog = self.setup.catalog;
        let structure_only = !catalog.is_complete();
        for (i, sel) in st.selections.iter().enumerate() {
            let id = *sel.id();
            if let Some(first) = self.entries.get(&id.path()) {
                let first = first.index;
                self.push(
                    Rule::DuplicateSelection,
                    Some(id),
                    path_of(i),
                    Text::new(
                        format!("`{id}` は $.selections[{first}] と重複しています"),
                        format!("`{id}` is already listed at $.selections[{first}]"),
                    ),
                );
                continue;
            }
            self.entries.insert(id.path(), Entry { index: i, selection: sel });
            let node = catalog.get_by_path(&id.path());
            match node {
                Some(n) if n.id != id => {
                    let known = n.id;
                    self.push_with(
                        Rule::UnknownControl,
                        Severity::Error,
                        Some(id),
                        path_of(i),
                        Text::new(
                            format!("`{id}` は管理基準では `{known}` です（接尾辞が異なります）"),
                            format!("`{id}` is `{known}` in the catalog (the suffix differs)"),
                        ),
                    );
                }
                Some(_) => {}
                None => {
                    // A structure-only catalog omits only the optional detailed controls of the
                    // controls criteria; everything down to the objectives is listed.
                    let omitted_kind = id.level() == ControlLevel::Detailed
                        && CriteriaPart::of_domain(id.domain()) == Some(CriteriaPart::Controls)
                        && id.path().parent().is_some_and(|p| catalog.get_by_path(&p).is_some());
                    let text = if structure_only && omitted_kind {
                        Text::new(
                            format!("`{id}` は構造のみのカタログのため内容を確認できません"),
                            format!("`{id}` cannot be checked against a structure-only catalog"),
                        )
                    } else if let Some(missing) = missing_ancestor(catalog, id).filter(|_| structure_only) {
                        Text::new(
                            format!(
                                "`{id}` は管理基準にありません（`{missing}` が存在しません。構造のみのカタログが省くのは管理策基準の任意の詳細管理策だけです）"
                            ),
                            format!(
                                "`{id}` is not in the catalog (`{missing}` does not exist; a structure-only catalog omits only optional detailed controls of the controls criteria)"
                            ),
                        )
                    } else {
                        Text::new(format!("`{id}` は管理基準にありません"), format!("`{id}` is not in the catalog"))
                    };
                    let severity = if structure_only && omitted_kind { Severity::Warning } else { Severity::Error };
                    self.push_with(Rule::UnknownControl, severity, Some(id), path_of(i), text);
                }
            }
            if id.level() <= ControlLevel::Category {
                self.push(
                    Rule::NotSelectable,
                    Some(id),
                    path_of(i),
                    Text::new(
                        format!("`{id}` は{}であり、選択の対象ではありません", id.level().name_ja()),
                        format!("`{id}` is a {}, not a selectable item", id.level()),
                    ),
                );
                continue;
            }
            self.check_one(i, sel, node.filter(|n| n.id == id));
        }
    }

    fn check_one(&mut self, i: usize, sel: &Selection, node: Option<&Node>) {
        let id = *sel.id();
        let requirement = node.map(|n| n.requirement);
        match sel {
            Selection::Excluded { reason, .. } | Selection::NotSelected { reason, .. } => {
                if reason.trim().is_empty() {
                    let what = if sel.status() == SelectionStatus::Excluded {
                        ("除外", "excluded")
                    } else {
                        ("非選択", "not selected")
                    };
                    self.push(
                        Rule::ReasonMissing,
                        Some(id),
                        Some(format!("$.selections[{i}].reason")),
                        Text::new(
                            format!("`{id}` を{}とする理由が空です", what.0),
                            format!("`{id}` is {} without a reason", what.1),
                        ),
                    );
                }
                let excludable = id.level() == ControlLevel::Objective
                    && requirement.is_none_or(|r| r == Requirement::RequiredUnlessExcluded);
                if sel.status() == SelectionStatus::Excluded && !excludable {
                    let hint = if id.level() == ControlLevel::Detailed {
                        (
                            "詳細管理策は除外ではなく非選択（not_selected）とします",
                            "detailed controls are `not_selected`, not excluded",
                        )
                    } else {
                        (
                            "ガバナンス・マネジメント基準は除外できません",
                            "governance and management items cannot be excluded",
                        )
                    };
                    self.push(
                        Rule::ExclusionNotAllowed,
                        Some(id),
                        Some(format!("$.selections[{i}].status")),
                        Text::new(format!("`{id}`: {}", hint.0), format!("`{id}`: {}", hint.1)),
                    );
                }
            }
            Selection::Selected { controls, changes, .. } => {
                let leaf_required = node.is_some_and(|n| {
                    n.requirement == Requirement::Required && self.setup.catalog.children(n).next().is_none()
                });
                if (id.level() == ControlLevel::Detailed || leaf_required) && !has_text(controls) {
                    self.push(
                        Rule::IndividualControlMissing,
                        Some(id),
                        Some(format!("$.selections[{i}].controls")),
                        Text::new(
                            format!("`{id}` は選択されていますが個別管理策が記載されていません"),
                            format!("`{id}` is selected but describes no individual control"),
                        ),
                    );
                }
                self.check_changes(i, id, changes);
            }
            Selection::Unanswered { .. } => self.push(
                Rule::ItemUnanswered,
                Some(id),
                Some(format!("$.selections[{i}].status")),
                Text::new(
                    format!("`{id}` は未回答です。選択、理由を付した非選択・除外、または継承のいずれかで回答してください"),
                    format!(
                        "`{id}` is marked unanswered: select it, mark it not selected or excluded with a reason, or inherit it"
                    ),
                ),
            ),
            Selection::Inherited { from, .. } => {
                if CriteriaPart::of_domain(id.domain()) == Some(CriteriaPart::Controls) {
                    self.check_inheritance(i, id, from);
                } else {
                    self.push(
                        Rule::InheritanceNotApplicable,
                        Some(id),
                        Some(format!("$.selections[{i}].status")),
                        Text::new(
                            format!(
                                "`{id}` はガバナンス・マネジメント基準の項目であり、基盤サービスから継承できません（事業者自身が実施します）"
                            ),
                            format!(
                                "`{id}` is a governance or management item: it belongs to the provider's own organisation and cannot be inherited from an underlying service"
                            ),
                        ),
                    );
                }
            }
        }
        if id.level() == ControlLevel::Detailed
            && sel.is_implemented()
            && let Some(parent) = id.path().parent()
        {
            self.objectives_with_detail.insert(parent);
        }
    }

    /// An excluded objective covers every id beneath it, listed in the catalog or not: the
    /// objective of a detailed control follows from its id (Control Criteria §2.2.4).
    fn check_excluded_objectives(&mut self) {
        for (i, sel) in self.st.selections.iter().enumerate() {
            let id = *sel.id();
            if id.level() != ControlLevel::Detailed || !sel.is_implemented() {
                continue;
            }
            // Only the first listing of an id is judged (later ones are duplicates).
            if self.entries.get(&id.path()).is_none_or(|e| e.index != i) {
                continue;
            }
            let Some(objective) = id.path().parent().and_then(|p| self.entries.get(&p)) else { continue };
            if objective.selection.status() != SelectionStatus::Excluded {
                continue;
            }
            let objective = *objective.selection.id();
            self.push(
                Rule::SelectedUnderExcludedObjective,
                Some(id),
                path_of(i),
                Text::new(
                    format!("`{id}` は選択されていますが、その統制目標 `{objective}` は除外されています"),
                    format!("`{id}` is selected but its objective `{objective}` is excluded"),
                ),
            );
        }
    }

    /// Each underlying service inherited from, once, against the registry when one is given.
    fn check_underlying_listed(&mut self) {
        let Some(listings) = self.setup.listings else { return };
        let on = listings.date();
        for (k, u) in self.st.inherited_underlying() {
            // Without a number, `inheritance-unregistered` already reports it.
            let Some(number) = &u.registration else { continue };
            let (ja, en) = match listings.lookup(number) {
                UnderlyingListing::Listed => continue,
                UnderlyingListing::NotListed { status } => (
                    format!(
                        "継承元の基盤サービス `{}`（{number}）は {on} にクラウドサービスリストに有効に登録されていない（{}）",
                        u.key,
                        status.get(Lang::Ja)
                    ),
                    format!(
                        "underlying service `{}` ({number}) is not validly on the cloud service list on {on} ({})",
                        u.key,
                        status.get(Lang::En)
                    ),
                ),
                UnderlyingListing::Unknown => (
                    format!("継承元の基盤サービス `{}` の登録番号 {number} は登録簿にない", u.key),
                    format!("underlying service `{}`: registration number {number} is not in the registry", u.key),
                ),
            };
            self.push(
                Rule::UnderlyingServiceNotListed,
                None,
                Some(format!("$.service.underlying[{k}].registration")),
                Text::new(ja, en),
            );
        }
    }

    fn check_changes(&mut self, i: usize, id: ControlId, changes: &[crate::statement::ControlChange]) {
        let period = self.st.period;
        let mut previous = None;
        for (k, c) in changes.iter().enumerate() {
            let inside = c.changed_on > period.start() && c.changed_on <= period.end();
            let ordered = previous.is_none_or(|p| c.changed_on > p);
            previous = Some(c.changed_on);
            if inside && ordered {
                continue;
            }
            let (ja, en) = if inside {
                ("前の変更より後の日付にしてください", "must come after the previous change")
            } else {
                (
                    "監査対象期間の2日目から最終日までの日付にしてください",
                    "must fall after the period's first day and by its last day",
                )
            };
            self.push(
                Rule::ChangeOutsidePeriod,
                Some(id),
                Some(format!("$.selections[{i}].changes[{k}].changed_on")),
                Text::new(
                    format!("`{id}` の変更日 {}: {ja}（期間 {}〜{}）", c.changed_on, period.start(), period.end()),
                    format!("`{id}` change dated {} {en} ({}..={})", c.changed_on, period.start(), period.end()),
                ),
            );
        }
    }

    fn check_inheritance(&mut self, i: usize, id: ControlId, from: &str) {
        let underlying = self.st.service.underlying.iter().find(|u| u.key == from);
        let (ja, en) = match underlying {
            None => (
                format!("`{id}` の継承元 `{from}` がサービス範囲の基盤サービスにありません"),
                format!("`{id}` inherits from `{from}`, which is not an underlying service in the scope"),
            ),
            Some(u) if u.registration.is_none() => (
                format!("`{id}` の継承元 `{from}` に ISMAP 登録番号がありません"),
                format!("`{id}` inherits from `{from}`, which has no ISMAP registration number"),
            ),
            Some(_) => return,
        };
        self.push(Rule::InheritanceUnregistered, Some(id), Some(format!("$.selections[{i}].from")), Text::new(ja, en));
    }

    /// Rules that walk the catalog and look the statement up.
    fn check_catalog_coverage(&mut self) {
        let catalog = self.setup.catalog;
        let structure_only = !catalog.is_complete();
        for node in catalog.nodes() {
            let entry = self.entries.get(&node.id.path()).filter(|e| *e.selection.id() == node.id);
            let status = entry.map(|e| e.selection.status());
            // An unanswered item is reported once, by `item-unanswered`.
            if status == Some(SelectionStatus::Unanswered) {
                continue;
            }
            let path = entry.and_then(|e| path_of(e.index));
            let id = node.id;
            match node.requirement {
                Requirement::Structural => {}
                Requirement::Required => {
                    if !entry.is_some_and(|e| e.selection.is_implemented()) {
                        let how = status_words(status);
                        self.push(
                            Rule::RequiredItemNotSelected,
                            Some(id),
                            path,
                            Text::new(
                                format!("`{id}`（{}）は必須ですが{}", node.part.name().get(Lang::Ja), how.0),
                                format!("`{id}` ({}) is mandatory but {}", node.part.name().get(Lang::En), how.1),
                            ),
                        );
                    }
                }
                Requirement::RequiredUnlessExcluded => match status {
                    None | Some(SelectionStatus::NotSelected | SelectionStatus::Unanswered) => {
                        let how = status_words(status);
                        self.push(
                            Rule::ObjectiveNotAddressed,
                            Some(id),
                            path,
                            Text::new(
                                format!("統制目標 `{id}` は選択するか理由を付して除外する必要がありますが、{}", how.0),
                                format!(
                                    "control objective `{id}` must be selected or excluded with a reason, but {}",
                                    how.1
                                ),
                            ),
                        );
                    }
                    // An inherited objective's detailed controls are the underlying service's.
                    Some(SelectionStatus::Inherited | SelectionStatus::Excluded) => {}
                    Some(SelectionStatus::Selected) => {
                        let applies = catalog.children(node).next().is_some()
                            || (structure_only && node.part == CriteriaPart::Controls);
                        if applies && !self.objectives_with_detail.contains(&id.path()) {
                            self.push(
                                Rule::ObjectiveWithoutDetailedControl,
                                Some(id),
                                path,
                                Text::new(
                                    format!("統制目標 `{id}` の下で詳細管理策が一つも選択されていません"),
                                    format!("no detailed control is selected under objective `{id}`"),
                                ),
                            );
                        }
                    }
                },
                Requirement::RequiredUnlessObjectiveExcluded | Requirement::Optional => {
                    self.check_detailed(node, entry.map(|e| (e.index, e.selection)));
                }
            }
        }
    }

    fn check_detailed(&mut self, node: &Node, entry: Option<(usize, &Selection)>) {
        let id = node.id;
        let objective_excluded = id
            .path()
            .parent()
            .and_then(|p| self.entries.get(&p))
            .is_some_and(|e| e.selection.status() == SelectionStatus::Excluded);
        let implemented = entry.is_some_and(|(_, s)| s.is_implemented());
        let path = entry.and_then(|(i, _)| path_of(i));
        // Selections under an excluded objective are reported by `check_excluded_objectives`.
        if objective_excluded {
            return;
        }
        if node.requirement == Requirement::RequiredUnlessObjectiveExcluded && !implemented {
            let how = status_words(entry.map(|(_, s)| s.status()));
            self.push(
                Rule::BasicRequirementNotSelected,
                Some(id),
                path,
                Text::new(
                    format!("`{id}` は基本言明要件（必須）ですが{}", how.0),
                    format!("`{id}` is a basic statement requirement (mandatory) but {}", how.1),
                ),
            );
        } else if node.requirement == Requirement::Optional && entry.is_none() {
            self.push(
                Rule::DetailedControlUnaddressed,
                Some(id),
                None,
                Text::new(
                    format!("詳細管理策 `{id}` について選択・非選択（理由）の記載がありません"),
                    format!("detailed control `{id}` is neither selected nor given a reason for not being selected"),
                ),
            );
        }
    }

    /// Agency additions: required optional controls, own requirements, stray responses.
    fn check_agency_additions(&mut self) {
        let additions = self.setup.additions;
        let mut known = HashSet::new();
        for add in additions {
            let agency = &add.agency;
            for id in &add.require {
                let implemented = self.entries.get(&id.path()).is_some_and(|e| e.selection.is_implemented());
                if !implemented {
                    self.push(
                        Rule::AgencyControlNotSelected,
                        Some(*id),
                        None,
                        Text::new(
                            format!("{} が求める `{id}` が選択されていません", agency.get(Lang::Ja)),
                            format!("`{id}`, required by {}, is not selected", agency.get(Lang::En)),
                        ),
                    );
                }
            }
            for req in &add.requirements {
                known.insert(req.id.clone());
                let answered = self.st.agency_responses.iter().any(|r| r.id == req.id && has_text(&r.controls));
                if !answered {
                    let rid = &req.id;
                    self.push(
                        Rule::AgencyRequirementUnaddressed,
                        None,
                        Some("$.agency_responses".into()),
                        Text::new(
                            format!(
                                "{} の追加要件 {rid}（{}）への対応が記載されていません",
                                agency.get(Lang::Ja),
                                req.title.get(Lang::Ja)
                            ),
                            format!(
                                "{}'s requirement {rid} ({}) has no response",
                                agency.get(Lang::En),
                                req.title.get(Lang::En)
                            ),
                        ),
                    );
                }
            }
        }
        for (i, r) in self.st.agency_responses.iter().enumerate() {
            if !known.contains(&r.id) {
                let rid = &r.id;
                self.push(
                    Rule::UnknownAgencyRequirement,
                    None,
                    Some(format!("$.agency_responses[{i}].id")),
                    Text::new(
                        format!("追加要件 {rid} は適用したどの府省庁文書にも定義されていません"),
                        format!("requirement {rid} is not defined by any agency document applied"),
                    ),
                );
            }
        }
    }

    fn finish(mut self) -> AssessmentReport {
        self.findings
            .sort_by(|a, b| (a.severity, a.control, a.rule, &a.path).cmp(&(b.severity, b.control, b.rule, &b.path)));
        let catalog = self.setup.catalog;
        let baseline = self.setup.baseline;
        // Counts per domain number, then folded into parts.
        let mut per_domain: BTreeMap<ControlId, Tally> = BTreeMap::new();
        let mut scope = AuditScopeSummary { external: 0, internal_only: 0 };
        for node in catalog.nodes().filter(|n| n.level >= ControlLevel::Objective) {
            let entry = self.entries.get(&node.id.path());
            let t = per_domain.entry(node.id.domain_id()).or_default();
            match entry.map(|e| e.selection.status()) {
                None => t.missing += 1,
                Some(s) => count_status(t, s),
            }
        }
        for e in self.entries.values() {
            let id = e.selection.id();
            if id.level() >= ControlLevel::Objective && catalog.get(id).is_none() {
                count_status(per_domain.entry(id.domain_id()).or_default(), e.selection.status());
            }
            if e.selection.is_implemented() && CriteriaPart::of_domain(id.domain()) == Some(CriteriaPart::Controls) {
                if baseline.in_external_audit_scope(id) {
                    scope.external += 1;
                } else {
                    scope.internal_only += 1;
                }
            }
        }
        for f in &self.findings {
            let Some(c) = f.control else { continue };
            let t = per_domain.entry(c.domain_id()).or_default();
            match f.severity {
                Severity::Error => t.errors += 1,
                Severity::Warning => t.warnings += 1,
                Severity::Info => {}
            }
        }
        let domains: Vec<DomainSummary> = per_domain
            .iter()
            .map(|(d, t)| {
                let node = catalog.get_by_path(&d.path());
                DomainSummary {
                    domain: node.map_or(*d, |n| n.id),
                    part: node
                        .map(|n| n.part)
                        .or_else(|| CriteriaPart::of_domain(d.domain()))
                        .unwrap_or(CriteriaPart::Controls),
                    title: node.and_then(|n| n.title.clone()),
                    tally: *t,
                }
            })
            .collect();
        let mut parts: Vec<PartSummary> =
            CriteriaPart::ALL.iter().map(|p| PartSummary { part: *p, tally: Tally::default() }).collect();
        for d in &domains {
            if let Some(p) = parts.iter_mut().find(|p| p.part == d.part) {
                add(&mut p.tally, &d.tally);
            }
        }
        let mut totals = Tally::default();
        for p in &parts {
            add(&mut totals, &p.tally);
        }
        // Findings without a control (header, agency requirements) count in the totals only.
        for f in self.findings.iter().filter(|f| f.control.is_none()) {
            match f.severity {
                Severity::Error => totals.errors += 1,
                Severity::Warning => totals.warnings += 1,
                Severity::Info => {}
            }
        }
        let verdict = if self.findings.iter().any(|f| f.severity == Severity::Error) {
            Verdict::NotConformant
        } else {
            Verdict::Conformant
        };
        let meta = catalog.meta();
        AssessmentReport {
            format_version: ismap_model::DocumentVersion::current(),
            verdict,
            service: self.st.service.name.clone(),
            program: self.st.program,
            period: self.st.period,
            catalog: CatalogSummary {
                name: meta.name.clone(),
                version: meta.version.to_string(),
                completeness: meta.completeness,
            },
            baseline: baseline.kind,
            agencies: self.setup.additions.iter().map(|a| a.agency.clone()).collect(),
            totals,
            parts,
            domains,
            audit_scope: baseline.external_audit_scope.as_ref().map(|_| scope),
            findings: self.findings,
        }
    }
}

/// The highest ancestor of `id` (domain, category, then objective) the catalog does not list.
fn missing_ancestor(catalog: &Catalog, id: ControlId) -> Option<ControlId> {
    let mut chain = Vec::new();
    let mut current = id.parent();
    while let Some(a) = current {
        current = a.parent();
        chain.push(a);
    }
    chain.into_iter().rev().chain(std::iter::once(id)).find(|a| catalog.get_by_path(&a.path()).is_none())
}

fn count_status(t: &mut Tally, s: SelectionStatus) {
    match s {
        SelectionStatus::Selected => t.selected += 1,
        SelectionStatus::Inherited => t.inherited += 1,
        SelectionStatus::NotSelected => t.not_selected += 1,
        SelectionStatus::Excluded => t.excluded += 1,
        SelectionStatus::Unanswered => t.missing += 1,
    }
}

fn add(into: &mut Tally, t: &Tally) {
    into.selected += t.selected;
    into.inherited += t.inherited;
    into.not_selected += t.not_selected;
    into.excluded += t.excluded;
    into.missing += t.missing;
    into.errors += t.errors;
    into.warnings += t.warnings;
}

fn status_words(status: Option<SelectionStatus>) -> (&'static str, &'static str) {
    match status {
        None => ("言明書に記載がありません", "the statement does not mention it"),
        Some(SelectionStatus::NotSelected) => ("非選択とされています", "it is marked not selected"),
        Some(SelectionStatus::Excluded) => ("除外とされています", "it is marked excluded"),
        Some(SelectionStatus::Unanswered) => ("未回答です", "it is marked unanswered"),
        Some(SelectionStatus::Selected | SelectionStatus::Inherited) => ("選択されています", "it is selected"),
    }
}
