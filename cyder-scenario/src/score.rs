//! Scoring a team's run against a scenario.

use ismap_model::Text;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::doc::{IrPhase, TaskKind, TimeWindow};
use crate::id::{ActorId, ScenarioId, Tactic, TaskId};
use crate::log::CheckedLog;
use crate::scenario::Scenario;

/// How a task went. Callers handle every case, so this enum is exhaustive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum TaskStatus {
    /// Done by the end of its window.
    OnTime,
    /// Done after its window.
    Late,
    /// Not done.
    Missed,
}

impl TaskStatus {
    /// The status in both languages.
    #[must_use]
    pub fn name(self) -> Text {
        match self {
            Self::OnTime => Text::new("時間内", "on time"),
            Self::Late => Text::new("遅延", "late"),
            Self::Missed => Text::new("未実施", "missed"),
        }
    }
}

/// The score of one task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TaskScore {
    /// The task.
    pub task: TaskId,
    /// Its name.
    pub name: Text,
    /// Its kind.
    pub kind: TaskKind,
    /// Its incident-response phase.
    pub phase: IrPhase,
    /// How it went.
    pub status: TaskStatus,
    /// Minute it was first done.
    pub done_at: Option<u64>,
    /// The expected window.
    pub window: TimeWindow,
    /// Minutes after the window, when late.
    pub minutes_late: Option<u64>,
    /// Points earned.
    pub points: u32,
    /// Points for doing it on time.
    pub max_points: u32,
    /// Who did it.
    pub by: Option<String>,
}

/// How one link of the escalation and reporting chain went. Exhaustive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum LinkStatus {
    /// Done, to the right recipient, after the previous link.
    Correct,
    /// Done, but to someone else (or to nobody recorded).
    WrongRecipient,
    /// Done before the previous link of the chain.
    OutOfOrder,
    /// Not done.
    Missing,
}

impl LinkStatus {
    /// The status in both languages.
    #[must_use]
    pub fn name(self) -> Text {
        match self {
            Self::Correct => Text::new("適切", "correct"),
            Self::WrongRecipient => Text::new("宛先誤り", "wrong recipient"),
            Self::OutOfOrder => Text::new("順序誤り", "out of order"),
            Self::Missing => Text::new("未実施", "missing"),
        }
    }
}

/// One link of the escalation and reporting chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ChainLinkScore {
    /// The task.
    pub task: TaskId,
    /// Who it should go to.
    pub expected_to: Option<ActorId>,
    /// Who it went to.
    pub actual_to: Option<ActorId>,
    /// When.
    pub at: Option<u64>,
    /// How it went.
    pub status: LinkStatus,
}

/// The score of a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ScoreCard {
    /// Format version of this report (1; absent in version 0, which is the same format).
    #[serde(
        rename = "format_version",
        default = "ismap_model::DocumentVersion::<1>::unversioned",
        skip_serializing_if = "ismap_model::DocumentVersion::<1>::is_unversioned"
    )]
    pub format_version: ismap_model::DocumentVersion<1>,
    /// The scenario.
    pub scenario: ScenarioId,
    /// The team.
    pub team: String,
    /// Every task, in scenario order.
    pub tasks: Vec<TaskScore>,
    /// The escalation and reporting chain, in its expected order.
    pub chain: Vec<ChainLinkScore>,
    /// Points for the chain.
    pub chain_points: u32,
    /// Points the chain is worth.
    pub chain_max: u32,
    /// Minute the attack reaches the organisation: the earliest start of a step whose tactic is
    /// neither reconnaissance nor resource development (or of any step, if all are).
    pub attack_start: u64,
    /// Minutes from the attack start to the first detection task done.
    pub time_to_detect: Option<u64>,
    /// Minutes from the attack start to the first isolation task.
    pub time_to_contain: Option<u64>,
    /// Total points.
    pub total: u32,
    /// Most points possible.
    pub max: u32,
    /// Points needed to pass.
    pub pass_score: u32,
    /// Whether the team passed.
    pub passed: bool,
}

impl Scenario {
    /// Minute the attack reaches the organisation (see [`ScoreCard::attack_start`]).
    #[must_use]
    pub fn attack_start(&self) -> u64 {
        let pre = |t: Tactic| matches!(t, Tactic::Reconnaissance | Tactic::ResourceDevelopment);
        let starts = &self.times.step_start;
        let doc = self.document();
        let inside = doc
            .attack_steps
            .iter()
            .enumerate()
            .filter(|(_, s)| !pre(s.tactic))
            .filter_map(|(i, _)| starts.get(i).copied())
            .min();
        inside.or_else(|| starts.iter().copied().min()).unwrap_or(0)
    }

    /// Scores a checked action log: each task on time, late or missed; time to detect and contain;
    /// the escalation and reporting chain; the total.
    ///
    /// The first log entry for a task counts. A late task earns `latePercent` of its points
    /// (rounded down). Each correct chain link earns an equal share of `chainPoints` (rounded down).
    #[must_use]
    pub fn score(&self, log: &CheckedLog) -> ScoreCard {
        let doc = self.document();
        let late_pct = u64::from(doc.scoring.late_percent.min(100));
        let first = |task: usize| log.entries.iter().find(|(_, t, _)| *t == task).copied();
        let entry = |k: usize| log.log.entries.get(k);
        let mut tasks = Vec::with_capacity(doc.tasks.len());
        for (i, t) in doc.tasks.iter().enumerate() {
            let hit = first(i);
            let end = u64::from(t.window.end_minute);
            let (status, points) = match hit {
                None => (TaskStatus::Missed, 0),
                Some((m, _, _)) if m <= end => (TaskStatus::OnTime, t.points),
                Some(_) => {
                    let p = u64::from(t.points) * late_pct / 100;
                    (TaskStatus::Late, u32::try_from(p).unwrap_or(u32::MAX))
                }
            };
            tasks.push(TaskScore {
                task: t.id.clone(),
                name: t.name.clone(),
                kind: t.kind,
                phase: self.phase(i).unwrap_or_else(|| t.kind.default_phase()),
                status,
                done_at: hit.map(|h| h.0),
                window: t.window,
                minutes_late: hit.map(|h| h.0).filter(|&m| m > end).map(|m| m - end),
                points,
                max_points: t.points,
                by: hit.and_then(|h| entry(h.2)).and_then(|e| e.by.clone()),
            });
        }
        let mut chain = Vec::new();
        let mut last: Option<u64> = None;
        for &ti in &self.r.chain {
            let Some(t) = doc.tasks.get(ti) else { continue };
            let hit = first(ti);
            let actual_to = hit.and_then(|h| entry(h.2)).and_then(|e| e.to.clone());
            let status = match hit {
                None => LinkStatus::Missing,
                Some(_) if actual_to != t.to => LinkStatus::WrongRecipient,
                Some((m, _, _)) if last.is_some_and(|l| m < l) => LinkStatus::OutOfOrder,
                Some(_) => LinkStatus::Correct,
            };
            if let Some((m, _, _)) = hit {
                last = Some(last.map_or(m, |l| l.max(m)));
            }
            chain.push(ChainLinkScore {
                task: t.id.clone(),
                expected_to: t.to.clone(),
                actual_to,
                at: hit.map(|h| h.0),
                status,
            });
        }
        let chain_max = doc.scoring.chain_points;
        let correct = chain.iter().filter(|c| c.status == LinkStatus::Correct).count();
        let chain_points = if chain.is_empty() {
            0
        } else {
            let p = u64::from(chain_max) * correct as u64 / chain.len() as u64;
            u32::try_from(p).unwrap_or(u32::MAX)
        };
        let attack_start = self.attack_start();
        let first_of = |kind: TaskKind| {
            log.entries
                .iter()
                .find(|(_, t, _)| doc.tasks.get(*t).is_some_and(|x| x.kind == kind))
                .map(|(m, _, _)| m.saturating_sub(attack_start))
        };
        let total = tasks.iter().map(|t| t.points).fold(chain_points, u32::saturating_add);
        let max =
            doc.tasks.iter().map(|t| t.points).fold(if chain.is_empty() { 0 } else { chain_max }, u32::saturating_add);
        ScoreCard {
            format_version: ismap_model::DocumentVersion::current(),
            scenario: doc.id.clone(),
            team: log.log.team.name.clone(),
            tasks,
            chain,
            chain_points,
            chain_max: if self.r.chain.is_empty() { 0 } else { chain_max },
            attack_start,
            time_to_detect: first_of(TaskKind::Detect),
            time_to_contain: first_of(TaskKind::Isolate),
            total,
            max,
            pass_score: doc.scoring.pass_score,
            passed: total >= doc.scoring.pass_score,
        }
    }
}
