//! The scenario document: the serde form users write in JSON or YAML, described by a JSON Schema.
//!
//! These structs are checked only for shape (unknown fields are rejected). References between
//! items, cycles and the scoring rules are checked when a document becomes a
//! [`Scenario`](crate::Scenario), which reports every problem at once.

use ismap_model::Text;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::course::{Course, TeamRole};
use crate::id::{ActorId, ArtefactId, HostId, InjectId, ObjectiveId, ScenarioId, SegmentId, StepId, Tactic, TaskId};

/// The version of the scenario and action-log formats (separate from the crate version).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
#[non_exhaustive]
#[repr(u32)]
pub enum FormatVersion {
    /// The first format: steps with AND/OR preconditions, tasks, injects, objectives, a rubric.
    #[default]
    V1 = 1,
}

impl TryFrom<u32> for FormatVersion {
    type Error = String;
    fn try_from(v: u32) -> Result<Self, Self::Error> {
        match v {
            1 => Ok(Self::V1),
            0 => Err("形式バージョン 0 は存在しない。最初の形式は 1 (format version 0 does not exist; the first is 1)"
                .to_owned()),
            other => Err(format!(
                "文書の形式バージョン {other} はこのライブラリが読める最新の 1 より新しい \
                 (document format version {other} is newer than 1, the newest this library reads)"
            )),
        }
    }
}

impl From<FormatVersion> for u32 {
    fn from(v: FormatVersion) -> Self {
        v as Self
    }
}

impl JsonSchema for FormatVersion {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "FormatVersion".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "integer", "enum": [1], "description": "Format version; only 1 exists." })
    }
}

/// A CYDER-style exercise scenario as written in a file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ScenarioDocument {
    /// Format version (1).
    pub version: FormatVersion,
    /// Scenario id.
    pub id: ScenarioId,
    /// Title.
    pub title: Text,
    /// What happens, in a few sentences.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<Text>,
    /// The course the scenario is written for.
    pub course: Course,
    /// Length of the hands-on part in minutes.
    pub duration_minutes: u32,
    /// The simulated network.
    #[serde(default)]
    pub environment: Environment,
    /// Everyone who acts or is contacted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actors: Vec<Actor>,
    /// Traces attack steps leave and defender tasks look at.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub artefacts: Vec<Artefact>,
    /// What the pseudo-attacker does.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attack_steps: Vec<AttackStepDoc>,
    /// What the defending team is expected to do.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tasks: Vec<TaskDoc>,
    /// The master scenario events list (MSEL): timed messages to the team.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub injects: Vec<Inject>,
    /// Learning objectives.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub objectives: Vec<LearningObjective>,
    /// How a run is scored.
    pub scoring: ScoringRubric,
}

/// The simulated network: segments and hosts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Environment {
    /// Network segments.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub segments: Vec<Segment>,
    /// Hosts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hosts: Vec<Host>,
}

/// A network segment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Segment {
    /// Segment id.
    pub id: SegmentId,
    /// Name.
    pub name: Text,
}

/// What a host is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub enum HostRole {
    /// A staff member's PC.
    StaffPc,
    /// A file server.
    FileServer,
    /// A web proxy.
    Proxy,
    /// A mail server.
    Mail,
    /// A public web server.
    Web,
    /// A directory / domain controller.
    DirectoryServer,
    /// A firewall or router.
    Firewall,
    /// A database holding residents' or customers' records.
    Database,
    /// The team's own analysis workstation.
    AnalysisPc,
    /// Anything else.
    Other,
}

/// A host in the environment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Host {
    /// Host id.
    pub id: HostId,
    /// Name.
    pub name: Text,
    /// Role.
    pub role: HostRole,
    /// Segment it sits in.
    pub segment: SegmentId,
}

/// The kind of an actor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub enum ActorKind {
    /// The pseudo-attacker (擬似攻撃者).
    PseudoAttacker,
    /// The defending team.
    Team,
    /// Ordinary staff of the organisation.
    Staff,
    /// The chief information security officer or management.
    Ciso,
    /// A vendor or contractor.
    Vendor,
    /// A monitoring company or SOC.
    MonitoringCompany,
    /// An outside body (prefecture, regulator, police, CSIRT community).
    External,
    /// An exercise controller who delivers injects.
    Controller,
}

/// An actor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Actor {
    /// Actor id.
    pub id: ActorId,
    /// Name.
    pub name: Text,
    /// Kind.
    pub kind: ActorKind,
}

/// The kind of an artefact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub enum ArtefactKind {
    /// A log record (proxy, mail, authentication, file access).
    Log,
    /// An alert from a security product or a monitoring company.
    Alert,
    /// A file (attachment, dropped program, archive).
    File,
    /// An e-mail message.
    Email,
    /// Captured network traffic.
    Traffic,
    /// A report or call from someone (staff, vendor, outside party).
    Report,
}

/// A trace an attack step leaves, or a message an inject delivers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Artefact {
    /// Artefact id.
    pub id: ArtefactId,
    /// Name.
    pub name: Text,
    /// Kind.
    pub kind: ArtefactKind,
    /// Host where it is found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<HostId>,
    /// Minutes after the producing step ends before the artefact can be seen (e.g. log shipping).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub delay_minutes: u32,
}

#[expect(clippy::trivially_copy_pass_by_ref, reason = "serde's skip_serializing_if passes a reference")]
const fn is_zero(v: &u32) -> bool {
    *v == 0
}

/// How the preconditions of a step combine.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum Join {
    /// Every required step must be done (AND).
    #[default]
    All,
    /// One required step is enough (OR).
    Any,
}

impl Join {
    const fn is_all(&self) -> bool {
        matches!(self, Self::All)
    }
}

/// An attack step of the pseudo-attacker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AttackStepDoc {
    /// Step id.
    pub id: StepId,
    /// Name.
    pub name: Text,
    /// ATT&CK technique or sub-technique id (`T1566`, `T1566.001`). Read as text so that
    /// validation reports every malformed one at once (semantic check `scenario-validation`).
    pub technique: String,
    /// ATT&CK tactic.
    pub tactic: Tactic,
    /// Steps that must be done first; combined by `join`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requires: Vec<StepId>,
    /// AND (`all`, the default) or OR (`any`) over `requires`.
    #[serde(default, skip_serializing_if = "Join::is_all")]
    pub join: Join,
    /// How long the step takes, in minutes.
    pub duration_minutes: u32,
    /// The step does not start before this minute of the exercise.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub not_before_minute: u32,
    /// The host it acts on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<HostId>,
    /// Artefacts the step leaves behind.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub leaves: Vec<ArtefactId>,
    /// Whether this step is an objective of the attacker (e.g. the data leak).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub goal: bool,
    /// Detail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Text>,
}

/// The kind of a defender task, following the CYDER hands-on flow (MIC overview slide, 2020-05-13:
/// 異常の検知、職員への注意喚起、不審なファイル解析、現状把握、状況のエスカレーション、内部感染の端末、原因の調査、情報漏洩報告)
/// plus isolation, recovery and review from the NICT course description.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub enum TaskKind {
    /// Notice the anomaly (異常の検知).
    Detect,
    /// Warn staff (職員への注意喚起).
    WarnStaff,
    /// Analyse the suspicious file (不審なファイル解析).
    AnalyseFile,
    /// Assess the situation (現状把握).
    AssessSituation,
    /// Escalate to the CISO / management (状況のエスカレーション).
    Escalate,
    /// Find internally infected hosts (内部感染の端末の調査).
    InvestigateHosts,
    /// Find the cause (原因の調査).
    InvestigateCause,
    /// Isolate hosts or block traffic (containment).
    Isolate,
    /// Report the leak (情報漏洩報告).
    Report,
    /// Recover systems.
    Recover,
    /// Review and lessons learned.
    Review,
}

impl TaskKind {
    /// The usual incident-response phase of this kind of task.
    #[must_use]
    pub const fn default_phase(self) -> IrPhase {
        match self {
            Self::Detect
            | Self::AnalyseFile
            | Self::AssessSituation
            | Self::InvestigateHosts
            | Self::InvestigateCause => IrPhase::DetectionAnalysis,
            Self::WarnStaff | Self::Escalate | Self::Report | Self::Isolate | Self::Recover => {
                IrPhase::ContainmentEradicationRecovery
            }
            Self::Review => IrPhase::PostIncident,
        }
    }

    /// The kind in both languages.
    #[must_use]
    pub fn name(self) -> Text {
        let (ja, en) = match self {
            Self::Detect => ("異常の検知", "detect"),
            Self::WarnStaff => ("職員への注意喚起", "warn staff"),
            Self::AnalyseFile => ("不審ファイル解析", "analyse file"),
            Self::AssessSituation => ("現状把握", "assess situation"),
            Self::Escalate => ("エスカレーション", "escalate"),
            Self::InvestigateHosts => ("感染端末の調査", "investigate hosts"),
            Self::InvestigateCause => ("原因の調査", "investigate cause"),
            Self::Isolate => ("隔離・遮断", "isolate"),
            Self::Report => ("報告", "report"),
            Self::Recover => ("復旧", "recover"),
            Self::Review => ("振り返り", "review"),
        };
        Text::new(ja, en)
    }
}

/// An incident-response phase of NIST SP 800-61 Rev. 2 (Preparation; Detection & Analysis;
/// Containment, Eradication & Recovery; Post-Incident Activity). Rev. 3 (2025) re-expresses these as
/// CSF 2.0 functions; [`IrPhase::csf_functions`] gives the mapping
/// (`shared/reference/exercise-modelling.md` §4.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum IrPhase {
    /// Preparation.
    Preparation,
    /// Detection and analysis.
    DetectionAnalysis,
    /// Containment, eradication and recovery.
    ContainmentEradicationRecovery,
    /// Post-incident activity.
    PostIncident,
}

impl IrPhase {
    /// All phases in order.
    pub const ALL: [Self; 4] =
        [Self::Preparation, Self::DetectionAnalysis, Self::ContainmentEradicationRecovery, Self::PostIncident];

    /// The phase in both languages.
    #[must_use]
    pub fn name(self) -> Text {
        match self {
            Self::Preparation => Text::new("準備", "preparation"),
            Self::DetectionAnalysis => Text::new("検知・分析", "detection & analysis"),
            Self::ContainmentEradicationRecovery => {
                Text::new("封じ込め・根絶・復旧", "containment, eradication & recovery")
            }
            Self::PostIncident => Text::new("事後対応", "post-incident activity"),
        }
    }

    /// The CSF 2.0 functions the phase corresponds to under SP 800-61 Rev. 3.
    #[must_use]
    pub const fn csf_functions(self) -> &'static [&'static str] {
        match self {
            Self::Preparation => &["govern", "identify", "protect"],
            Self::DetectionAnalysis => &["detect"],
            Self::ContainmentEradicationRecovery => &["respond", "recover"],
            Self::PostIncident => &["identify (improvement)"],
        }
    }
}

/// A time window in minutes from the start of the hands-on exercise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TimeWindow {
    /// Earliest expected minute.
    pub start_minute: u32,
    /// Latest minute that still counts as on time.
    pub end_minute: u32,
}

/// A task of the defending team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TaskDoc {
    /// Task id.
    pub id: TaskId,
    /// Name.
    pub name: Text,
    /// Kind.
    pub kind: TaskKind,
    /// Incident-response phase; defaults to the kind's usual phase.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase: Option<IrPhase>,
    /// Artefacts that must all be available before the task can be done.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub needs: Vec<ArtefactId>,
    /// Tasks that must be done first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub after: Vec<TaskId>,
    /// Attack steps the task prevents when done before they start.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub blocks: Vec<StepId>,
    /// When the task is expected to be done.
    pub window: TimeWindow,
    /// How long the task takes once it can start, in minutes.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub duration_minutes: u32,
    /// Who the message goes to, for warnings, escalations and reports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<ActorId>,
    /// The team role expected to do it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<TeamRole>,
    /// Learning objectives the task exercises.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub objectives: Vec<ObjectiveId>,
    /// Points for doing it on time.
    #[serde(default)]
    pub points: u32,
}

/// How an inject reaches the team.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub enum Channel {
    /// E-mail.
    Email,
    /// Telephone.
    Phone,
    /// Chat.
    Chat,
    /// In person.
    InPerson,
    /// A ticket or a written report.
    Ticket,
}

/// Whether an inject is always played or only when play diverges (HSEEP contingency inject).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum InjectKind {
    /// Always played at its time.
    #[default]
    Scripted,
    /// Played by the controller only if the team is stuck.
    Contingency,
}

impl InjectKind {
    const fn is_scripted(&self) -> bool {
        matches!(self, Self::Scripted)
    }
}

/// One row of the master scenario events list (MSEL).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Inject {
    /// Inject id.
    pub id: InjectId,
    /// Minute of the exercise when it is delivered.
    pub at_minute: u32,
    /// Who it comes from.
    pub from: ActorId,
    /// Who receives it.
    pub to: ActorId,
    /// How.
    pub channel: Channel,
    /// The message.
    pub message: Text,
    /// Artefacts it hands to the team (e.g. a monitoring company's report).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub delivers: Vec<ArtefactId>,
    /// The task the team is expected to do in response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_task: Option<TaskId>,
    /// Learning objectives it supports.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub objectives: Vec<ObjectiveId>,
    /// Scripted or contingency.
    #[serde(default, skip_serializing_if = "InjectKind::is_scripted")]
    pub kind: InjectKind,
}

/// A learning objective.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LearningObjective {
    /// Objective id.
    pub id: ObjectiveId,
    /// What the trainee should be able to do.
    pub text: Text,
}

/// How a team's run is scored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ScoringRubric {
    /// Points needed to pass.
    pub pass_score: u32,
    /// Percentage of a task's points kept when it is done late (0–100).
    #[serde(default = "default_late_percent")]
    #[schemars(range(max = 100))]
    pub late_percent: u32,
    /// The escalation and reporting chain: tasks that must be done in this order, each to its
    /// task's `to` recipient (e.g. warn staff → escalate to the CISO → report outside).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub chain: Vec<TaskId>,
    /// Points for following the chain (shared evenly between its links).
    #[serde(default)]
    pub chain_points: u32,
}

const fn default_late_percent() -> u32 {
    50
}
