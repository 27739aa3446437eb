//! Analyses of a validated scenario: layers, schedule and critical path, AND/OR goal
//! reachability, earliest detection, choke points, the minimum blocking set of defender tasks,
//! coverage and bounded enumeration of attack paths as derivations (AND/OR-respecting).

use std::collections::BTreeSet;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::doc::{IrPhase, Join};
use crate::flow::{FlowNetwork, INF};
use crate::id::{ArtefactId, InjectId, ObjectiveId, StepId, Tactic, TaskId};
use crate::scenario::{Scenario, reachable_fixpoint};

/// Timing of one attack step, in minutes from the start of the exercise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StepTiming {
    /// The step.
    pub step: StepId,
    /// Topological layer (0 for steps without preconditions).
    pub layer: usize,
    /// Earliest start.
    pub earliest_start: u64,
    /// Earliest finish.
    pub earliest_finish: u64,
    /// Latest start that does not delay the end of the attack.
    pub latest_start: u64,
    /// Latest finish that does not delay the end of the attack.
    pub latest_finish: u64,
    /// Minutes the step can slip (`latestStart - earliestStart`).
    pub slack: u64,
}

/// Timing of one defender task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TaskTiming {
    /// The task.
    pub task: TaskId,
    /// Earliest minute it can start (everything it needs is there).
    pub earliest_start: u64,
    /// Earliest minute it can be done.
    pub earliest_finish: u64,
    /// End of its window.
    pub window_end: u32,
    /// Whether it can be done inside its window.
    pub on_time_possible: bool,
}

/// The attack schedule: critical path method over the step graph.
///
/// Earliest times follow the preconditions: an AND step starts when its last required step ends,
/// an OR step when its first one ends (and not before `notBeforeMinute`). Latest times and slack
/// are computed backwards over the *effective* precedence graph: every edge into an AND step, and
/// for an OR step only the edge from the predecessor that enables it (the earliest to finish;
/// ties go to the first in document order). With AND steps only this is the classic critical path
/// method.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Schedule {
    /// Minute the last attack step ends.
    pub makespan: u64,
    /// The chain of steps that sets the makespan, first to last.
    pub critical_path: Vec<StepId>,
    /// Every step, in document order.
    pub steps: Vec<StepTiming>,
    /// Every task, in document order.
    pub tasks: Vec<TaskTiming>,
}

/// Whether one attacker goal can be reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GoalStatus {
    /// The goal step.
    pub goal: StepId,
    /// Reachable when the team does nothing.
    pub reachable: bool,
    /// Earliest minute it is reached when the team does nothing.
    pub earliest_finish: u64,
    /// Still reachable when every defender task applies its blocks.
    pub reachable_under_full_defence: bool,
}

/// The earliest moment a defender task can notice a step through something it left.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Detection {
    /// The step.
    pub step: StepId,
    /// When the step starts.
    pub step_start: u64,
    /// Earliest minute a task can look at one of its artefacts (`None`: undetectable).
    pub detected_at: Option<u64>,
    /// The task that can do so.
    pub task: Option<TaskId>,
    /// Through which artefact.
    pub artefact: Option<ArtefactId>,
    /// Minutes from the start of the step to detection.
    pub latency: Option<u64>,
}

/// Steps every attack path to a goal goes through (dominators from the attacker's entry).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ChokePoints {
    /// Per goal: the steps that dominate it, entry first (the goal itself excluded).
    pub per_goal: Vec<GoalChokePoints>,
    /// Steps that dominate every reachable goal, with the tasks that block each.
    pub common: Vec<ChokePoint>,
}

/// The choke points of one goal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GoalChokePoints {
    /// The goal.
    pub goal: StepId,
    /// Its strict dominators, entry first.
    pub steps: Vec<StepId>,
}

/// A step on every path to every goal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ChokePoint {
    /// The step.
    pub step: StepId,
    /// Tasks that block it (each one alone stops every goal).
    pub blocked_by: Vec<TaskId>,
}

/// Steps a goal cannot be reached without under the AND/OR preconditions: every way the attacker
/// can satisfy the goal's preconditions (every *derivation*, not every chain of edges) goes
/// through them. For an AND step all its required steps count, for an OR step only what all its
/// reachable alternatives share. With OR joins only these are exactly the choke points
/// (dominators); an AND join adds the steps of every branch it needs, which dominators miss.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RequiredSteps {
    /// Per goal the attacker can reach: its required steps (the goal itself excluded), by layer.
    pub per_goal: Vec<GoalRequiredSteps>,
    /// Steps required by every reachable goal, with the tasks that block each (each such task
    /// alone keeps the attacker from every goal).
    pub common: Vec<ChokePoint>,
    /// Whether the computation stopped at [`AnalysisOptions::required_steps_budget`]; `per_goal`
    /// and `common` are then empty (the choke points still hold: they are required too).
    pub truncated: bool,
}

/// The required steps of one goal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GoalRequiredSteps {
    /// The goal.
    pub goal: StepId,
    /// The steps it cannot be reached without, by layer.
    pub steps: Vec<StepId>,
}

/// How a blocking set was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum BlockingMethod {
    /// Exhaustive search over task subsets by size: a true minimum under AND/OR semantics.
    Exact,
    /// Minimum vertex cut (node-split max flow) of the AND/OR step graph in which each AND step
    /// keeps the edge from its required step that is cheapest to cut (any one of them stops it),
    /// mapped to tasks and pruned until no task can be dropped. Always sufficient, and found
    /// without trying tasks one by one; a minimum when each task blocks one step and every join is
    /// OR, or every AND step has one cheapest required step to cut; otherwise an upper bound.
    MinCut,
}

/// The smallest set of defender tasks that keeps the attacker from every goal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BlockingSet {
    /// Whether the goals can be prevented at all by the tasks' blocks.
    pub preventable: bool,
    /// The tasks, in document order.
    pub tasks: Vec<TaskId>,
    /// The steps those tasks block that lie on the cut.
    pub cut_steps: Vec<StepId>,
    /// Whether the set still keeps the attacker from every goal when each task only blocks the
    /// steps it can be done before (earliest finish of the task <= earliest start of the step, in
    /// the undefended schedule).
    pub in_time: bool,
    /// How the set was found.
    pub method: BlockingMethod,
    /// Value of the maximum flow (number of blockable steps in a minimum vertex cut), when the
    /// min-cut method ran.
    pub max_flow: Option<u64>,
}

/// How often a tactic is used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TacticCoverage {
    /// The tactic.
    pub tactic: Tactic,
    /// Steps using it.
    pub steps: usize,
}

/// How many tasks fall in an incident-response phase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PhaseCoverage {
    /// The phase.
    pub phase: IrPhase,
    /// Tasks in it.
    pub tasks: usize,
}

/// What exercises a learning objective.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ObjectiveCoverage {
    /// The objective.
    pub objective: ObjectiveId,
    /// Tasks that exercise it.
    pub tasks: Vec<TaskId>,
    /// Injects that support it.
    pub injects: Vec<InjectId>,
}

/// Coverage of ATT&CK tactics, response phases and learning objectives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Coverage {
    /// All 14 tactics, in kill-chain order.
    pub tactics: Vec<TacticCoverage>,
    /// All four phases.
    pub phases: Vec<PhaseCoverage>,
    /// Every objective.
    pub objectives: Vec<ObjectiveCoverage>,
    /// Objectives no task exercises.
    pub uncovered_objectives: Vec<ObjectiveId>,
}

/// What the lists in [`AttackPaths::paths`] are.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum PathKind {
    /// Chains of dependency edges from an entry step to a goal, as documents written before
    /// derivations were added list them (no `kind` field). A chain through an AND step leaves out
    /// that step's other required steps.
    #[default]
    Chains,
    /// Derivations: each list is a set of steps that together reach the goal under the AND/OR
    /// preconditions (see [`AttackPaths`]).
    Derivations,
}

impl PathKind {
    const fn is_chains(&self) -> bool {
        matches!(self, Self::Chains)
    }
}

/// Ways the attacker reaches a goal: its **derivations**. A derivation is a smallest set of steps
/// that together reach the goal: every AND step in it has all its required steps in it, every OR
/// step at least one, and no step can be left out. Each is listed in topological order (by layer,
/// then document order), goal last; goals in document order. Unlike a chain of edges, a derivation
/// never leaves out a step an AND join needs, so each one agrees with the required steps
/// ([`RequiredSteps`]): the steps a goal cannot be reached without are exactly those in all of its
/// derivations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AttackPaths {
    /// The derivations (chains, in documents without `kind`).
    pub paths: Vec<Vec<StepId>>,
    /// Whether the limits cut the enumeration short.
    pub truncated: bool,
    /// What `paths` holds: `derivations` (absent: chains, in documents written before).
    #[serde(default, skip_serializing_if = "PathKind::is_chains")]
    pub kind: PathKind,
}

impl AttackPaths {
    const fn empty() -> Self {
        Self { paths: Vec::new(), truncated: false, kind: PathKind::Derivations }
    }
}

/// Limits for the analyses that can explode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnalysisOptions {
    /// Most attack paths to list.
    pub max_paths: usize,
    /// Most steps in a listed derivation.
    pub max_path_len: usize,
    /// Whether to enumerate attack paths (derivations) at all.
    pub enumerate_paths: bool,
    /// Largest number of candidate tasks for the exact blocking search (otherwise min cut).
    pub exact_blocking_limit: usize,
    /// Most set elements merged while computing the required steps ([`Scenario::required_steps`]),
    /// whose sets grow with the AND branches: 50,000,000 by default, far above what any
    /// hand-written scenario needs (a few hundred) and about a second of work.
    pub required_steps_budget: usize,
}

impl Default for AnalysisOptions {
    fn default() -> Self {
        Self {
            max_paths: 50,
            max_path_len: 64,
            enumerate_paths: true,
            exact_blocking_limit: 12,
            required_steps_budget: 50_000_000,
        }
    }
}

/// The state of a derivation enumeration.
struct Walk {
    out: AttackPaths,
    max_paths: usize,
    max_len: usize,
    max_visits: usize,
    visits: usize,
    /// Whether the search stopped (work budget spent or `max_paths` found).
    stopped: bool,
    /// Membership of the derivation being built, and the order steps joined it.
    in_set: Vec<bool>,
    members: Vec<usize>,
    /// Derivations found for the current goal (sorted sets).
    seen: std::collections::HashSet<Vec<usize>>,
}

impl Walk {
    fn new(n: usize, max_paths: usize, max_len: usize, max_visits: usize) -> Self {
        Self {
            out: AttackPaths::empty(),
            max_paths,
            max_len,
            max_visits,
            visits: 0,
            stopped: false,
            in_set: vec![false; n],
            members: Vec::new(),
            seen: std::collections::HashSet::new(),
        }
    }

    /// Counts `units` of work; false (and `truncated`) once the budget is spent.
    fn spend(&mut self, units: usize) -> bool {
        if self.stopped {
            return false;
        }
        let next = self.visits.saturating_add(units);
        if next > self.max_visits {
            // One more than the budget, so a caller can tell the budget was exceeded.
            self.visits = self.max_visits.saturating_add(1);
            self.out.truncated = true;
            self.stopped = true;
            return false;
        }
        self.visits = next;
        true
    }

    fn add(&mut self, i: usize) {
        if let Some(x) = self.in_set.get_mut(i) {
            *x = true;
        }
        self.members.push(i);
    }

    fn undo_to(&mut self, mark: usize) {
        while self.members.len() > mark {
            if let Some(i) = self.members.pop()
                && let Some(x) = self.in_set.get_mut(i)
            {
                *x = false;
            }
        }
    }
}

/// Every analysis of a scenario.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Analysis {
    /// Format version of this report (1; absent in version 0, which is the same format).
    #[serde(
        rename = "format_version",
        default = "ismap_model::DocumentVersion::<1>::unversioned",
        skip_serializing_if = "ismap_model::DocumentVersion::<1>::is_unversioned"
    )]
    pub format_version: ismap_model::DocumentVersion<1>,
    /// Steps by topological layer.
    pub layers: Vec<Vec<StepId>>,
    /// Schedule, critical path, makespan, slack.
    pub schedule: Schedule,
    /// Goal reachability.
    pub goals: Vec<GoalStatus>,
    /// Earliest detection per step.
    pub detection: Vec<Detection>,
    /// Choke points.
    pub choke_points: ChokePoints,
    /// Steps each goal needs under the AND/OR preconditions (absent in documents written before it
    /// was added).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required_steps: Option<RequiredSteps>,
    /// Minimum blocking set.
    pub blocking_set: BlockingSet,
    /// Coverage.
    pub coverage: Coverage,
    /// Attack paths: the goals' derivations (empty when not enumerated).
    pub attack_paths: AttackPaths,
}

impl Scenario {
    fn sid(&self, i: usize) -> StepId {
        self.step_id(i).cloned().unwrap_or_else(|| StepId::unchecked(format!("step-{i}")))
    }

    fn tid(&self, i: usize) -> Option<TaskId> {
        self.task_id(i).cloned()
    }

    fn goals(&self) -> Vec<usize> {
        self.r.steps.iter().enumerate().filter(|(_, s)| s.goal).map(|(i, _)| i).collect()
    }

    /// Topological layer of every step (0 for steps without preconditions, else one more than the
    /// deepest required step).
    ///
    /// # Complexity
    /// O(V + E).
    #[must_use]
    pub fn layer_of(&self) -> Vec<usize> {
        self.layers_cached().to_vec()
    }

    /// [`Scenario::layer_of`], computed once.
    pub(crate) fn layers_cached(&self) -> &[usize] {
        self.layer.get_or_init(|| self.compute_layers())
    }

    /// Steps the attacker reaches when the team does nothing, computed once.
    pub(crate) fn reach_free(&self) -> &[bool] {
        self.reach_free.get_or_init(|| reachable_fixpoint(&self.r, &vec![false; self.r.steps.len()]))
    }

    fn compute_layers(&self) -> Vec<usize> {
        let mut layer = vec![0usize; self.r.steps.len()];
        for &i in &self.topo {
            let l = self
                .r
                .steps
                .get(i)
                .map_or(0, |s| s.requires.iter().filter_map(|&p| layer.get(p)).max().map_or(0, |m| m + 1));
            if let Some(x) = layer.get_mut(i) {
                *x = l;
            }
        }
        layer
    }

    /// Steps grouped by topological layer; steps in one layer can run in parallel.
    ///
    /// # Complexity
    /// O(V + E).
    #[must_use]
    pub fn layers(&self) -> Vec<Vec<StepId>> {
        let layer = self.layers_cached();
        let depth = layer.iter().max().map_or(0, |m| m + 1);
        let mut out = vec![Vec::new(); depth];
        for (i, &l) in layer.iter().enumerate() {
            if let Some(v) = out.get_mut(l) {
                v.push(self.sid(i));
            }
        }
        out
    }

    /// The predecessors that set a step's start: every required step of an AND step, the one that
    /// enables an OR step (earliest to finish, ties to the first in document order).
    fn effective_preds(&self, i: usize) -> &[usize] {
        let Some(s) = self.r.steps.get(i) else { return &[] };
        match s.join {
            Join::All => s.requires,
            Join::Any => {
                let f = &self.times.step_finish;
                let best =
                    s.requires.iter().enumerate().min_by_key(|&(_, &p)| (f.get(p).copied().unwrap_or(u64::MAX), p));
                best.map_or(&[], |(k, _)| s.requires.get(k..=k).unwrap_or(&[]))
            }
        }
    }

    /// Earliest and latest times, slack, makespan and the critical path.
    ///
    /// # Complexity
    /// O(V + E).
    #[must_use]
    pub fn schedule(&self) -> Schedule {
        let n = self.r.steps.len();
        let es = &self.times.step_start;
        let ef = &self.times.step_finish;
        let makespan = ef.iter().copied().max().unwrap_or(0);
        let mut lf = vec![makespan; n];
        let mut ls = vec![makespan; n];
        for &i in self.topo.iter().rev() {
            let dur = self.r.steps.get(i).map_or(0, |s| s.duration);
            let finish = lf.get(i).copied().unwrap_or(makespan);
            let start = finish.saturating_sub(dur);
            if let Some(x) = ls.get_mut(i) {
                *x = start;
            }
            for &p in self.effective_preds(i) {
                if let Some(x) = lf.get_mut(p) {
                    *x = (*x).min(start);
                }
            }
        }
        let layer = self.layers_cached();
        let steps = (0..n)
            .map(|i| {
                let e = es.get(i).copied().unwrap_or(0);
                let l = ls.get(i).copied().unwrap_or(0);
                StepTiming {
                    step: self.sid(i),
                    layer: layer.get(i).copied().unwrap_or(0),
                    earliest_start: e,
                    earliest_finish: ef.get(i).copied().unwrap_or(0),
                    latest_start: l,
                    latest_finish: lf.get(i).copied().unwrap_or(0),
                    slack: l.saturating_sub(e),
                }
            })
            .collect();
        // Critical path: from the step ending last, back through the predecessors that set each start.
        let mut path = Vec::new();
        let mut cur = (0..n).max_by_key(|&i| (ef.get(i).copied().unwrap_or(0), std::cmp::Reverse(i)));
        while let Some(i) = cur {
            path.push(self.sid(i));
            let start = es.get(i).copied().unwrap_or(0);
            cur = self.effective_preds(i).iter().copied().filter(|&p| ef.get(p).copied() == Some(start)).min();
        }
        path.reverse();
        let tasks = self
            .document()
            .tasks
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let s = self.times.task_start.get(i).copied().flatten().unwrap_or(0);
                let f = self.times.task_finish.get(i).copied().flatten().unwrap_or(0);
                TaskTiming {
                    task: t.id.clone(),
                    earliest_start: s,
                    earliest_finish: f,
                    window_end: t.window.end_minute,
                    on_time_possible: f <= u64::from(t.window.end_minute),
                }
            })
            .collect();
        Schedule { makespan, critical_path: path, steps, tasks }
    }

    /// Which steps the attacker can reach when `tasks` (document indices) apply their blocks, under
    /// AND/OR preconditions.
    ///
    /// # Complexity
    /// O(V + E + total blocks).
    #[must_use]
    pub fn reachable_with(&self, tasks: &[usize]) -> Vec<bool> {
        let mut blocked = vec![false; self.r.steps.len()];
        for &t in tasks {
            for &s in self.r.tasks.get(t).map_or(&[][..], |t| t.blocks.as_slice()) {
                if let Some(b) = blocked.get_mut(s) {
                    *b = true;
                }
            }
        }
        reachable_fixpoint(&self.r, &blocked)
    }

    fn prevents_all_goals(&self, tasks: &[usize], goals: &[usize]) -> bool {
        let ok = self.reachable_with(tasks);
        !goals.iter().any(|&g| ok.get(g).copied().unwrap_or(false))
    }

    /// Like [`Self::prevents_all_goals`], but each task blocks only the steps it can be done before.
    fn prevents_in_time(&self, tasks: &[usize], goals: &[usize]) -> bool {
        let mut blocked = vec![false; self.r.steps.len()];
        for &t in tasks {
            let finish = self.times.task_finish.get(t).copied().flatten();
            for &s in self.r.tasks.get(t).map_or(&[][..], |t| t.blocks.as_slice()) {
                let start = self.times.step_start.get(s).copied().unwrap_or(0);
                if finish.is_some_and(|f| f <= start)
                    && let Some(b) = blocked.get_mut(s)
                {
                    *b = true;
                }
            }
        }
        let ok = reachable_fixpoint(&self.r, &blocked);
        !goals.iter().any(|&g| ok.get(g).copied().unwrap_or(false))
    }

    /// Reachability of every goal, undefended and under every task's blocks.
    #[must_use]
    pub fn goal_reachability(&self) -> Vec<GoalStatus> {
        let free = self.reach_free();
        let all: Vec<usize> = (0..self.r.tasks.len()).collect();
        let defended = self.reachable_with(&all);
        self.goals()
            .into_iter()
            .map(|g| GoalStatus {
                goal: self.sid(g),
                reachable: free.get(g).copied().unwrap_or(false),
                earliest_finish: self.times.step_finish.get(g).copied().unwrap_or(0),
                reachable_under_full_defence: defended.get(g).copied().unwrap_or(false),
            })
            .collect()
    }

    /// For every step, the earliest minute a task can look at something it left.
    ///
    /// # Complexity
    /// O(Σ artefacts left × tasks needing each).
    #[must_use]
    pub fn earliest_detection(&self) -> Vec<Detection> {
        let doc = self.document();
        (0..self.r.steps.len())
            .map(|i| {
                let start = self.times.step_start.get(i).copied().unwrap_or(0);
                let finish = self.times.step_finish.get(i).copied().unwrap_or(0);
                let mut best: Option<(u64, usize, usize)> = None;
                for &a in self.r.steps.leaves.get(i) {
                    let seen = finish.saturating_add(self.r.delay.get(a).copied().unwrap_or(0));
                    for &t in self.r.consumers.get(a) {
                        let Some(ts) = self.times.task_start.get(t).copied().flatten() else { continue };
                        let at = seen.max(ts);
                        if best.is_none_or(|b| (at, t, a) < b) {
                            best = Some((at, t, a));
                        }
                    }
                }
                Detection {
                    step: self.sid(i),
                    step_start: start,
                    detected_at: best.map(|b| b.0),
                    task: best.and_then(|b| self.tid(b.1)),
                    artefact: best.and_then(|b| doc.artefacts.get(b.2).map(|a| a.id.clone())),
                    latency: best.map(|b| b.0.saturating_sub(start)),
                }
            })
            .collect()
    }

    /// The immediate dominator of every step from a virtual entry `n` joined to every step without
    /// preconditions. The step graph is acyclic, so one pass in topological order settles every
    /// step (Cooper–Harvey–Kennedy's intersection, by dominator-tree depth, over its required
    /// steps); `n` for the entry steps.
    pub(crate) fn immediate_dominators(&self) -> Vec<usize> {
        let n = self.r.steps.len();
        let mut idom = vec![n; n + 1];
        let mut depth = vec![0usize; n + 1];
        let up = |v: usize, idom: &[usize]| idom.get(v).copied().unwrap_or(n);
        let dep = |v: usize, depth: &[usize]| depth.get(v).copied().unwrap_or(0);
        for &i in &self.topo {
            let reqs = self.r.steps.requires.get(i);
            let mut it = reqs.iter().copied();
            let mut d = it.next().unwrap_or(n);
            for p in it {
                let mut a = d;
                let mut b = p;
                while a != b {
                    if dep(a, &depth) >= dep(b, &depth) {
                        a = up(a, &idom);
                    } else {
                        b = up(b, &idom);
                    }
                    if a == n || b == n {
                        a = n;
                        break;
                    }
                }
                d = a;
            }
            if let Some(x) = idom.get_mut(i) {
                *x = d;
            }
            let dd = if d == n { 1 } else { dep(d, &depth) + 1 };
            if let Some(x) = depth.get_mut(i) {
                *x = dd;
            }
        }
        idom
    }

    /// Choke points: the dominators of each goal from a virtual entry joined to every step without
    /// preconditions. A dominator lies on every chain of dependencies to the goal, so it is needed
    /// under any mix of AND/OR joins.
    ///
    /// # Complexity
    /// O(V + E · d) for dominator-tree depth d climbed per intersection (one pass: the graph is
    /// acyclic).
    #[must_use]
    pub fn choke_points(&self) -> ChokePoints {
        let n = self.r.steps.len();
        let idom = self.immediate_dominators();
        let strict = |g: usize| {
            let mut out = Vec::new();
            let mut v = idom.get(g).copied().unwrap_or(n);
            while v != n {
                out.push(v);
                v = idom.get(v).copied().unwrap_or(n);
            }
            out
        };
        let reach = self.reach_free();
        let mut per_goal = Vec::new();
        let mut common: Option<BTreeSet<usize>> = None;
        for goal in self.goals() {
            let mut steps: Vec<usize> = strict(goal);
            steps.reverse();
            if reach.get(goal).copied().unwrap_or(false) {
                let set: BTreeSet<usize> = steps.iter().copied().collect();
                common = Some(match common {
                    None => set,
                    Some(c) => c.intersection(&set).copied().collect(),
                });
            }
            per_goal
                .push(GoalChokePoints { goal: self.sid(goal), steps: steps.iter().map(|&i| self.sid(i)).collect() });
        }
        let layer = self.layers_cached();
        let mut common: Vec<usize> = common.unwrap_or_default().into_iter().collect();
        common.sort_by_key(|&i| (layer.get(i).copied().unwrap_or(0), i));
        let common =
            common.into_iter().map(|s| ChokePoint { step: self.sid(s), blocked_by: self.tasks_blocking(s) }).collect();
        ChokePoints { per_goal, common }
    }

    /// The steps each reachable goal cannot be reached without, under AND/OR preconditions (see
    /// [`RequiredSteps`]): in topological order, a step's set is itself plus the union of its
    /// required steps' sets (AND) or the intersection of its reachable alternatives' sets (OR).
    /// Sets are freed once their last successor is done. Stops, `truncated`, once `budget` set
    /// elements have been merged.
    ///
    /// # Complexity
    /// O(V + E + the sizes of the sets merged), at most O(V + E + `budget`).
    #[must_use]
    pub fn required_steps(&self, budget: usize) -> RequiredSteps {
        let n = self.r.steps.len();
        let reach = self.reach_free();
        let is_reached = |i: usize| reach.get(i).copied().unwrap_or(false);
        let goals: Vec<usize> = self.goals().into_iter().filter(|&g| is_reached(g)).collect();
        let mut is_goal = vec![false; n];
        for &g in &goals {
            if let Some(x) = is_goal.get_mut(g) {
                *x = true;
            }
        }
        // How many reached steps still need each step's set.
        let mut uses = vec![0usize; n];
        for (i, s) in self.r.steps.iter().enumerate() {
            if is_reached(i) {
                for &p in s.requires {
                    if let Some(u) = uses.get_mut(p) {
                        *u += 1;
                    }
                }
            }
        }
        let mut sets: Vec<Option<Vec<usize>>> = vec![None; n];
        let mut work = 0usize;
        let truncated = RequiredSteps { per_goal: Vec::new(), common: Vec::new(), truncated: true };
        for &i in &self.topo {
            let Some(step) = self.r.steps.get(i).filter(|_| is_reached(i)) else { continue };
            let inputs: Vec<&Vec<usize>> =
                step.requires.iter().filter_map(|&p| sets.get(p).and_then(Option::as_ref)).collect();
            work = work.saturating_add(inputs.iter().map(|s| s.len()).sum::<usize>()).saturating_add(1);
            if work > budget {
                return truncated;
            }
            let mut set = match (step.join, inputs.split_first()) {
                (_, None) => Vec::new(),
                (Join::All, Some((first, rest))) => rest.iter().fold((*first).clone(), |acc, s| union(&acc, s)),
                (Join::Any, Some((first, rest))) => rest.iter().fold((*first).clone(), |acc, s| intersection(&acc, s)),
            };
            if let Err(at) = set.binary_search(&i) {
                set.insert(at, i);
            }
            if let Some(slot) = sets.get_mut(i) {
                *slot = Some(set);
            }
            for &p in step.requires {
                if let Some(u) = uses.get_mut(p) {
                    *u = u.saturating_sub(1);
                    if *u == 0
                        && !is_goal.get(p).copied().unwrap_or(false)
                        && let Some(slot) = sets.get_mut(p)
                    {
                        *slot = None;
                    }
                }
            }
        }
        let layer = self.layers_cached();
        let by_layer = |mut v: Vec<usize>| {
            v.sort_by_key(|&i| (layer.get(i).copied().unwrap_or(0), i));
            v
        };
        let mut common: Option<Vec<usize>> = None;
        let mut per_goal = Vec::new();
        for &g in &goals {
            let steps: Vec<usize> = sets
                .get(g)
                .and_then(Option::as_ref)
                .map(|s| s.iter().copied().filter(|&x| x != g).collect())
                .unwrap_or_default();
            common = Some(match common {
                None => steps.clone(),
                Some(c) => intersection(&c, &steps),
            });
            per_goal.push(GoalRequiredSteps {
                goal: self.sid(g),
                steps: by_layer(steps).into_iter().map(|i| self.sid(i)).collect(),
            });
        }
        let common = by_layer(common.unwrap_or_default())
            .into_iter()
            .map(|s| ChokePoint { step: self.sid(s), blocked_by: self.tasks_blocking(s) })
            .collect();
        RequiredSteps { per_goal, common, truncated: false }
    }

    /// The tasks that block step `s`, in document order.
    fn tasks_blocking(&self, s: usize) -> Vec<TaskId> {
        self.r
            .tasks
            .iter()
            .enumerate()
            .filter(|(_, t)| t.blocks.contains(&s))
            .filter_map(|(i, _)| self.tid(i))
            .collect()
    }

    /// The smallest set of defender tasks whose blocks keep the attacker from every goal.
    ///
    /// With at most `options.exact_blocking_limit` tasks that block anything, every subset is tried
    /// by increasing size (a true minimum). Otherwise a minimum vertex cut between the entry steps
    /// and the goals is computed by max flow, each cut step is covered by the task blocking the
    /// most cut steps, and tasks are dropped while the goals stay unreachable.
    ///
    /// # Complexity
    /// Exact: O(2^k · (V + E)) for k candidate tasks. Min cut: O(V + E) to build the network, then
    /// Dinic, O(E · √V) on unit capacities.
    #[must_use]
    pub fn blocking_set(&self, options: &AnalysisOptions) -> BlockingSet {
        let goals = self.goals();
        let candidates: Vec<usize> =
            self.r.tasks.iter().enumerate().filter(|(_, t)| !t.blocks.is_empty()).map(|(i, _)| i).collect();
        let (method, found, flow) = if candidates.len() <= options.exact_blocking_limit {
            (BlockingMethod::Exact, self.exact_blocking(&candidates, &goals), None)
        } else {
            let (set, flow) = self.min_cut_blocking(&goals);
            (BlockingMethod::MinCut, set, Some(flow))
        };
        self.describe_blocking(method, found, flow)
    }

    /// The min-cut method regardless of size (see [`Scenario::blocking_set`]).
    #[must_use]
    pub fn min_cut_blocking_set(&self) -> BlockingSet {
        let (set, flow) = self.min_cut_blocking(&self.goals());
        self.describe_blocking(BlockingMethod::MinCut, set, Some(flow))
    }

    fn describe_blocking(
        &self,
        method: BlockingMethod,
        found: Option<Vec<usize>>,
        max_flow: Option<u64>,
    ) -> BlockingSet {
        let Some(mut tasks) = found else {
            return BlockingSet {
                preventable: false,
                tasks: Vec::new(),
                cut_steps: Vec::new(),
                in_time: false,
                method,
                max_flow,
            };
        };
        tasks.sort_unstable();
        let free = self.reach_free();
        let defended = self.reachable_with(&tasks);
        // Cut steps: blocked steps the attacker could otherwise reach whose requirements are still met.
        let mut cut: BTreeSet<usize> = BTreeSet::new();
        let in_time = self.prevents_in_time(&tasks, &self.goals());
        for &t in &tasks {
            let blocks = self.r.tasks.get(t).map_or(&[][..], |t| t.blocks.as_slice());
            for &s in blocks {
                if free.get(s).copied().unwrap_or(false) && !defended.get(s).copied().unwrap_or(true) {
                    let preds_ok = self.r.steps.get(s).is_some_and(|st| {
                        st.requires.is_empty()
                            || match st.join {
                                Join::All => st.requires.iter().all(|&p| defended.get(p).copied().unwrap_or(false)),
                                Join::Any => st.requires.iter().any(|&p| defended.get(p).copied().unwrap_or(false)),
                            }
                    });
                    if preds_ok {
                        cut.insert(s);
                    }
                }
            }
        }
        BlockingSet {
            preventable: true,
            tasks: tasks.iter().filter_map(|&t| self.tid(t)).collect(),
            cut_steps: cut.into_iter().map(|s| self.sid(s)).collect(),
            in_time,
            method,
            max_flow,
        }
    }

    fn exact_blocking(&self, candidates: &[usize], goals: &[usize]) -> Option<Vec<usize>> {
        let k = candidates.len();
        for size in 0..=k {
            let mut idx: Vec<usize> = (0..size).collect();
            let mut first: Option<Vec<usize>> = None;
            loop {
                let set: Vec<usize> = idx.iter().filter_map(|&i| candidates.get(i).copied()).collect();
                if self.prevents_all_goals(&set, goals) {
                    // Among the smallest sets, prefer one that also works in time.
                    if self.prevents_in_time(&set, goals) {
                        return Some(set);
                    }
                    first.get_or_insert(set);
                }
                // Next combination in lexicographic order.
                let mut pos = size;
                let mut advanced = false;
                while pos > 0 {
                    pos -= 1;
                    let limit = k - size + pos;
                    if idx.get(pos).is_some_and(|&v| v < limit) {
                        if let Some(v) = idx.get_mut(pos) {
                            *v += 1;
                        }
                        for j in pos + 1..size {
                            let prev = idx.get(j - 1).copied().unwrap_or(0);
                            if let Some(v) = idx.get_mut(j) {
                                *v = prev + 1;
                            }
                        }
                        advanced = true;
                        break;
                    }
                }
                if !advanced {
                    break;
                }
            }
            if first.is_some() {
                return first;
            }
        }
        None
    }

    /// The minimum cut of the AND/OR step graph. The attacker needs every required step of an AND
    /// step, so cutting any one of them stops it: each AND step keeps only the edge from its
    /// required step that is cheapest to cut, estimated bottom-up (an OR step costs the sum of its
    /// alternatives, an AND step its cheapest required step, a step the tasks block at most 1).
    /// Any cut of that network stops every goal under the AND/OR rules, and the estimate is
    /// infinite exactly for the steps no task can stop, so there is no fallback. Steps the attacker
    /// cannot reach undefended are left out.
    fn min_cut_blocking(&self, goals: &[usize]) -> (Option<Vec<usize>>, u64) {
        let n = self.r.steps.len();
        if goals.is_empty() {
            return (Some(Vec::new()), 0);
        }
        let mut blockable = vec![false; n];
        for t in &self.r.tasks {
            for &s in &t.blocks {
                if let Some(b) = blockable.get_mut(s) {
                    *b = true;
                }
            }
        }
        let reach = self.reach_free();
        let reached = |i: usize| reach.get(i).copied().unwrap_or(false);
        // Bottom-up cut cost (0 for unreachable steps) and the kept edge of each AND step.
        let mut cost = vec![0u64; n];
        let mut keep = vec![usize::MAX; n];
        for &i in &self.topo {
            let Some(s) = self.r.steps.get(i) else { continue };
            if !reached(i) {
                continue;
            }
            let cost_of = |p: usize| cost.get(p).copied().unwrap_or(0);
            let incoming = if s.requires.is_empty() {
                INF
            } else {
                match s.join {
                    Join::Any => s
                        .requires
                        .iter()
                        .filter(|&&p| reached(p))
                        .fold(0u64, |acc, &p| acc.saturating_add(cost_of(p)).min(INF)),
                    Join::All => {
                        let best = s.requires.iter().copied().min_by_key(|&p| (cost_of(p), p)).unwrap_or(usize::MAX);
                        if let Some(k) = keep.get_mut(i) {
                            *k = best;
                        }
                        cost_of(best)
                    }
                }
            };
            let own = if blockable.get(i).copied().unwrap_or(false) { 1 } else { INF };
            if let Some(c) = cost.get_mut(i) {
                *c = own.min(incoming);
            }
        }
        if goals.iter().any(|&g| cost.get(g).copied().unwrap_or(0) >= INF) {
            // A goal no task can stop.
            return (None, INF);
        }
        // Node 2i = step i in, 2i+1 = step i out; 2n = source, 2n+1 = sink.
        let (src, sink) = (2 * n, 2 * n + 1);
        let mut net = FlowNetwork::new(2 * n + 2);
        for (i, s) in self.r.steps.iter().enumerate() {
            if !reached(i) {
                continue;
            }
            let cap = if blockable.get(i).copied().unwrap_or(false) { 1 } else { INF };
            net.add_edge(2 * i, 2 * i + 1, cap);
            if s.requires.is_empty() {
                net.add_edge(src, 2 * i, INF);
            }
            match s.join {
                Join::Any => {
                    for &p in s.requires.iter().filter(|&&p| reached(p)) {
                        net.add_edge(2 * p + 1, 2 * i, INF);
                    }
                }
                Join::All => {
                    if let Some(&p) = keep.get(i).filter(|&&p| p != usize::MAX) {
                        net.add_edge(2 * p + 1, 2 * i, INF);
                    }
                }
            }
            if s.goal {
                net.add_edge(2 * i + 1, sink, INF);
            }
        }
        let flow = net.max_flow(src, sink);
        let side = net.source_side(src);
        let cut: Vec<usize> = (0..n)
            .filter(|&i| side.get(2 * i).copied().unwrap_or(false) && !side.get(2 * i + 1).copied().unwrap_or(false))
            .collect();
        // Cover the cut steps with tasks, most cut steps first.
        let mut uncovered: BTreeSet<usize> = cut.iter().copied().collect();
        // The tasks blocking each cut step (only those: the cut is small).
        let mut blockers: std::collections::BTreeMap<usize, Vec<usize>> = std::collections::BTreeMap::new();
        for (t, task) in self.r.tasks.iter().enumerate() {
            for &s in task.blocks.iter().filter(|s| uncovered.contains(s)) {
                blockers.entry(s).or_default().push(t);
            }
        }
        let mut chosen: Vec<usize> = Vec::new();
        while let Some(&s) = uncovered.iter().next() {
            let best = blockers.get(&s).and_then(|bs| {
                bs.iter().copied().max_by_key(|&t| {
                    let c =
                        self.r.tasks.get(t).map_or(0, |x| x.blocks.iter().filter(|b| uncovered.contains(b)).count());
                    (c, std::cmp::Reverse(t))
                })
            });
            let Some(t) = best else {
                uncovered.remove(&s);
                continue;
            };
            for b in self.r.tasks.get(t).map_or(&[][..], |x| x.blocks.as_slice()) {
                uncovered.remove(b);
            }
            chosen.push(t);
        }
        (Some(self.prune(chosen, goals)), flow)
    }

    /// Drops tasks that are not needed, last first, while the goals stay unreachable: one
    /// reachability pass per chosen task, skipped when that would exceed [`PRUNE_WORK`] (the set
    /// stays sufficient, only perhaps not irreducible).
    fn prune(&self, mut chosen: Vec<usize>, goals: &[usize]) -> Vec<usize> {
        let size = self.r.steps.len() + self.r.steps.requires.total();
        if chosen.len().saturating_mul(size) > PRUNE_WORK || !self.prevents_all_goals(&chosen, goals) {
            return chosen;
        }
        let mut k = chosen.len();
        while k > 0 {
            k -= 1;
            let mut without = chosen.clone();
            without.remove(k);
            if self.prevents_all_goals(&without, goals) {
                chosen = without;
            }
        }
        chosen
    }

    /// Coverage of ATT&CK tactics, incident-response phases and learning objectives.
    #[must_use]
    pub fn coverage(&self) -> Coverage {
        let doc = self.document();
        // One pass over the steps, counting per tactic.
        let mut per_tactic = [0usize; Tactic::ALL.len()];
        for s in &doc.attack_steps {
            if let Some(k) = Tactic::ALL.iter().position(|&t| t == s.tactic)
                && let Some(c) = per_tactic.get_mut(k)
            {
                *c += 1;
            }
        }
        let tactics =
            Tactic::ALL.iter().zip(per_tactic).map(|(&t, steps)| TacticCoverage { tactic: t, steps }).collect();
        let phases = IrPhase::ALL
            .iter()
            .map(|&p| PhaseCoverage { phase: p, tasks: self.r.tasks.iter().filter(|t| t.phase == p).count() })
            .collect();
        let objectives: Vec<ObjectiveCoverage> = doc
            .objectives
            .iter()
            .map(|o| ObjectiveCoverage {
                objective: o.id.clone(),
                tasks: doc.tasks.iter().filter(|t| t.objectives.contains(&o.id)).map(|t| t.id.clone()).collect(),
                injects: doc.injects.iter().filter(|i| i.objectives.contains(&o.id)).map(|i| i.id.clone()).collect(),
            })
            .collect();
        let uncovered_objectives =
            objectives.iter().filter(|o| o.tasks.is_empty()).map(|o| o.objective.clone()).collect();
        Coverage { tactics, phases, objectives, uncovered_objectives }
    }

    /// The derivations of every reachable goal (see [`AttackPaths`]), at most `max_paths` of at
    /// most `max_len` steps. The search makes one choice per OR step (each reachable alternative in
    /// document order, unless one is already in the set) and takes every required step of an AND
    /// step; sets that are not minimal or were found before are skipped. It stops after
    /// [`ismap_model::Limits::path_visits`] units of work (by default 1,000,000; a unit is a step
    /// taken into a set or checked): the number of derivations can be exponential in the graph's
    /// size. Any cut sets `truncated`; [`Scenario::attack_paths_within`] reports the work limit as
    /// an error instead.
    ///
    /// # Complexity
    /// O(work limit), and O(V + E) to set up.
    #[must_use]
    pub fn attack_paths(&self, max_paths: usize, max_len: usize) -> AttackPaths {
        let mut walk = Walk::new(self.r.steps.len(), max_paths, max_len, ismap_model::Limits::DEFAULT.path_visits());
        self.derive_all(&mut walk);
        walk.out
    }

    /// As [`Scenario::attack_paths`] with the work budget of `limits`.
    ///
    /// # Errors
    /// [`ismap_model::LimitExceeded`] ([`ismap_model::LimitKind::PathVisits`]) when the search
    /// does more work than `limits` allow; the `max_paths` and `max_len` cuts only set
    /// `truncated`.
    pub fn attack_paths_within(
        &self,
        max_paths: usize,
        max_len: usize,
        limits: &ismap_model::Limits,
    ) -> Result<AttackPaths, ismap_model::LimitExceeded> {
        let mut walk = Walk::new(self.r.steps.len(), max_paths, max_len, limits.path_visits());
        self.derive_all(&mut walk);
        limits.check(ismap_model::LimitKind::PathVisits, walk.visits)?;
        Ok(walk.out)
    }

    fn derive_all(&self, walk: &mut Walk) {
        let reach = self.reach_free();
        let mut pos = vec![0usize; self.r.steps.len()];
        for (k, &i) in self.topo.iter().enumerate() {
            if let Some(p) = pos.get_mut(i) {
                *p = k;
            }
        }
        let layer = self.layers_cached();
        let ctx = DeriveCtx { reach, pos: &pos, layer };
        for g in self.goals() {
            if !reach.get(g).copied().unwrap_or(false) || walk.stopped {
                continue;
            }
            walk.seen.clear();
            walk.add(g);
            let mut pending = std::collections::BinaryHeap::new();
            pending.push((ctx.pos.get(g).copied().unwrap_or(0), g));
            self.derive(&ctx, g, pending, walk);
            walk.undo_to(0);
        }
    }

    /// Completes the set in `walk` by settling `pending` steps, latest in topological order first
    /// (so every step that could need a pending step is settled before it).
    fn derive(
        &self,
        ctx: &DeriveCtx<'_>,
        goal: usize,
        mut pending: std::collections::BinaryHeap<(usize, usize)>,
        walk: &mut Walk,
    ) {
        while let Some((_, x)) = pending.pop() {
            if !walk.spend(1) {
                return;
            }
            if walk.members.len() > walk.max_len {
                walk.out.truncated = true;
                return;
            }
            let Some(step) = self.r.steps.get(x) else { continue };
            let reached = |p: &usize| ctx.reach.get(*p).copied().unwrap_or(false);
            match step.join {
                Join::All => {
                    for &p in step.requires {
                        if !walk.in_set.get(p).copied().unwrap_or(true) {
                            walk.add(p);
                            pending.push((ctx.pos.get(p).copied().unwrap_or(0), p));
                        }
                    }
                }
                Join::Any => {
                    if step.requires.is_empty()
                        || step.requires.iter().any(|&p| walk.in_set.get(p).copied().unwrap_or(false))
                    {
                        continue;
                    }
                    for &p in step.requires.iter().filter(|p| reached(p)) {
                        let mark = walk.members.len();
                        walk.add(p);
                        let mut branch = pending.clone();
                        branch.push((ctx.pos.get(p).copied().unwrap_or(0), p));
                        self.derive(ctx, goal, branch, walk);
                        walk.undo_to(mark);
                        if walk.stopped {
                            return;
                        }
                    }
                    return;
                }
            }
        }
        if walk.members.len() > walk.max_len {
            walk.out.truncated = true;
            return;
        }
        let mut set = walk.members.clone();
        set.sort_unstable();
        let k = set.len();
        // Minimality: no step but the goal can be left out (k checks of O(k · degree) each).
        if !walk.spend(k.saturating_mul(k)) || walk.seen.contains(&set) || !self.is_minimal(&set, goal) {
            return;
        }
        if walk.out.paths.len() >= walk.max_paths {
            walk.out.truncated = true;
            walk.stopped = true;
            return;
        }
        walk.seen.insert(set.clone());
        set.sort_by_key(|&i| (ctx.layer.get(i).copied().unwrap_or(0), i));
        walk.out.paths.push(set.into_iter().map(|i| self.sid(i)).collect());
    }

    /// Whether `goal` is reached within `set` (sorted) and within no set one step smaller.
    fn is_minimal(&self, set: &[usize], goal: usize) -> bool {
        let reaches = |without: Option<usize>| {
            let inside = |i: usize| Some(i) != without && set.binary_search(&i).is_ok();
            let mut ok = vec![false; set.len()];
            // `set` sorted by index is not topological: repeat until nothing changes.
            let mut changed = true;
            while changed {
                changed = false;
                for (k, &i) in set.iter().enumerate() {
                    if ok.get(k).copied().unwrap_or(true) || !inside(i) {
                        continue;
                    }
                    let Some(st) = self.r.steps.get(i) else { continue };
                    let met = |p: &usize| {
                        inside(*p) && set.binary_search(p).is_ok_and(|j| ok.get(j).copied().unwrap_or(false))
                    };
                    let fine = st.requires.is_empty()
                        || match st.join {
                            Join::All => st.requires.iter().all(met),
                            Join::Any => st.requires.iter().any(met),
                        };
                    if fine && let Some(o) = ok.get_mut(k) {
                        *o = true;
                        changed = true;
                    }
                }
            }
            set.binary_search(&goal).is_ok_and(|j| ok.get(j).copied().unwrap_or(false))
        };
        reaches(None) && set.iter().all(|&s| s == goal || !reaches(Some(s)))
    }

    /// Runs every analysis.
    #[must_use]
    pub fn analyze(&self, options: &AnalysisOptions) -> Analysis {
        Analysis {
            format_version: ismap_model::DocumentVersion::current(),
            layers: self.layers(),
            schedule: self.schedule(),
            goals: self.goal_reachability(),
            detection: self.earliest_detection(),
            choke_points: self.choke_points(),
            required_steps: Some(self.required_steps(options.required_steps_budget)),
            blocking_set: self.blocking_set(options),
            coverage: self.coverage(),
            attack_paths: if options.enumerate_paths {
                self.attack_paths(options.max_paths, options.max_path_len)
            } else {
                AttackPaths::empty()
            },
        }
    }
}

/// Most steps and edges visited while pruning a min-cut blocking set (one reachability pass per
/// chosen task): 50,000,000, about a second.
const PRUNE_WORK: usize = 50_000_000;

/// What the derivation search reads: free reachability, topological positions and layers.
struct DeriveCtx<'a> {
    reach: &'a [bool],
    pos: &'a [usize],
    layer: &'a [usize],
}

/// The union of two sorted sets.
fn union(a: &[usize], b: &[usize]) -> Vec<usize> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while let (Some(&x), Some(&y)) = (a.get(i), b.get(j)) {
        match x.cmp(&y) {
            std::cmp::Ordering::Less => {
                out.push(x);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(y);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                out.push(x);
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(a.get(i..).unwrap_or_default());
    out.extend_from_slice(b.get(j..).unwrap_or_default());
    out
}

/// The intersection of two sorted sets.
fn intersection(a: &[usize], b: &[usize]) -> Vec<usize> {
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    while let (Some(&x), Some(&y)) = (a.get(i), b.get(j)) {
        match x.cmp(&y) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push(x);
                i += 1;
                j += 1;
            }
        }
    }
    out
}
