//! The validated scenario: a [`ScenarioDocument`] whose references resolve, whose step and task
//! graphs are acyclic, and whose pass score can be reached.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use ismap_model::Text;
use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};

use crate::doc::{IrPhase, Join, ScenarioDocument, TimeWindow};
use crate::fasthash::FastMap;
use crate::id::{StepId, TaskId, TechniqueId};
use crate::issue::{InvalidDocumentError, Issue, IssueCode, ValidationReport};

/// The step dependency graph: node `i` is attack step `i` (document order); an edge `a → b` means
/// `b` requires `a`.
pub type StepGraph = DiGraph<StepId, ()>;

/// Lists of indices, one per node, in one flat buffer (compressed sparse rows): two allocations
/// for a whole relation instead of one per node.
#[derive(Debug, Clone, Default)]
pub(crate) struct Lists {
    start: Vec<usize>,
    items: Vec<usize>,
}

impl Lists {
    /// Room for `nodes` lists of `items` entries in all.
    pub(crate) fn with_capacity(nodes: usize, items: usize) -> Self {
        let mut start = Vec::with_capacity(nodes + 1);
        start.push(0);
        Self { start, items: Vec::with_capacity(items) }
    }

    /// Appends the next node's list.
    pub(crate) fn push(&mut self, list: impl IntoIterator<Item = usize>) {
        if self.start.is_empty() {
            self.start.push(0);
        }
        self.items.extend(list);
        self.start.push(self.items.len());
    }

    /// The list of node `i` (empty past the end).
    pub(crate) fn get(&self, i: usize) -> &[usize] {
        match (self.start.get(i), self.start.get(i + 1)) {
            (Some(&a), Some(&b)) => self.items.get(a..b).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// How many lists.
    pub(crate) fn len(&self) -> usize {
        self.start.len().saturating_sub(1)
    }

    /// All entries of all lists.
    pub(crate) fn total(&self) -> usize {
        self.items.len()
    }

    /// The inverse relation over `targets` nodes: `j` lists `i` (in increasing order) for every
    /// `j` in list `i`.
    pub(crate) fn inverse(&self, targets: usize) -> Self {
        let mut count = vec![0usize; targets + 1];
        for &j in &self.items {
            if let Some(c) = count.get_mut(j + 1) {
                *c += 1;
            }
        }
        for k in 1..count.len() {
            let prev = count.get(k - 1).copied().unwrap_or(0);
            if let Some(c) = count.get_mut(k) {
                *c += prev;
            }
        }
        let start = count.clone();
        let mut items = vec![0usize; count.last().copied().unwrap_or(0)];
        for i in 0..self.len() {
            for &j in self.get(i) {
                if let Some(at) = count.get_mut(j) {
                    if let Some(slot) = items.get_mut(*at) {
                        *slot = i;
                    }
                    *at += 1;
                }
            }
        }
        Self { start, items }
    }

    /// The same lists without the entries `keep(i, j)` rejects.
    pub(crate) fn filtered(&self, keep: impl Fn(usize, usize) -> bool) -> Self {
        let mut out = Self::with_capacity(self.len(), self.total());
        for i in 0..self.len() {
            out.push(self.get(i).iter().copied().filter(|&j| keep(i, j)));
        }
        out
    }
}

/// What an attack step is, apart from its references.
#[derive(Debug, Clone, Copy)]
pub(crate) struct StepMeta {
    pub(crate) join: Join,
    pub(crate) duration: u64,
    pub(crate) not_before: u64,
    pub(crate) goal: bool,
}

/// The attack steps with their references resolved to indices.
#[derive(Debug, Clone, Default)]
pub(crate) struct Steps {
    meta: Vec<StepMeta>,
    pub(crate) requires: Lists,
    pub(crate) leaves: Lists,
}

/// One attack step: its references (as indices) and the rest.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Step<'a> {
    pub(crate) requires: &'a [usize],
    pub(crate) join: Join,
    pub(crate) duration: u64,
    pub(crate) not_before: u64,
    pub(crate) leaves: &'a [usize],
    pub(crate) goal: bool,
}

impl Steps {
    pub(crate) fn get(&self, i: usize) -> Option<Step<'_>> {
        self.meta.get(i).map(|m| Step {
            requires: self.requires.get(i),
            join: m.join,
            duration: m.duration,
            not_before: m.not_before,
            leaves: self.leaves.get(i),
            goal: m.goal,
        })
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = Step<'_>> {
        (0..self.meta.len()).filter_map(|i| self.get(i))
    }

    pub(crate) fn len(&self) -> usize {
        self.meta.len()
    }
}

/// A defender task with its references resolved to indices.
#[derive(Debug, Clone)]
pub(crate) struct Task {
    pub(crate) needs: Vec<usize>,
    pub(crate) after: Vec<usize>,
    pub(crate) blocks: Vec<usize>,
    pub(crate) window: TimeWindow,
    pub(crate) duration: u64,
    pub(crate) phase: IrPhase,
    pub(crate) points: u32,
}

/// Everything resolved from a document, possibly still cyclic.
#[derive(Debug, Clone)]
pub(crate) struct Resolved {
    pub(crate) steps: Steps,
    /// Steps requiring each step.
    pub(crate) succ: Lists,
    pub(crate) tasks: Vec<Task>,
    /// Steps leaving each artefact.
    pub(crate) producers: Lists,
    /// Tasks needing each artefact.
    pub(crate) consumers: Lists,
    /// Earliest inject minute delivering each artefact.
    pub(crate) delivered_at: Vec<Option<u64>>,
    pub(crate) delay: Vec<u64>,
    pub(crate) techniques: Vec<Option<TechniqueId>>,
    pub(crate) chain: Vec<usize>,
}

/// Earliest times of an acyclic scenario, in minutes.
#[derive(Debug, Clone)]
pub(crate) struct Times {
    pub(crate) step_start: Vec<u64>,
    pub(crate) step_finish: Vec<u64>,
    pub(crate) task_start: Vec<Option<u64>>,
    pub(crate) task_finish: Vec<Option<u64>>,
}

/// A validated exercise scenario.
///
/// Built from a [`ScenarioDocument`] with [`Scenario::new`] (or `TryFrom`, or the loaders in
/// [`load_scenario`](crate::load_scenario) / [`parse_document`](crate::parse_document)); it cannot hold an unresolved reference, a cycle, an invalid technique id or an
/// unreachable pass score.
#[derive(Debug, Clone)]
pub struct Scenario {
    doc: ScenarioDocument,
    pub(crate) r: Resolved,
    /// Built on first use ([`Scenario::graph`]); no analysis needs it.
    graph: OnceLock<StepGraph>,
    /// Step indices in topological order.
    pub(crate) topo: Vec<usize>,
    /// Task indices in topological order.
    pub(crate) task_topo: Vec<usize>,
    pub(crate) times: Times,
    /// Built on first use: the analyses work on indices.
    step_index: OnceLock<FastMap<StepId, usize>>,
    task_index: OnceLock<FastMap<TaskId, usize>>,
    /// Topological layer of every step, computed on first use.
    pub(crate) layer: OnceLock<Vec<usize>>,
    /// Steps the attacker reaches when the team does nothing, computed on first use.
    pub(crate) reach_free: OnceLock<Vec<bool>>,
    warnings: Vec<Issue>,
}

impl TryFrom<ScenarioDocument> for Scenario {
    type Error = InvalidDocumentError;
    fn try_from(doc: ScenarioDocument) -> Result<Self, Self::Error> {
        Self::new(doc)
    }
}

impl serde::Serialize for Scenario {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.doc.serialize(s)
    }
}

impl<'de> serde::Deserialize<'de> for Scenario {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let doc = ScenarioDocument::deserialize(d)?;
        Self::new(doc).map_err(serde::de::Error::custom)
    }
}

/// Checks a document and reports every problem, without building a [`Scenario`].
#[must_use]
pub fn validate(doc: &ScenarioDocument) -> ValidationReport {
    ValidationReport::new(check(doc).0)
}

impl Scenario {
    /// Validates a document.
    ///
    /// # Errors
    /// With every problem found (errors and warnings) when there is at least one error.
    pub fn new(doc: ScenarioDocument) -> Result<Self, InvalidDocumentError> {
        let (issues, built) = check(&doc);
        match built {
            Some((r, topo, task_topo, times)) if !issues.iter().any(Issue::is_error) => Ok(Self {
                doc,
                r,
                graph: OnceLock::new(),
                topo,
                task_topo,
                times,
                step_index: OnceLock::new(),
                task_index: OnceLock::new(),
                layer: OnceLock::new(),
                reach_free: OnceLock::new(),
                warnings: issues,
            }),
            _ => Err(InvalidDocumentError::new(issues)),
        }
    }

    /// The document it was built from.
    #[must_use]
    pub const fn document(&self) -> &ScenarioDocument {
        &self.doc
    }

    /// Warnings found while validating (the scenario is usable).
    #[must_use]
    pub fn warnings(&self) -> &[Issue] {
        &self.warnings
    }

    /// The step dependency graph (built on the first call).
    #[must_use]
    pub fn graph(&self) -> &StepGraph {
        self.graph.get_or_init(|| step_graph(&self.doc, &self.r.steps))
    }

    /// The index of a step in document order (the index is built on the first call).
    #[must_use]
    pub fn step_index(&self, id: &StepId) -> Option<usize> {
        self.step_index
            .get_or_init(|| self.doc.attack_steps.iter().enumerate().map(|(i, s)| (s.id.clone(), i)).collect())
            .get(id)
            .copied()
    }

    /// The index of a task in document order (the index is built on the first call).
    #[must_use]
    pub fn task_index(&self, id: &TaskId) -> Option<usize> {
        self.task_index
            .get_or_init(|| self.doc.tasks.iter().enumerate().map(|(i, t)| (t.id.clone(), i)).collect())
            .get(id)
            .copied()
    }

    /// The parsed technique of step `i`.
    #[must_use]
    pub fn technique(&self, i: usize) -> Option<TechniqueId> {
        self.r.techniques.get(i).copied().flatten()
    }

    /// The incident-response phase of task `i` (given, or the kind's usual phase).
    #[must_use]
    pub fn phase(&self, i: usize) -> Option<IrPhase> {
        self.r.tasks.get(i).map(|t| t.phase)
    }

    pub(crate) fn step_id(&self, i: usize) -> Option<&StepId> {
        self.doc.attack_steps.get(i).map(|s| &s.id)
    }

    pub(crate) fn task_id(&self, i: usize) -> Option<&TaskId> {
        self.doc.tasks.get(i).map(|t| &t.id)
    }
}

type Built = (Resolved, Vec<usize>, Vec<usize>, Times);

/// The step graph of `doc` (edges `p → i` for every step `i` requiring `p`).
fn step_graph(doc: &ScenarioDocument, steps: &Steps) -> StepGraph {
    let mut graph = StepGraph::with_capacity(steps.len(), steps.requires.total());
    for s in &doc.attack_steps {
        graph.add_node(s.id.clone());
    }
    for (i, s) in steps.iter().enumerate() {
        for &p in s.requires {
            graph.add_edge(NodeIndex::new(p), NodeIndex::new(i), ());
        }
    }
    graph
}

fn index<'a, I: Iterator<Item = &'a str>>(
    ids: I,
    section: &str,
    what: (&str, &str),
    issues: &mut Vec<Issue>,
) -> FastMap<&'a str, usize> {
    let mut map = FastMap::with_capacity_and_hasher(ids.size_hint().0, crate::fasthash::FastBuild::default());
    for (i, id) in ids.enumerate() {
        match map.entry(id) {
            std::collections::hash_map::Entry::Occupied(_) => issues.push(Issue::error(
                IssueCode::DuplicateId,
                format!("$.{section}[{i}].id"),
                vec![id.to_owned()],
                Text::new(format!("{}`{id}`が重複しています", what.0), format!("duplicate {} id `{id}`", what.1)),
            )),
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(i);
            }
        }
    }
    map
}

struct Refs<'b> {
    issues: &'b mut Vec<Issue>,
}

impl Refs<'_> {
    /// Resolves one reference; `path` is built only when it does not resolve.
    fn one(
        &mut self,
        map: &FastMap<&str, usize>,
        id: &str,
        path: impl FnOnce() -> String,
        what: (&str, &str),
    ) -> Option<usize> {
        let found = map.get(id).copied();
        if found.is_none() {
            self.issues.push(Issue::error(
                IssueCode::UnresolvedReference,
                path(),
                vec![id.to_owned()],
                Text::new(format!("{}`{id}`が見つかりません", what.0), format!("unknown {} `{id}`", what.1)),
            ));
        }
        found
    }

    /// Resolves a list of references into the next list of `lists`; `path` (of the list) is built
    /// only for one that does not resolve.
    fn many_into<T: AsRef<str>>(
        &mut self,
        lists: &mut Lists,
        map: &FastMap<&str, usize>,
        ids: &[T],
        path: impl Fn() -> String,
        what: (&str, &str),
    ) {
        for (k, id) in ids.iter().enumerate() {
            if let Some(i) = self.one(map, id.as_ref(), || format!("{}[{k}]", path()), what) {
                lists.items.push(i);
            }
        }
        if lists.start.is_empty() {
            lists.start.push(0);
        }
        lists.start.push(lists.items.len());
    }

    /// Resolves a list of references; `path` (of the list) is built only for one that does not.
    fn many<T: AsRef<str>>(
        &mut self,
        map: &FastMap<&str, usize>,
        ids: &[T],
        path: impl Fn() -> String,
        what: (&str, &str),
    ) -> Vec<usize> {
        let mut out = Vec::with_capacity(ids.len());
        for (k, id) in ids.iter().enumerate() {
            if let Some(i) = self.one(map, id.as_ref(), || format!("{}[{k}]", path()), what) {
                out.push(i);
            }
        }
        out
    }
}

const STEP: (&str, &str) = ("攻撃ステップ", "attack step");
const TASK: (&str, &str) = ("タスク", "task");
const ART: (&str, &str) = ("痕跡", "artefact");
const ACTOR: (&str, &str) = ("関係者", "actor");
const HOST: (&str, &str) = ("ホスト", "host");
const SEG: (&str, &str) = ("セグメント", "segment");
const OBJ: (&str, &str) = ("学習目標", "learning objective");

#[expect(clippy::too_many_lines, reason = "one pass over every section keeps the checks in document order")]
fn check(doc: &ScenarioDocument) -> (Vec<Issue>, Option<Built>) {
    let mut issues = Vec::new();
    let segs = index(doc.environment.segments.iter().map(|s| s.id.as_str()), "environment.segments", SEG, &mut issues);
    let hosts = index(doc.environment.hosts.iter().map(|s| s.id.as_str()), "environment.hosts", HOST, &mut issues);
    let actors = index(doc.actors.iter().map(|s| s.id.as_str()), "actors", ACTOR, &mut issues);
    let arts = index(doc.artefacts.iter().map(|s| s.id.as_str()), "artefacts", ART, &mut issues);
    let steps_ix = index(doc.attack_steps.iter().map(|s| s.id.as_str()), "attackSteps", STEP, &mut issues);
    let tasks_ix = index(doc.tasks.iter().map(|s| s.id.as_str()), "tasks", TASK, &mut issues);
    let _injects = index(doc.injects.iter().map(|s| s.id.as_str()), "injects", ("インジェクト", "inject"), &mut issues);
    let objs = index(doc.objectives.iter().map(|s| s.id.as_str()), "objectives", OBJ, &mut issues);

    let mut refs = Refs { issues: &mut issues };
    for (i, h) in doc.environment.hosts.iter().enumerate() {
        refs.one(&segs, h.segment.as_str(), || format!("$.environment.hosts[{i}].segment"), SEG);
    }
    for (i, a) in doc.artefacts.iter().enumerate() {
        if let Some(h) = &a.host {
            refs.one(&hosts, h.as_str(), || format!("$.artefacts[{i}].host"), HOST);
        }
    }
    let n_art = doc.artefacts.len();
    let n_steps = doc.attack_steps.len();
    let mut steps = Steps {
        meta: Vec::with_capacity(n_steps),
        requires: Lists::with_capacity(n_steps, doc.attack_steps.iter().map(|s| s.requires.len()).sum()),
        leaves: Lists::with_capacity(n_steps, doc.attack_steps.iter().map(|s| s.leaves.len()).sum()),
    };
    let mut techniques = Vec::with_capacity(n_steps);
    for (i, s) in doc.attack_steps.iter().enumerate() {
        refs.many_into(&mut steps.requires, &steps_ix, &s.requires, || format!("$.attackSteps[{i}].requires"), STEP);
        refs.many_into(&mut steps.leaves, &arts, &s.leaves, || format!("$.attackSteps[{i}].leaves"), ART);
        if let Some(h) = &s.target {
            refs.one(&hosts, h.as_str(), || format!("$.attackSteps[{i}].target"), HOST);
        }
        let technique = s.technique.parse::<TechniqueId>().ok();
        if technique.is_none() {
            refs.issues.push(Issue::error(
                IssueCode::InvalidTechniqueId,
                format!("$.attackSteps[{i}].technique"),
                vec![s.id.to_string(), s.technique.clone()],
                Text::new(
                    format!("`{}`はATT&CKの技術IDではありません(例: `T1566`、`T1566.001`)", s.technique),
                    format!("`{}` is not an ATT&CK technique id (expected e.g. `T1566` or `T1566.001`)", s.technique),
                ),
            ));
        }
        techniques.push(technique);
        steps.meta.push(StepMeta {
            join: s.join,
            duration: u64::from(s.duration_minutes),
            not_before: u64::from(s.not_before_minute),
            goal: s.goal,
        });
    }
    let producers = steps.leaves.inverse(n_art);

    let mut tasks = Vec::with_capacity(doc.tasks.len());
    for (i, t) in doc.tasks.iter().enumerate() {
        let needs = refs.many(&arts, &t.needs, || format!("$.tasks[{i}].needs"), ART);
        let after = refs.many(&tasks_ix, &t.after, || format!("$.tasks[{i}].after"), TASK);
        let blocks = refs.many(&steps_ix, &t.blocks, || format!("$.tasks[{i}].blocks"), STEP);
        if let Some(a) = &t.to {
            refs.one(&actors, a.as_str(), || format!("$.tasks[{i}].to"), ACTOR);
        }
        refs.many(&objs, &t.objectives, || format!("$.tasks[{i}].objectives"), OBJ);
        if t.window.start_minute > t.window.end_minute {
            refs.issues.push(Issue::error(
                IssueCode::InvalidWindow,
                format!("$.tasks[{i}].window"),
                vec![t.id.to_string()],
                Text::new(
                    format!("時間枠が開始({})より前に終了({})しています", t.window.start_minute, t.window.end_minute),
                    format!(
                        "window ends (minute {}) before it starts (minute {})",
                        t.window.end_minute, t.window.start_minute
                    ),
                ),
            ));
        }
        tasks.push(Task {
            needs,
            after,
            blocks,
            window: t.window,
            duration: u64::from(t.duration_minutes),
            phase: t.phase.unwrap_or_else(|| t.kind.default_phase()),
            points: t.points,
        });
    }
    let mut needs_lists = Lists::with_capacity(tasks.len(), tasks.iter().map(|t| t.needs.len()).sum());
    for t in &tasks {
        needs_lists.push(t.needs.iter().copied());
    }
    let consumers = needs_lists.inverse(n_art);
    drop(needs_lists);
    let mut delivered_at: Vec<Option<u64>> = vec![None; n_art];
    for (i, inj) in doc.injects.iter().enumerate() {
        refs.one(&actors, inj.from.as_str(), || format!("$.injects[{i}].from"), ACTOR);
        refs.one(&actors, inj.to.as_str(), || format!("$.injects[{i}].to"), ACTOR);
        for a in refs.many(&arts, &inj.delivers, || format!("$.injects[{i}].delivers"), ART) {
            if let Some(d) = delivered_at.get_mut(a) {
                let at = u64::from(inj.at_minute);
                *d = Some(d.map_or(at, |x| x.min(at)));
            }
        }
        if let Some(t) = &inj.expected_task {
            refs.one(&tasks_ix, t.as_str(), || format!("$.injects[{i}].expectedTask"), TASK);
        }
        refs.many(&objs, &inj.objectives, || format!("$.injects[{i}].objectives"), OBJ);
    }
    let chain = refs.many(&tasks_ix, &doc.scoring.chain, || "$.scoring.chain".to_owned(), TASK);
    let mut seen = HashSet::new();
    for (k, &t) in chain.iter().enumerate() {
        let id = doc.tasks.get(t).map(|t| t.id.to_string()).unwrap_or_default();
        if !seen.insert(t) {
            issues.push(Issue::error(
                IssueCode::DuplicateChainTask,
                format!("$.scoring.chain[{k}]"),
                vec![id.clone()],
                Text::new(
                    format!("タスク`{id}`が連絡経路に二度現れます"),
                    format!("task `{id}` appears twice in the chain"),
                ),
            ));
        }
        if doc.tasks.get(t).is_some_and(|t| t.to.is_none()) {
            issues.push(Issue::error(
                IssueCode::ChainWithoutRecipient,
                format!("$.scoring.chain[{k}]"),
                vec![id.clone()],
                Text::new(
                    format!("連絡経路のタスク`{id}`に宛先(`to`)がありません"),
                    format!("chain task `{id}` has no recipient (`to`)"),
                ),
            ));
        }
    }
    if doc.scoring.late_percent > 100 {
        issues.push(Issue::error(
            IssueCode::InvalidValue,
            "$.scoring.latePercent",
            vec![doc.scoring.late_percent.to_string()],
            Text::new(
                format!("遅延時の得点率{}%は0〜100の範囲外です", doc.scoring.late_percent),
                format!("late percentage {} is outside 0–100", doc.scoring.late_percent),
            ),
        ));
    }
    if !doc.attack_steps.is_empty() && !doc.attack_steps.iter().any(|s| s.goal) {
        issues.push(Issue::warning(
            IssueCode::NoGoal,
            "$.attackSteps",
            vec![],
            Text::new(
                "攻撃者の目標(`goal: true`)となるステップがありません",
                "no attack step is marked as the attacker's goal",
            ),
        ));
    }

    // Step order and cycles: Kahn's algorithm on the resolved indices; only when it cannot order
    // every step is a graph built to find every strongly connected component (not one node).
    let succ = steps.requires.inverse(steps.len());
    let (topo, step_cycles) = match kahn(steps.len(), |i| steps.requires.get(i).len(), |i| succ.get(i)) {
        Some(order) => (order, Vec::new()),
        None => {
            let graph = step_graph(doc, &steps);
            let comps = cycles(&graph, |i| steps.requires.get(i).contains(&i));
            for comp in &comps {
                let walk = cycle_walk(&graph, comp);
                issues.push(cycle_issue(
                    "attackSteps",
                    comp,
                    &walk,
                    |i| doc.attack_steps.get(i).map(|s| s.id.to_string()),
                    STEP,
                ));
            }
            (Vec::new(), comps)
        }
    };
    let mut task_succ = vec![Vec::new(); tasks.len()];
    for (i, t) in tasks.iter().enumerate() {
        for &p in &t.after {
            if let Some(v) = task_succ.get_mut(p) {
                v.push(i);
            }
        }
    }
    let (task_topo, task_cycles) = match kahn(
        tasks.len(),
        |i| tasks.get(i).map_or(0, |t| t.after.len()),
        |i| task_succ.get(i).map_or(&[][..], Vec::as_slice),
    ) {
        Some(order) => (order, Vec::new()),
        None => {
            let mut tgraph: DiGraph<(), ()> = DiGraph::with_capacity(tasks.len(), tasks.len());
            for _ in &tasks {
                tgraph.add_node(());
            }
            for (i, t) in tasks.iter().enumerate() {
                for &p in &t.after {
                    tgraph.add_edge(NodeIndex::new(p), NodeIndex::new(i), ());
                }
            }
            let comps = cycles(&tgraph, |i| tasks.get(i).is_some_and(|t| t.after.contains(&i)));
            for comp in &comps {
                let walk = cycle_walk(&tgraph, comp);
                issues.push(cycle_issue("tasks", comp, &walk, |i| doc.tasks.get(i).map(|t| t.id.to_string()), TASK));
            }
            (Vec::new(), comps)
        }
    };
    drop(task_succ);

    let r = Resolved {
        steps,
        succ,
        tasks,
        producers,
        consumers,
        delivered_at,
        delay: doc.artefacts.iter().map(|a| u64::from(a.delay_minutes)).collect(),
        techniques,
        chain,
    };

    // Undetectable steps: nothing they leave is needed by any task.
    for (i, s) in r.steps.iter().enumerate() {
        if !s.leaves.iter().any(|&a| !r.consumers.get(a).is_empty()) {
            let id = doc.attack_steps.get(i).map(|s| s.id.to_string()).unwrap_or_default();
            issues.push(Issue::warning(
                IssueCode::UndetectableStep,
                format!("$.attackSteps[{i}].leaves"),
                vec![id.clone()],
                Text::new(
                    format!("攻撃ステップ`{id}`の痕跡を必要とするタスクがなく、検知できません"),
                    format!("no task needs anything attack step `{id}` leaves, so it cannot be detected"),
                ),
            ));
        }
    }

    // Unreachable tasks. A cycle is reported once, above: this reachability ignores the edges
    // inside cyclic components (as if every cycle were broken), so the steps and tasks behind a
    // cycle are not reported again as unreachable; what stays unreachable has another cause.
    let acyclic = step_cycles.is_empty() && task_cycles.is_empty();
    let relaxed;
    let rr: &Resolved = if acyclic {
        &r
    } else {
        relaxed = without_cycle_edges(&r, &step_cycles, &task_cycles);
        &relaxed
    };
    let step_ok = reachable_fixpoint(rr, &vec![false; rr.steps.len()]);
    let art_ok: Vec<bool> = (0..n_art)
        .map(|a| {
            r.delivered_at.get(a).is_some_and(Option::is_some)
                || r.producers.get(a).iter().any(|&s| step_ok.get(s).copied().unwrap_or(false))
        })
        .collect();
    let task_ok = tasks_fixpoint(rr, &art_ok);
    for (i, ok) in task_ok.iter().enumerate() {
        if *ok {
            continue;
        }
        let (Some(t), Some(td)) = (rr.tasks.get(i), doc.tasks.get(i)) else { continue };
        let missing_art: Vec<String> = t
            .needs
            .iter()
            .filter(|&&a| !art_ok.get(a).copied().unwrap_or(false))
            .filter_map(|&a| doc.artefacts.get(a).map(|x| x.id.to_string()))
            .collect();
        let missing_task: Vec<String> = t
            .after
            .iter()
            .filter(|&&p| !task_ok.get(p).copied().unwrap_or(false))
            .filter_map(|&p| doc.tasks.get(p).map(|x| x.id.to_string()))
            .collect();
        let list = missing_art.iter().chain(&missing_task).map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ");
        let mut subjects = vec![td.id.to_string()];
        subjects.extend(missing_art.iter().chain(&missing_task).cloned());
        issues.push(Issue::error(
            IssueCode::UnreachableTask,
            format!("$.tasks[{i}]"),
            subjects,
            Text::new(
                format!("タスク`{}`は実行できません(満たされない前提: {list})", td.id),
                format!("task `{}` can never be done (unmet: {list})", td.id),
            ),
        ));
    }

    let times = acyclic.then(|| compute_times(&r, &topo, &task_topo));
    // Best reachable score: on-time points where the window can be met, late points otherwise.
    let late = u64::from(doc.scoring.late_percent.min(100));
    let mut best: u64 = 0;
    for (i, t) in r.tasks.iter().enumerate() {
        if !task_ok.get(i).copied().unwrap_or(false) {
            continue;
        }
        let finish = times.as_ref().and_then(|tm| tm.task_finish.get(i).copied().flatten());
        let on_time = finish.is_none_or(|f| f <= u64::from(t.window.end_minute));
        if on_time {
            best += u64::from(t.points);
        } else {
            best += u64::from(t.points) * late / 100;
            let id = doc.tasks.get(i).map(|t| t.id.to_string()).unwrap_or_default();
            issues.push(Issue::warning(
                IssueCode::WindowUnattainable,
                format!("$.tasks[{i}].window"),
                vec![id.clone()],
                Text::new(
                    format!(
                        "タスク`{id}`は最短でも{}分に完了し、時間枠(〜{}分)に間に合いません",
                        finish.unwrap_or(0),
                        t.window.end_minute
                    ),
                    format!(
                        "task `{id}` can finish at minute {} at the earliest, after its window ends (minute {})",
                        finish.unwrap_or(0),
                        t.window.end_minute
                    ),
                ),
            ));
        }
    }
    if !r.chain.is_empty() && r.chain.iter().all(|&t| task_ok.get(t).copied().unwrap_or(false)) {
        best += u64::from(doc.scoring.chain_points);
    }
    if u64::from(doc.scoring.pass_score) > best {
        issues.push(Issue::error(
            IssueCode::PassScoreUnreachable,
            "$.scoring.passScore",
            vec![doc.scoring.pass_score.to_string(), best.to_string()],
            Text::new(
                format!("合格点{}点に対し、到達可能な最高点は{best}点です", doc.scoring.pass_score),
                format!("pass score {} is above the best reachable score {best}", doc.scoring.pass_score),
            ),
        ));
    }
    let built = times.map(|t| (r, topo, task_topo, t));
    (issues, built)
}

/// The cycle error of one strongly connected component: the cycle `walk` found in it, edge by
/// edge in dependency order and back to its first step (`p` → `q` → `r` → `p`: `q` requires `p`,
/// `r` requires `q`, `p` requires `r`), plus any other members of the component.
fn cycle_issue(
    section: &str,
    comp: &[usize],
    walk: &[usize],
    id: impl Fn(usize) -> Option<String>,
    what: (&str, &str),
) -> Issue {
    let first = walk.first().or(comp.first()).copied().unwrap_or(0);
    let ids: Vec<String> = walk.iter().filter_map(|&i| id(i)).collect();
    let mut list = ids.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(" → ");
    if let Some(f) = ids.first() {
        list.push_str(&format!(" → `{f}`"));
    }
    let others: Vec<String> = comp.iter().filter(|i| !walk.contains(i)).filter_map(|&i| id(i)).collect();
    let (extra_ja, extra_en) = if others.is_empty() {
        (String::new(), String::new())
    } else {
        let o = others.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ");
        (format!("。同じ循環に{o}も含まれます"), format!("; also caught in these cycles: {o}"))
    };
    let mut subjects = ids;
    subjects.extend(others);
    Issue::error(
        IssueCode::Cycle,
        format!("$.{section}[{first}]"),
        subjects,
        Text::new(
            format!("{}が循環しています: {list}(各要素は直前の要素を前提とします){extra_ja}", what.0),
            format!("{}s form a cycle: {list} (each requires the one before){extra_en}", what.1),
        ),
    )
}

/// One cycle through the first member of a strongly connected component `comp` (sorted): the
/// shortest walk along real edges from it back to itself, without the repeated first node. A
/// self-loop gives the node alone.
fn cycle_walk<N, E>(g: &DiGraph<N, E>, comp: &[usize]) -> Vec<usize> {
    let Some(&start) = comp.first() else { return Vec::new() };
    let inside = |i: usize| comp.binary_search(&i).is_ok();
    let mut parent: HashMap<usize, usize> = HashMap::with_capacity(comp.len());
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(v) = queue.pop_front() {
        for w in g.neighbors_directed(NodeIndex::new(v), petgraph::Direction::Outgoing) {
            let w = w.index();
            if w == start {
                let mut walk = vec![v];
                let mut cur = v;
                while cur != start {
                    let Some(&p) = parent.get(&cur) else { break };
                    walk.push(p);
                    cur = p;
                }
                walk.reverse();
                return walk;
            }
            if inside(w) && !parent.contains_key(&w) {
                parent.insert(w, v);
                queue.push_back(w);
            }
        }
    }
    comp.to_vec()
}

/// Strongly connected components that are cycles (size > 1, or a self-loop), each sorted by
/// document index, in order of their first member.
fn cycles<N, E>(g: &DiGraph<N, E>, self_loop: impl Fn(usize) -> bool) -> Vec<Vec<usize>> {
    let mut cyc: Vec<Vec<usize>> = tarjan_scc(g)
        .into_iter()
        .map(|comp| {
            let mut members: Vec<usize> = comp.iter().map(|n| n.index()).collect();
            members.sort_unstable();
            members
        })
        .filter(|members| members.len() > 1 || members.first().is_some_and(|&i| self_loop(i)))
        .collect();
    cyc.sort();
    cyc
}

/// A topological order of `n` nodes by Kahn's algorithm (in document order among the ready
/// ones), or `None` when a cycle leaves some node unordered.
fn kahn<'a>(n: usize, indegree: impl Fn(usize) -> usize, succ: impl Fn(usize) -> &'a [usize]) -> Option<Vec<usize>> {
    let mut missing: Vec<usize> = (0..n).map(&indegree).collect();
    let mut order: Vec<usize> = (0..n).filter(|&i| missing.get(i) == Some(&0)).collect();
    order.reserve(n.saturating_sub(order.len()));
    let mut head = 0;
    while let Some(&v) = order.get(head) {
        head += 1;
        for &w in succ(v) {
            if let Some(m) = missing.get_mut(w) {
                *m = m.saturating_sub(1);
                if *m == 0 {
                    order.push(w);
                }
            }
        }
    }
    (order.len() == n).then_some(order)
}

/// A copy of `r` without the edges inside the cyclic components `step_cycles` and `task_cycles`.
fn without_cycle_edges(r: &Resolved, step_cycles: &[Vec<usize>], task_cycles: &[Vec<usize>]) -> Resolved {
    fn component_of(n: usize, comps: &[Vec<usize>]) -> Vec<usize> {
        let mut of = vec![usize::MAX; n];
        for (k, c) in comps.iter().enumerate() {
            for &i in c {
                if let Some(x) = of.get_mut(i) {
                    *x = k;
                }
            }
        }
        of
    }
    let mut out = r.clone();
    let sc = component_of(out.steps.len(), step_cycles);
    let same = |of: &[usize], a: usize, b: usize| of.get(a).is_some_and(|&x| x != usize::MAX && of.get(b) == Some(&x));
    out.steps.requires = r.steps.requires.filtered(|i, p| !same(&sc, p, i));
    out.succ = out.steps.requires.inverse(out.steps.len());
    let tc = component_of(out.tasks.len(), task_cycles);
    for (i, t) in out.tasks.iter_mut().enumerate() {
        t.after.retain(|&p| !same(&tc, p, i));
    }
    out
}

/// AND/OR reachability of steps when `blocked` steps are prevented; works on cyclic graphs (cycle
/// members are never reached unless an OR join lets them in from outside).
pub(crate) fn reachable_fixpoint(r: &Resolved, blocked: &[bool]) -> Vec<bool> {
    let n = r.steps.len();
    let mut ok = vec![false; n];
    let mut missing: Vec<usize> =
        r.steps.iter().map(|s| if s.join == Join::All { s.requires.len() } else { 1 }).collect();
    let mut queue: Vec<usize> = (0..n).filter(|&i| r.steps.requires.get(i).is_empty()).collect();
    while let Some(i) = queue.pop() {
        let (Some(flag), false) = (ok.get_mut(i), blocked.get(i).copied().unwrap_or(false)) else { continue };
        if *flag {
            continue;
        }
        *flag = true;
        for &s in r.succ.get(i) {
            if let Some(m) = missing.get_mut(s)
                && *m > 0
            {
                *m -= 1;
                if *m == 0 {
                    queue.push(s);
                }
            }
        }
    }
    ok
}

/// Which tasks can ever be done, given which artefacts ever become available.
pub(crate) fn tasks_fixpoint(r: &Resolved, art_ok: &[bool]) -> Vec<bool> {
    let n = r.tasks.len();
    let mut ok = vec![false; n];
    let mut succ = vec![Vec::new(); n];
    let mut missing = vec![0usize; n];
    let mut queue = Vec::new();
    for (i, t) in r.tasks.iter().enumerate() {
        let arts_ready = t.needs.iter().all(|&a| art_ok.get(a).copied().unwrap_or(false));
        for &p in &t.after {
            if let Some(v) = succ.get_mut(p) {
                v.push(i);
            }
        }
        if let Some(m) = missing.get_mut(i) {
            *m = t.after.len();
        }
        if !arts_ready {
            if let Some(m) = missing.get_mut(i) {
                *m = usize::MAX;
            }
        } else if t.after.is_empty() {
            queue.push(i);
        }
    }
    while let Some(i) = queue.pop() {
        let Some(flag) = ok.get_mut(i) else { continue };
        if *flag {
            continue;
        }
        *flag = true;
        for &s in succ.get(i).map_or(&[][..], Vec::as_slice) {
            if let Some(m) = missing.get_mut(s)
                && *m != usize::MAX
                && *m > 0
            {
                *m -= 1;
                if *m == 0 {
                    queue.push(s);
                }
            }
        }
    }
    ok
}

/// Earliest start and finish of every step (AND = latest predecessor, OR = earliest), artefact
/// availability, and earliest start/finish of every task. `task_topo` is a topological order of tasks.
pub(crate) fn compute_times(r: &Resolved, topo: &[usize], task_topo: &[usize]) -> Times {
    let n = r.steps.len();
    let mut start = vec![0u64; n];
    let mut finish = vec![0u64; n];
    for &i in topo {
        let Some(s) = r.steps.get(i) else { continue };
        let preds = s.requires.iter().filter_map(|&p| finish.get(p).copied());
        let ready = match s.join {
            Join::All => preds.max(),
            Join::Any => preds.min(),
        }
        .unwrap_or(0);
        let st = ready.max(s.not_before);
        if let (Some(a), Some(b)) = (start.get_mut(i), finish.get_mut(i)) {
            *a = st;
            *b = st.saturating_add(s.duration);
        }
    }
    let artefact: Vec<Option<u64>> = (0..r.producers.len())
        .map(|a| {
            let delay = r.delay.get(a).copied().unwrap_or(0);
            let produced = r
                .producers
                .get(a)
                .iter()
                .filter_map(|&s| finish.get(s).copied())
                .min()
                .map(|f| f.saturating_add(delay));
            let delivered = r.delivered_at.get(a).copied().flatten();
            match (produced, delivered) {
                (Some(x), Some(y)) => Some(x.min(y)),
                (x, y) => x.or(y),
            }
        })
        .collect();
    let m = r.tasks.len();
    let mut task_start: Vec<Option<u64>> = vec![None; m];
    let mut task_finish: Vec<Option<u64>> = vec![None; m];
    for &i in task_topo {
        let Some(t) = r.tasks.get(i) else { continue };
        let mut ready = Some(0u64);
        for &a in &t.needs {
            ready = match (ready, artefact.get(a).copied().flatten()) {
                (Some(x), Some(y)) => Some(x.max(y)),
                _ => None,
            };
        }
        for &p in &t.after {
            ready = match (ready, task_finish.get(p).copied().flatten()) {
                (Some(x), Some(y)) => Some(x.max(y)),
                _ => None,
            };
        }
        if let (Some(a), Some(b)) = (task_start.get_mut(i), task_finish.get_mut(i)) {
            *a = ready;
            *b = ready.map(|x| x.saturating_add(t.duration));
        }
    }
    Times { step_start: start, step_finish: finish, task_start, task_finish }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_push_get_inverse_and_filter() {
        let mut l = Lists::with_capacity(3, 4);
        l.push([1, 2]);
        l.push([]);
        l.push([0, 1]);
        assert_eq!((l.len(), l.total()), (3, 4));
        assert_eq!((l.get(0), l.get(1), l.get(2), l.get(3)), (&[1, 2][..], &[][..], &[0, 1][..], &[][..]));
        let inv = l.inverse(3);
        assert_eq!((inv.get(0), inv.get(1), inv.get(2)), (&[2][..], &[0, 2][..], &[0][..]));
        let f = l.filtered(|i, j| i != 2 || j != 0);
        assert_eq!((f.get(0), f.get(2)), (&[1, 2][..], &[1][..]));
        assert_eq!(Lists::default().get(0), &[] as &[usize]);
    }
}
