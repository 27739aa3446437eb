//! Small hand-built documents.

use cyder_scenario::{
    Actor, ActorKind, Artefact, ArtefactKind, AttackStepDoc, Course, Environment, FormatVersion, Join,
    ScenarioDocument, ScoringRubric, Tactic, TaskDoc, TaskKind, TimeWindow,
};
use ismap_model::Text;

pub(crate) fn step(id: &str, requires: &[&str], join: Join, minutes: u32) -> AttackStepDoc {
    AttackStepDoc {
        id: id.parse().unwrap(),
        name: Text::en(id),
        technique: "T1566.001".into(),
        tactic: Tactic::InitialAccess,
        requires: requires.iter().map(|r| r.parse().unwrap()).collect(),
        join,
        duration_minutes: minutes,
        not_before_minute: 0,
        target: None,
        leaves: vec![format!("a-{id}").parse().unwrap()],
        goal: false,
        description: None,
    }
}

pub(crate) fn task(id: &str, needs: &[&str], blocks: &[&str]) -> TaskDoc {
    TaskDoc {
        id: id.parse().unwrap(),
        name: Text::en(id),
        kind: TaskKind::Detect,
        phase: None,
        needs: needs.iter().map(|r| r.parse().unwrap()).collect(),
        after: vec![],
        blocks: blocks.iter().map(|r| r.parse().unwrap()).collect(),
        window: TimeWindow { start_minute: 0, end_minute: 1000 },
        duration_minutes: 0,
        to: None,
        role: None,
        objectives: vec![],
        points: 10,
    }
}

/// A document with the given steps and tasks; one artefact `a-<step>` per step; actors `team`
/// and `ciso`; pass score 0.
pub(crate) fn doc(steps: Vec<AttackStepDoc>, tasks: Vec<TaskDoc>) -> ScenarioDocument {
    let artefacts = steps
        .iter()
        .map(|s| Artefact {
            id: format!("a-{}", s.id).parse().unwrap(),
            name: Text::en("trace"),
            kind: ArtefactKind::Log,
            host: None,
            delay_minutes: 0,
        })
        .collect();
    ScenarioDocument {
        version: FormatVersion::V1,
        id: "t".parse().unwrap(),
        title: Text::en("test"),
        summary: None,
        course: Course::A,
        duration_minutes: 100,
        environment: Environment::default(),
        actors: vec![
            Actor { id: "team".parse().unwrap(), name: Text::en("team"), kind: ActorKind::Team },
            Actor { id: "ciso".parse().unwrap(), name: Text::en("ciso"), kind: ActorKind::Ciso },
        ],
        artefacts,
        attack_steps: steps,
        tasks,
        injects: vec![],
        objectives: vec![],
        scoring: ScoringRubric { pass_score: 0, late_percent: 50, chain: vec![], chain_points: 0 },
    }
}

/// Diamond a(10) → b(5), a → c(20); b, c → d(5) with the given join; d is the goal.
/// Tasks: `watch-<x>` needs `a-<x>` for every step.
pub(crate) fn diamond(join: Join) -> ScenarioDocument {
    let mut d = step("d", &["b", "c"], join, 5);
    d.goal = true;
    let steps =
        vec![step("a", &[], Join::All, 10), step("b", &["a"], Join::All, 5), step("c", &["a"], Join::All, 20), d];
    let tasks = ["a", "b", "c", "d"].iter().map(|x| task(&format!("watch-{x}"), &[&format!("a-{x}")], &[])).collect();
    doc(steps, tasks)
}
