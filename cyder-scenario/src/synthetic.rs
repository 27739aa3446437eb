//! Synthetic scenarios of any size, for benchmarks and property tests.
//!
//! The generator is deterministic for a given seed. Steps are laid out in layers of fixed width;
//! each step requires one to three steps of the layer before it (a quarter of them with an OR
//! join) and leaves one artefact. Every artefact is needed by exactly one task (a task per ten
//! steps). Each task blocks one random step, and the middle layer is fully blockable, so the
//! goals (the last layer's first steps) can always be prevented and the minimum cut is at most the
//! layer width. [`and_chain`] adds a chain of unblockable steps that every goal needs (AND).

use ismap_model::Text;

use crate::course::Course;
use crate::doc::{
    Actor, ActorKind, Artefact, ArtefactKind, AttackStepDoc, FormatVersion, Join, ScenarioDocument, ScoringRubric,
    TaskDoc, TaskKind, TimeWindow,
};
use crate::id::{ActorId, ArtefactId, ScenarioId, StepId, Tactic, TaskId};

/// SplitMix64: a tiny deterministic generator (no dependency needed).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    #[must_use]
    pub const fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 random bits.
    pub const fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        usize::try_from(self.next_u64() % (n as u64)).unwrap_or(0)
    }
}

const TECHNIQUES: [(&str, Tactic); 8] = [
    ("T1566.001", Tactic::InitialAccess),
    ("T1204.002", Tactic::Execution),
    ("T1071.001", Tactic::CommandAndControl),
    ("T1003.001", Tactic::CredentialAccess),
    ("T1135", Tactic::Discovery),
    ("T1021.002", Tactic::LateralMovement),
    ("T1039", Tactic::Collection),
    ("T1041", Tactic::Exfiltration),
];

fn sid(i: usize) -> StepId {
    StepId::unchecked(format!("s{i}"))
}

/// A valid synthetic scenario with `steps` attack steps.
#[must_use]
pub fn scenario(steps: usize, seed: u64) -> ScenarioDocument {
    let mut rng = Rng::new(seed);
    let n = steps.max(2);
    let width = 50.min(n / 2).max(1);
    let layers = n.div_ceil(width);
    let layer_of = |i: usize| i / width;
    let bottleneck = layers / 2;
    let mut attack_steps = Vec::with_capacity(n);
    let mut artefacts = Vec::with_capacity(n);
    for i in 0..n {
        let l = layer_of(i);
        let mut requires = Vec::new();
        if l > 0 {
            let prev_start = (l - 1) * width;
            for _ in 0..=rng.below(3) {
                requires.push(prev_start + rng.below(width));
            }
            requires.sort_unstable();
            requires.dedup();
        }
        let join = if requires.len() > 1 && rng.below(4) == 0 { Join::Any } else { Join::All };
        let (technique, tactic) =
            TECHNIQUES.get(rng.below(TECHNIQUES.len())).copied().unwrap_or(("T1041", Tactic::Exfiltration));
        artefacts.push(Artefact {
            id: ArtefactId::unchecked(format!("a{i}")),
            name: Text::en(format!("trace of step {i}")),
            kind: ArtefactKind::Log,
            host: None,
            delay_minutes: u32::try_from(rng.below(5)).unwrap_or(0),
        });
        attack_steps.push(AttackStepDoc {
            id: sid(i),
            name: Text::en(format!("step {i}")),
            technique: technique.to_owned(),
            tactic,
            requires: requires.into_iter().map(sid).collect(),
            join,
            duration_minutes: 1 + u32::try_from(rng.below(30)).unwrap_or(0),
            not_before_minute: 0,
            target: None,
            leaves: vec![ArtefactId::unchecked(format!("a{i}"))],
            goal: l + 1 == layers && i % width < 5,
            description: None,
        });
    }
    // Every artefact needed by exactly one task: shuffle the steps, chunk by ten.
    let mut order: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        let j = rng.below(i + 1);
        order.swap(i, j);
    }
    let n_tasks = n.div_ceil(10).max(width);
    let mut tasks: Vec<TaskDoc> = (0..n_tasks)
        .map(|k| TaskDoc {
            id: TaskId::unchecked(format!("t{k}")),
            name: Text::en(format!("task {k}")),
            kind: if k % 7 == 0 { TaskKind::Isolate } else { TaskKind::Detect },
            phase: None,
            needs: Vec::new(),
            after: if k > 0 && rng.below(5) == 0 { vec![TaskId::unchecked(format!("t{}", k - 1))] } else { Vec::new() },
            blocks: vec![sid(rng.below(n))],
            window: TimeWindow { start_minute: 0, end_minute: u32::MAX / 2 },
            duration_minutes: 5,
            to: None,
            role: None,
            objectives: Vec::new(),
            points: 1,
        })
        .collect();
    for (k, chunk) in order.chunks(10).enumerate() {
        if let Some(t) = tasks.get_mut(k % n_tasks) {
            t.needs.extend(chunk.iter().map(|&s| ArtefactId::unchecked(format!("a{s}"))));
        }
    }
    for j in 0..width {
        let s = bottleneck * width + j;
        if s < n
            && let Some(t) = tasks.get_mut(j % n_tasks)
        {
            t.blocks.push(sid(s));
        }
    }
    let pass = u32::try_from(n_tasks / 2).unwrap_or(u32::MAX);
    ScenarioDocument {
        version: FormatVersion::V1,
        id: ScenarioId::unchecked(format!("synthetic-{n}")),
        title: Text::en(format!("synthetic scenario with {n} steps")),
        summary: None,
        course: Course::C,
        duration_minutes: 480,
        environment: crate::doc::Environment::default(),
        actors: vec![Actor {
            id: ActorId::unchecked("team".to_owned()),
            name: Text::en("team"),
            kind: ActorKind::Team,
        }],
        artefacts,
        attack_steps,
        tasks,
        injects: Vec::new(),
        objectives: Vec::new(),
        scoring: ScoringRubric { pass_score: pass, late_percent: 50, chain: Vec::new(), chain_points: 0 },
    }
}

/// A synthetic scenario with `steps` attack steps in the **AND-chain** shape: the scenario of
/// [`scenario`] with `steps - steps / 10` steps, plus a chain of `steps / 10` steps (at least one)
/// that no task blocks, from an entry step to every goal; every goal becomes an AND step requiring
/// the chain's last step as well as its own steps. Along the path relaxation an unblockable chain
/// reaches every goal, but under the AND joins the goals can still be prevented (through their
/// other required steps): the shape that used to send the minimum blocking set to its slow
/// fallback.
#[must_use]
pub fn and_chain(steps: usize, seed: u64) -> ScenarioDocument {
    let n = steps.max(4);
    let chain = (n / 10).max(1);
    let mut doc = scenario(n - chain, seed);
    let base = doc.attack_steps.len();
    let (technique, tactic) = TECHNIQUES.first().copied().unwrap_or(("T1041", Tactic::Exfiltration));
    for k in 0..chain {
        let i = base + k;
        doc.attack_steps.push(AttackStepDoc {
            id: sid(i),
            name: Text::en(format!("step {i}")),
            technique: technique.to_owned(),
            tactic,
            requires: if k == 0 { Vec::new() } else { vec![sid(i - 1)] },
            join: Join::All,
            duration_minutes: 1,
            not_before_minute: 0,
            target: None,
            leaves: Vec::new(),
            goal: false,
            description: None,
        });
    }
    let last = sid(base + chain - 1);
    for s in doc.attack_steps.iter_mut().filter(|s| s.goal) {
        s.requires.push(last.clone());
        s.join = Join::All;
    }
    doc.id = ScenarioId::unchecked(format!("synthetic-and-chain-{n}"));
    doc.title = Text::en(format!("synthetic AND-chain scenario with {n} steps"));
    doc
}
