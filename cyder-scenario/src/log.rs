//! A team's timestamped action log, and its check against a scenario.

use chrono::NaiveDateTime;
use ismap_model::Text;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::course::{MAX_TEAM_MEMBERS, Team};
use crate::doc::FormatVersion;
use crate::id::{ActorId, ScenarioId, TaskId};
use crate::issue::{InvalidDocumentError, Issue, IssueCode};
use crate::scenario::Scenario;

/// What a team did during a run, as recorded by its recorder or the exercise platform.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ActionLog {
    /// Format version (1).
    pub version: FormatVersion,
    /// The scenario played.
    pub scenario: ScenarioId,
    /// The team.
    pub team: Team,
    /// When the hands-on exercise started (minute 0 of the scenario), local time.
    #[serde(deserialize_with = "ismap_model::strict::local_date_time")]
    #[schemars(extend("pattern" = ismap_model::strict::LOCAL_DATE_TIME_PATTERN))]
    pub started_at: NaiveDateTime,
    /// Actions in any order.
    #[serde(default)]
    pub entries: Vec<LogEntry>,
}

/// One action of the team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LogEntry {
    /// When it was done, local time.
    #[serde(deserialize_with = "ismap_model::strict::local_date_time")]
    #[schemars(extend("pattern" = ismap_model::strict::LOCAL_DATE_TIME_PATTERN))]
    pub at: NaiveDateTime,
    /// The scenario task it accomplishes.
    pub task: TaskId,
    /// The member who did it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// Who the message went to (warnings, escalations, reports).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<ActorId>,
    /// A note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
}

/// A log whose entries all name tasks and actors of the scenario, as minutes from the start.
#[derive(Debug, Clone)]
pub struct CheckedLog {
    pub(crate) log: ActionLog,
    /// (minute, task index, entry index), sorted by minute then entry order.
    pub(crate) entries: Vec<(u64, usize, usize)>,
}

impl CheckedLog {
    /// The log.
    #[must_use]
    pub const fn log(&self) -> &ActionLog {
        &self.log
    }
}

impl ActionLog {
    /// Checks the log against `scenario`, reporting every problem at once.
    ///
    /// # Errors
    /// When the team has more than [`MAX_TEAM_MEMBERS`] members, the log names another scenario,
    /// or an entry names an unknown task, actor or member, or is timed before the start.
    pub fn check(self, scenario: &Scenario) -> Result<CheckedLog, InvalidDocumentError> {
        let mut issues = Vec::new();
        let doc = scenario.document();
        if self.scenario != doc.id {
            issues.push(Issue::error(
                IssueCode::ScenarioMismatch,
                "$.scenario",
                vec![self.scenario.to_string(), doc.id.to_string()],
                Text::new(
                    format!("ログはシナリオ`{}`のものですが、対象は`{}`です", self.scenario, doc.id),
                    format!("the log is for scenario `{}`, not `{}`", self.scenario, doc.id),
                ),
            ));
        }
        let size = self.team.members.len();
        if size > MAX_TEAM_MEMBERS || size == 0 {
            issues.push(Issue::error(
                IssueCode::TeamTooLarge,
                "$.team.members",
                vec![self.team.name.clone(), size.to_string()],
                Text::new(
                    format!("チーム`{}`は{size}名です(1〜{MAX_TEAM_MEMBERS}名)", self.team.name),
                    format!("team `{}` has {size} members (CYDER teams have 1 to {MAX_TEAM_MEMBERS})", self.team.name),
                ),
            ));
        }
        let mut entries = Vec::with_capacity(self.entries.len());
        for (k, e) in self.entries.iter().enumerate() {
            let task = scenario.task_index(&e.task);
            if task.is_none() {
                issues.push(Issue::error(
                    IssueCode::UnresolvedReference,
                    format!("$.entries[{k}].task"),
                    vec![e.task.to_string()],
                    Text::new(format!("タスク`{}`が見つかりません", e.task), format!("unknown task `{}`", e.task)),
                ));
            }
            if let Some(to) = &e.to
                && !doc.actors.iter().any(|a| &a.id == to)
            {
                issues.push(Issue::error(
                    IssueCode::UnresolvedReference,
                    format!("$.entries[{k}].to"),
                    vec![to.to_string()],
                    Text::new(format!("関係者`{to}`が見つかりません"), format!("unknown actor `{to}`")),
                ));
            }
            if let Some(by) = &e.by
                && !self.team.members.iter().any(|m| &m.name == by)
            {
                issues.push(Issue::error(
                    IssueCode::UnknownMember,
                    format!("$.entries[{k}].by"),
                    vec![by.clone()],
                    Text::new(
                        format!("`{by}`はチームの一員ではありません"),
                        format!("`{by}` is not a member of the team"),
                    ),
                ));
            }
            let minutes = (e.at - self.started_at).num_minutes();
            let minute = u64::try_from(minutes).ok();
            if minute.is_none() {
                issues.push(Issue::error(
                    IssueCode::EntryBeforeStart,
                    format!("$.entries[{k}].at"),
                    vec![e.at.to_string()],
                    Text::new(
                        format!("{}は演習開始({})より前です", e.at, self.started_at),
                        format!("{} is before the exercise started ({})", e.at, self.started_at),
                    ),
                ));
            }
            if let (Some(t), Some(m)) = (task, minute) {
                entries.push((m, t, k));
            }
        }
        if issues.is_empty() {
            entries.sort_unstable();
            Ok(CheckedLog { log: self, entries })
        } else {
            Err(InvalidDocumentError::new(issues))
        }
    }
}
