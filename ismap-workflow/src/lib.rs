//! The ISMAP / ISMAP-LIU registration lifecycle as an event-sourced state machine, with a
//! durable hash-chained journal and the cloud service list projections.
//!
//! - [`Event`]: a typed, timestamped fact with its [`Actor`] (pre-application, audit, application,
//!   review, decision, registration, renewal, control change, incident, withdrawal, revocation,
//!   audit institution listing).
//! - [`Registry::apply`]: the state machine. Each event is checked against the
//!   [`transitions`] table and its guards ([`LifecycleRule`], each citing its source fact);
//!   an illegal event gets a [`RejectedEvent`] naming the state, the event and the rule.
//!   [`WorkflowRules`] holds the parameters of rules whose facts are unverified.
//! - Queries: [`Registry::status`], [`Registry::valid_until`], [`Registry::deadlines`],
//!   [`history`]; projections: [`Registry::cloud_service_list`], [`Registry::may_procure`].
//! - [`JournalStore`]: the durable journal, with [`JsonlJournal`] and [`SqliteJournal`].
//!
//! ```
//! use ismap_workflow::{sample_registry, ListingStatus, ServiceId};
//! let registry = sample_registry()?;
//! let kumo: ServiceId = "kumo-base".parse()?;
//! let on = chrono::NaiveDate::from_ymd_opt(2025, 6, 1).unwrap_or_default();
//! assert_eq!(registry.listing(&kumo, on), ListingStatus::Valid);
//! let due = registry.deadlines(on, on + chrono::Days::new(90));
//! assert_eq!(due.deadlines.len(), 3);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Feature flags
//! - `test-util`: synthetic journal generators ([`synthetic`]) for benchmarks and tests.

mod event;
mod ids;
mod journal;
mod machine;
mod projection;
mod query;
mod registry;
mod rules;
mod sample;
mod settings;
#[cfg(any(test, feature = "test-util"))]
pub mod synthetic;

/// The date and time types used in the public API.
pub use chrono;
pub use event::{
    Actor, CommitteeDecision, EVENT_FORMAT_VERSION, Event, EventKind, EventType, ImpactLevel, InstitutionKind,
    IsmsCertificate, IsmsStandard, RenewalDecision, ReportStage, Role, Subject,
};
pub use ids::{ID_PATTERN, IdError, IncidentId, InstitutionId, ServiceId};
pub use journal::{
    Appended, BadEntry, BatchPos, CHECKPOINT_FORMAT_VERSION, ChainWriter, Checkpoint, CheckpointError, Digest,
    DigestError, EVENT_ID_MAX, EntryProblem, EventId, EventIdError, JOURNAL_FORMAT_VERSION, JournalEntry, JournalError,
    JournalStore, JsonlJournal, LifecycleCheck, NewEvent, OpenOptions, Progress, RefusedEntry, ScanOptions, Skipped,
    SqliteJournal, StoreKind, TailCheck, TornTail, VerifyReport, history, read_lines_unverified, verify_lines,
    verify_lines_with, verify_reader, write_lines,
};
pub use machine::{Machine, State, Transition, to_dot, to_mermaid, transition, transitions};
pub use projection::{
    CloudServiceList, ListEntry, ListFilter, ListingsOn, ProcurementCheck, ProcurementDecision, ProcurementFinding,
};
pub use query::{Deadline, DeadlineKind, Deadlines, ListingStatus, ServiceStatus, ValidUntil};
pub use registry::{
    Applied, Cycle, Ending, Incident, InstitutionRecord, PreApplication, Registration, Registry, RejectedEvent,
    ReplayError, ServiceRecord, Violation,
};
pub use rules::{LifecycleRule, WorkflowRules};
pub use sample::{SAMPLE_JOURNAL, SampleError, sample_as_of, sample_entries, sample_registry};
pub use settings::{Settings, SettingsError};
