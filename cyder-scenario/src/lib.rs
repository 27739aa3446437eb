#![doc = include_str!("../README.md")]
//!
//! # Modules
//! The crate's surface is flat: documents ([`ScenarioDocument`], [`ActionLog`]), the validated
//! [`Scenario`], analysis results ([`Analysis`]), scoring ([`ScoreCard`], [`AfterActionReport`]),
//! course facts ([`Course`], [`YEARLY_FIGURES`]), loaders ([`load_scenario`]) and the synthetic
//! generator ([`synthetic`]).

mod analysis;
mod course;
mod doc;
mod export;
mod fasthash;
mod flow;
mod id;
mod issue;
mod load;
mod log;
mod navigator;
mod report;
mod scenario;
mod score;
mod svg;
pub mod synthetic;

pub use analysis::{
    Analysis, AnalysisOptions, AttackPaths, BlockingMethod, BlockingSet, ChokePoint, ChokePoints, Coverage, Detection,
    GoalChokePoints, GoalRequiredSteps, GoalStatus, ObjectiveCoverage, PathKind, PhaseCoverage, RequiredSteps,
    Schedule, StepTiming, TacticCoverage, TaskTiming,
};
pub use course::{
    Course, CourseInfo, CourseSessions, FeeClass, FeeSchedule, FlowStage, Level, MAX_TEAM_MEMBERS, Member, Team,
    TeamRole, YEARLY_FIGURES, YearlyFigures,
};
pub use doc::{
    Actor, ActorKind, Artefact, ArtefactKind, AttackStepDoc, Channel, Environment, FormatVersion, Host, HostRole,
    Inject, InjectKind, IrPhase, Join, LearningObjective, ScenarioDocument, ScoringRubric, Segment, TaskDoc, TaskKind,
    TimeWindow,
};
pub use id::{
    ActorId, ArtefactId, HostId, IdError, InjectId, LOCAL_ID_PATTERN, ObjectiveId, ScenarioId, SegmentId, StepId,
    TECHNIQUE_ID_PATTERN, Tactic, TaskId, TechniqueId,
};
pub use issue::{InvalidDocumentError, Issue, IssueCode, Severity, ValidationReport};
pub use load::{
    DEFAULT_SCENARIO_YAML, Format, SAMPLE_LOG_YAML, default_scenario, load_scenario, load_scenario_with,
    parse_document, parse_document_with, parse_log, parse_log_with, sample_log,
};
pub use log::{ActionLog, CheckedLog, LogEntry};
pub use navigator::{
    DETECTED_COLOR, LAYER_FORMAT_VERSION, LayerMetadata, LayerTechnique, LayerVersions, LegendItem, NAVIGATOR_VERSION,
    NavigatorLayer, UNDETECTED_COLOR,
};
pub use report::{AfterActionReport, TimelineEntry, TimelineKind};
pub use scenario::{Scenario, StepGraph, validate};
pub use score::{ChainLinkScore, LinkStatus, ScoreCard, TaskScore, TaskStatus};
