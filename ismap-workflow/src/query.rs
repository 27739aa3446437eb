//! Queries over a replayed registry: a service's status and validity on a date, and the
//! deadlines falling in a window.

use chrono::{Days, NaiveDate};
use ismap_model::{Program, Text};
use schemars::JsonSchema;
use serde::Serialize;

use crate::registry::months_after;
use crate::{Incident, IncidentId, LifecycleRule, Registration, Registry, ServiceId, ServiceRecord, State};

/// Where a service stands with respect to the cloud service list on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum ListingStatus {
    /// Registered and within its validity.
    Valid,
    /// Registered, within its validity, with a renewal application awaiting decision.
    RenewalPending,
    /// Past its expiry date but still valid: a renewal application awaits decision (facts rule 7).
    ValidPendingRenewalDecision,
    /// The registration expired.
    Expired,
    /// Withdrawn by the provider.
    Withdrawn,
    /// Revoked.
    Revoked,
    /// Not registered (never, rejected, or a registration cycle in progress).
    NotRegistered,
}

impl ListingStatus {
    /// Whether the service is on the list (validly registered).
    #[must_use]
    pub const fn is_valid(self) -> bool {
        matches!(self, Self::Valid | Self::RenewalPending | Self::ValidPendingRenewalDecision)
    }

    /// The status in both languages.
    #[must_use]
    pub fn text(self) -> Text {
        let (ja, en) = match self {
            Self::Valid => ("登録", "registered"),
            Self::RenewalPending => ("登録（更新申請中）", "registered, renewal pending"),
            Self::ValidPendingRenewalDecision => {
                ("登録（期限経過・更新審査中）", "registered past expiry, renewal decision pending")
            }
            Self::Expired => ("失効", "expired"),
            Self::Withdrawn => ("取下げ", "withdrawn"),
            Self::Revoked => ("取消", "revoked"),
            Self::NotRegistered => ("未登録", "not registered"),
        };
        Text::new(ja, en)
    }
}

/// Until when a registration is valid, seen from a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(tag = "type", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum ValidUntil {
    /// Valid through this date (the expiry date).
    Date {
        /// The last valid day.
        date: NaiveDate,
    },
    /// Valid until the steering committee decides on the pending renewal; the expiry has passed
    /// or will pass before then (facts rule 7).
    PendingRenewalDecision {
        /// The expiry date the renewal would replace.
        expiry: NaiveDate,
    },
    /// Not valid on the date.
    NotValid,
}

/// A service's status on a date: the `ismap registry status` document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(title = "ISMAP service registration status")]
#[non_exhaustive]
pub struct ServiceStatus {
    /// Format version of this report (1).
    #[serde(rename = "format_version")]
    pub format_version: ismap_model::DocumentVersion<1>,
    /// The service.
    pub service: ServiceId,
    /// The date asked about.
    pub on: NaiveDate,
    /// The lifecycle state on that date.
    pub state: State,
    /// Where it stands with respect to the list.
    pub listing: ListingStatus,
    /// Until when it is valid.
    pub valid_until: ValidUntil,
    /// The program.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub program: Option<Program>,
    /// The service's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<Text>,
    /// The provider's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider: Option<Text>,
    /// The current or last registration.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registration: Option<Registration>,
    /// Incidents with a preliminary but no final report.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub open_incidents: Vec<IncidentId>,
    /// Control changes notified.
    pub control_changes: u32,
    /// The date of the last event.
    pub last_event: NaiveDate,
}

/// What is due.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, JsonSchema)]
#[serde(tag = "type", rename_all = "camelCase", rename_all_fields = "camelCase")]
#[non_exhaustive]
pub enum DeadlineKind {
    /// The audit report (実施結果報告書) for a period, within the configured months of its end
    /// (UNVERIFIED, 3 by default).
    AuditReport {
        /// The period's last day.
        period_end: NaiveDate,
    },
    /// The renewal application, before the registration expires (facts §3.3).
    RenewalApplication {
        /// The expiry date.
        expiry: NaiveDate,
    },
    /// The final incident report (確報), within the configured days of the preliminary one
    /// (UNVERIFIED, 30 by default).
    FinalIncidentReport {
        /// The incident.
        incident: IncidentId,
        /// The preliminary report's date.
        preliminary_on: NaiveDate,
    },
}

impl DeadlineKind {
    /// A short description in both languages.
    #[must_use]
    pub fn text(&self) -> Text {
        match self {
            Self::AuditReport { period_end } => Text::new(
                format!("実施結果報告書（監査対象期間 {period_end} 終了）"),
                format!("audit report (period ended {period_end})"),
            ),
            Self::RenewalApplication { expiry } => {
                Text::new(format!("更新申請（有効期限 {expiry}）"), format!("renewal application (expires {expiry})"))
            }
            Self::FinalIncidentReport { incident, preliminary_on } => Text::new(
                format!("インシデント確報 `{incident}`（速報 {preliminary_on}）"),
                format!("final incident report `{incident}` (preliminary {preliminary_on})"),
            ),
        }
    }
}

/// A deadline for a service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Deadline {
    /// When it is due (the last day).
    pub due: NaiveDate,
    /// The service.
    pub service: ServiceId,
    /// What is due.
    pub kind: DeadlineKind,
    /// Whether the due date is before the window's first day.
    pub overdue: bool,
    /// The rule that sets it.
    pub rule: LifecycleRule,
}

/// The deadlines in a window: the `ismap registry due` document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(title = "ISMAP registration deadlines")]
#[non_exhaustive]
pub struct Deadlines {
    /// Format version of this report (1).
    #[serde(rename = "format_version")]
    pub format_version: ismap_model::DocumentVersion<1>,
    /// The window's first day (the date asked about).
    pub from: NaiveDate,
    /// The window's last day.
    pub until: NaiveDate,
    /// Overdue items first, then by due date.
    pub deadlines: Vec<Deadline>,
}

impl Registry {
    /// Where `service` stands on `date`; `None` for a service the registry has never seen.
    ///
    /// The registry should hold the events up to `date` ([`Registry::replay_until`]); events
    /// after it would show through.
    #[must_use]
    pub fn status(&self, service: &ServiceId, date: NaiveDate) -> Option<ServiceStatus> {
        let rec = self.service(service)?;
        let state = rec.state_on(date);
        let listing = listing_of(rec, date);
        Some(ServiceStatus {
            format_version: ismap_model::DocumentVersion::current(),
            service: service.clone(),
            on: date,
            state,
            listing,
            valid_until: valid_until_of(rec, date),
            program: rec.registration.as_ref().map(|r| r.program).or(rec.program),
            name: rec.cloud_service.as_ref().map(|c| c.name.clone()),
            provider: rec.cloud_service.as_ref().map(|c| c.provider.name.clone()),
            registration: rec.registration.clone(),
            open_incidents: rec
                .incidents
                .iter()
                .filter(|(_, i)| i.final_on.is_none())
                .map(|(k, _)| k.clone())
                .collect(),
            control_changes: rec.control_changes,
            last_event: rec.last_event,
        })
    }

    /// Until when `service`'s registration is valid, seen from `date`.
    #[must_use]
    pub fn valid_until(&self, service: &ServiceId, date: NaiveDate) -> ValidUntil {
        self.service(service).map_or(ValidUntil::NotValid, |r| valid_until_of(r, date))
    }

    /// The listing status of `service` on `date`.
    #[must_use]
    pub fn listing(&self, service: &ServiceId, date: NaiveDate) -> ListingStatus {
        self.service(service).map_or(ListingStatus::NotRegistered, |r| listing_of(r, date))
    }

    /// Deadlines due from `from` to `until` (both inclusive), plus open ones already overdue on
    /// `from`: audit reports, renewal applications and final incident reports.
    #[must_use]
    pub fn deadlines(&self, from: NaiveDate, until: NaiveDate) -> Deadlines {
        let rules = self.rules();
        let mut out = Vec::new();
        for (id, rec) in self.services() {
            let state = rec.state_on(from);
            let mut push = |due: NaiveDate, kind: DeadlineKind, rule| {
                if due <= until {
                    out.push(Deadline { due, service: id.clone(), kind, overdue: due < from, rule });
                }
            };
            let awaiting_report = matches!(
                state,
                State::PeriodDeclared | State::AuditEngaged | State::RenewalPeriodDeclared | State::RenewalAuditEngaged
            );
            if let (true, Some(m), Some(p)) = (awaiting_report, rules.report_due_months, rec.cycle.period)
                && let Some(due) = p.day_after_end().and_then(|d| months_after(d, m))
            {
                push(due, DeadlineKind::AuditReport { period_end: p.end() }, LifecycleRule::ReportDeadline);
            }
            if !state.is_registered() {
                continue;
            }
            if let Some(reg) = rec.registration.as_ref().filter(|_| state != State::RenewalPending) {
                push(
                    reg.expiry,
                    DeadlineKind::RenewalApplication { expiry: reg.expiry },
                    LifecycleRule::RenewalBeforeExpiry,
                );
            }
            // ISMAP-LIU reporting duties apply to incidents recognised from 2024-01-04 (KB0010899);
            // one first reported before then was recognised before then too: no final-report duty.
            let liu = rec.registration.as_ref().is_some_and(|r| r.program == Program::IsmapLiu);
            let duty = |i: &Incident| !liu || LifecycleRule::LiuIncidentReporting.in_force(rules, i.preliminary_on);
            for (incident, i) in rec.incidents.iter().filter(|(_, i)| i.final_on.is_none() && duty(i)) {
                if let Some(due) =
                    i.preliminary_on.checked_add_days(Days::new(u64::from(rules.final_incident_report_days)))
                {
                    push(
                        due,
                        DeadlineKind::FinalIncidentReport {
                            incident: incident.clone(),
                            preliminary_on: i.preliminary_on,
                        },
                        LifecycleRule::FinalAfterPreliminary,
                    );
                }
            }
        }
        out.sort_by(|a, b| (!a.overdue, a.due, &a.service, &a.kind).cmp(&(!b.overdue, b.due, &b.service, &b.kind)));
        Deadlines { format_version: ismap_model::DocumentVersion::current(), from, until, deadlines: out }
    }
}

pub(crate) fn listing_of(rec: &ServiceRecord, date: NaiveDate) -> ListingStatus {
    let state = rec.state_on(date);
    match (state, &rec.registration) {
        (State::RenewalPending, Some(r)) if date > r.expiry => ListingStatus::ValidPendingRenewalDecision,
        (State::RenewalPending, _) => ListingStatus::RenewalPending,
        (s, _) if s.is_registered() => ListingStatus::Valid,
        (State::Expired, _) => ListingStatus::Expired,
        (State::Withdrawn, Some(_)) => ListingStatus::Withdrawn,
        (State::Revoked, _) => ListingStatus::Revoked,
        _ => ListingStatus::NotRegistered,
    }
}

fn valid_until_of(rec: &ServiceRecord, date: NaiveDate) -> ValidUntil {
    match (listing_of(rec, date), &rec.registration) {
        (ListingStatus::Valid, Some(r)) => ValidUntil::Date { date: r.expiry },
        (ListingStatus::RenewalPending | ListingStatus::ValidPendingRenewalDecision, Some(r)) => {
            ValidUntil::PendingRenewalDecision { expiry: r.expiry }
        }
        _ => ValidUntil::NotValid,
    }
}
