//! The after-action report: score, strengths, improvements and a timeline, as JSON or Markdown.

use std::fmt::Write as _;

use ismap_model::{Lang, Text};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::course::{Course, Team};
use crate::id::ScenarioId;
use crate::log::CheckedLog;
use crate::scenario::Scenario;
use crate::score::{LinkStatus, ScoreCard, TaskStatus};

/// What a timeline entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum TimelineKind {
    /// An attack step starts.
    Attack,
    /// An inject is delivered.
    Inject,
    /// The team acts.
    Action,
}

/// One line of the timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TimelineEntry {
    /// Minute from the start of the exercise.
    pub minute: u64,
    /// Kind.
    pub kind: TimelineKind,
    /// The step, inject or task id.
    pub subject: String,
    /// What happened.
    pub text: Text,
}

/// The after-action report of one team's run (HSEEP AAR style: strengths, areas for improvement,
/// timeline).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AfterActionReport {
    /// Format version of this report (1; absent in version 0, which is the same format).
    #[serde(
        rename = "format_version",
        default = "ismap_model::DocumentVersion::<1>::unversioned",
        skip_serializing_if = "ismap_model::DocumentVersion::<1>::is_unversioned"
    )]
    pub format_version: ismap_model::DocumentVersion<1>,
    /// The scenario.
    pub scenario: ScenarioId,
    /// Its title.
    pub title: Text,
    /// The course.
    pub course: Course,
    /// The team.
    pub team: Team,
    /// The score.
    pub score: ScoreCard,
    /// What went well.
    pub strengths: Vec<Text>,
    /// What to improve.
    pub improvements: Vec<Text>,
    /// Attack steps, injects and team actions in time order.
    pub timeline: Vec<TimelineEntry>,
}

fn t_plus(m: u64) -> String {
    format!("T+{m}")
}

impl Scenario {
    /// Scores the log and writes the after-action report.
    #[must_use]
    pub fn after_action_report(&self, log: &CheckedLog) -> AfterActionReport {
        let doc = self.document();
        let score = self.score(log);
        let mut strengths = Vec::new();
        let mut improvements = Vec::new();
        for t in &score.tasks {
            let (ja, en) = (t.name.get(Lang::Ja), t.name.get(Lang::En));
            match t.status {
                TaskStatus::OnTime => strengths.push(Text::new(
                    format!(
                        "「{ja}」を時間内({}、期限{})に実施した",
                        t_plus(t.done_at.unwrap_or(0)),
                        t_plus(t.window.end_minute.into())
                    ),
                    format!(
                        "{en}: done on time ({}, due {})",
                        t_plus(t.done_at.unwrap_or(0)),
                        t_plus(t.window.end_minute.into())
                    ),
                )),
                TaskStatus::Late => improvements.push(Text::new(
                    format!(
                        "「{ja}」が期限から{}分遅れた({})",
                        t.minutes_late.unwrap_or(0),
                        t_plus(t.done_at.unwrap_or(0))
                    ),
                    format!("{en}: {} min late ({})", t.minutes_late.unwrap_or(0), t_plus(t.done_at.unwrap_or(0))),
                )),
                TaskStatus::Missed => improvements.push(Text::new(
                    format!("「{ja}」が実施されなかった(期限{})", t_plus(t.window.end_minute.into())),
                    format!("{en}: not done (due {})", t_plus(t.window.end_minute.into())),
                )),
            }
        }
        if !score.chain.is_empty() && score.chain.iter().all(|c| c.status == LinkStatus::Correct) {
            strengths.push(Text::new(
                "エスカレーションと報告を正しい相手に正しい順序で行った",
                "escalation and reporting went to the right people in the right order",
            ));
        }
        for c in score.chain.iter().filter(|c| c.status != LinkStatus::Correct) {
            let to = c.expected_to.as_ref().map_or_else(String::new, ToString::to_string);
            let actual = c.actual_to.as_ref().map_or_else(|| "-".to_owned(), ToString::to_string);
            improvements.push(match c.status {
                LinkStatus::WrongRecipient => Text::new(
                    format!("連絡`{}`の宛先が`{actual}`だった(本来は`{to}`)", c.task),
                    format!("chain step `{}` went to `{actual}` instead of `{to}`", c.task),
                ),
                LinkStatus::OutOfOrder => Text::new(
                    format!("連絡`{}`が前の段階より先に行われた", c.task),
                    format!("chain step `{}` happened before the step it should follow", c.task),
                ),
                LinkStatus::Missing | LinkStatus::Correct => Text::new(
                    format!("連絡`{}`(宛先`{to}`)が行われなかった", c.task),
                    format!("chain step `{}` (to `{to}`) was not done", c.task),
                ),
            });
        }
        let mut timeline = Vec::new();
        for (i, s) in doc.attack_steps.iter().enumerate() {
            timeline.push(TimelineEntry {
                minute: self.times.step_start.get(i).copied().unwrap_or(0),
                kind: TimelineKind::Attack,
                subject: s.id.to_string(),
                text: Text::new(
                    format!("攻撃: {} ({})", s.name.get(Lang::Ja), s.technique),
                    format!("attack: {} ({})", s.name.get(Lang::En), s.technique),
                ),
            });
        }
        for inj in &doc.injects {
            timeline.push(TimelineEntry {
                minute: inj.at_minute.into(),
                kind: TimelineKind::Inject,
                subject: inj.id.to_string(),
                text: Text::new(
                    format!("インジェクト({}→{}): {}", inj.from, inj.to, inj.message.get(Lang::Ja)),
                    format!("inject ({} → {}): {}", inj.from, inj.to, inj.message.get(Lang::En)),
                ),
            });
        }
        for &(minute, t, k) in &log.entries {
            let (Some(task), Some(e)) = (doc.tasks.get(t), log.log.entries.get(k)) else { continue };
            let by = e.by.as_deref().unwrap_or("-");
            let to = e.to.as_ref().map(|a| format!(" → {a}")).unwrap_or_default();
            timeline.push(TimelineEntry {
                minute,
                kind: TimelineKind::Action,
                subject: task.id.to_string(),
                text: Text::new(
                    format!("チーム({by}): {}{to}", task.name.get(Lang::Ja)),
                    format!("team ({by}): {}{to}", task.name.get(Lang::En)),
                ),
            });
        }
        timeline.sort_by(|a, b| (a.minute, a.kind, &a.subject).cmp(&(b.minute, b.kind, &b.subject)));
        AfterActionReport {
            format_version: ismap_model::DocumentVersion::current(),
            scenario: doc.id.clone(),
            title: doc.title.clone(),
            course: doc.course,
            team: log.log.team.clone(),
            score,
            strengths,
            improvements,
            timeline,
        }
    }
}

impl AfterActionReport {
    /// The report as GitHub-flavoured Markdown in one language.
    #[must_use]
    pub fn to_markdown(&self, lang: Lang) -> String {
        let ja = lang == Lang::Ja;
        let l = |j: &'static str, e: &'static str| if ja { j } else { e };
        let s = &self.score;
        let mut out = String::new();
        let _ = writeln!(out, "# {}: {}\n", l("事後レビュー報告書", "After-action report"), self.title.get(lang));
        let _ =
            writeln!(out, "- {}: `{}` ({})", l("シナリオ", "Scenario"), self.scenario, self.course.name().get(lang));
        let members = self
            .team
            .members
            .iter()
            .map(|m| format!("{} ({}, {})", m.name, m.role.name().get(lang), m.organisation))
            .collect::<Vec<_>>()
            .join(", ");
        let _ = writeln!(out, "- {}: {} — {members}", l("チーム", "Team"), self.team.name);
        let verdict = if s.passed { l("合格", "passed") } else { l("不合格", "not passed") };
        let _ = writeln!(
            out,
            "- {}: {} / {} ({} {}) — **{verdict}**",
            l("得点", "Score"),
            s.total,
            s.max,
            l("合格点", "pass mark"),
            s.pass_score
        );
        let mins = |m: Option<u64>| m.map_or_else(|| "-".to_owned(), |m| format!("{m} {}", l("分", "min")));
        let _ = writeln!(out, "- {}: {}", l("検知までの時間", "Time to detect"), mins(s.time_to_detect));
        let _ = writeln!(out, "- {}: {}\n", l("封じ込めまでの時間", "Time to contain"), mins(s.time_to_contain));

        let _ = writeln!(out, "## {}\n", l("タスク", "Tasks"));
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |\n|---|---|---|---|---|",
            l("タスク", "Task"),
            l("結果", "Status"),
            l("実施", "Done"),
            l("時間枠", "Window"),
            l("得点", "Points")
        );
        for t in &s.tasks {
            let done = t.done_at.map_or_else(|| "-".to_owned(), t_plus);
            let _ = writeln!(
                out,
                "| {} | {} | {done} | {}–{} | {}/{} |",
                md(t.name.get(lang)),
                t.status.name().get(lang),
                t_plus(t.window.start_minute.into()),
                t_plus(t.window.end_minute.into()),
                t.points,
                t.max_points
            );
        }
        if !s.chain.is_empty() {
            let _ = writeln!(out, "\n## {}\n", l("エスカレーションと報告", "Escalation and reporting"));
            let _ = writeln!(
                out,
                "| # | {} | {} | {} | {} | {} |\n|---|---|---|---|---|---|",
                l("タスク", "Task"),
                l("宛先(期待)", "Expected to"),
                l("宛先(実際)", "Actual to"),
                l("時刻", "At"),
                l("結果", "Status")
            );
            for (k, c) in s.chain.iter().enumerate() {
                let opt = |a: &Option<crate::ActorId>| a.as_ref().map_or_else(|| "-".to_owned(), |a| format!("`{a}`"));
                let _ = writeln!(
                    out,
                    "| {} | `{}` | {} | {} | {} | {} |",
                    k + 1,
                    c.task,
                    opt(&c.expected_to),
                    opt(&c.actual_to),
                    c.at.map_or_else(|| "-".to_owned(), t_plus),
                    c.status.name().get(lang)
                );
            }
            let _ = writeln!(out, "\n{}: {}/{}", l("連絡経路の得点", "Chain points"), s.chain_points, s.chain_max);
        }
        for (title, items) in [
            (l("良かった点", "Strengths"), &self.strengths),
            (l("改善点", "Areas for improvement"), &self.improvements),
        ] {
            let _ = writeln!(out, "\n## {title}\n");
            if items.is_empty() {
                let _ = writeln!(out, "- {}", l("なし", "none"));
            }
            for i in items {
                let _ = writeln!(out, "- {}", i.get(lang));
            }
        }
        let _ = writeln!(out, "\n## {}\n", l("タイムライン", "Timeline"));
        let _ = writeln!(out, "| {} | {} |\n|---|---|", l("時刻", "Time"), l("出来事", "Event"));
        for e in &self.timeline {
            let _ = writeln!(out, "| {} | {} |", t_plus(e.minute), md(e.text.get(lang)));
        }
        out
    }
}

fn md(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}
