//! Registry projections: the ISMAP and ISMAP-LIU cloud service lists on a date, and whether an
//! agency may procure a service.

use chrono::NaiveDate;
use ismap_controls::{AgencyAdditions, AssessmentReport, ServiceListings, Statement, UnderlyingListing, Verdict};
use ismap_model::{AssessmentPeriod, Lang, Program, RegistrationNumber, ServiceModel, Text};
use schemars::JsonSchema;
use serde::Serialize;

use crate::query::listing_of;
use crate::{InstitutionId, ListingStatus, Registry, ServiceId};

/// Which rows a cloud service list shows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct ListFilter {
    /// Only services whose provider name (either language) contains this, case-insensitively.
    pub provider: Option<String>,
    /// Only services whose name (either language) contains this, case-insensitively.
    pub name: Option<String>,
    /// Only services of this model.
    pub model: Option<ServiceModel>,
    /// Only registrations audited by this institution.
    pub institution: Option<InstitutionId>,
    /// Also show registrations that expired, were withdrawn or were revoked.
    pub include_lapsed: bool,
}

impl ListFilter {
    /// Every valid registration.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }
}

/// One row of a cloud service list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ListEntry {
    /// The registry's service id.
    pub service: ServiceId,
    /// The service's name.
    pub name: Text,
    /// The provider's name.
    pub provider: Text,
    /// IaaS, PaaS or SaaS.
    pub model: ServiceModel,
    /// The registration number.
    pub registration_number: RegistrationNumber,
    /// The first registration date.
    pub registered_on: NaiveDate,
    /// The last renewal date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub renewed_on: Option<NaiveDate>,
    /// The expiry date (last valid day).
    pub expiry: NaiveDate,
    /// The audit institution of the current period.
    pub audit_institution: InstitutionId,
    /// Its name, if listed in the registry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audit_institution_name: Option<Text>,
    /// The assessment period the registration rests on.
    pub assessment_period: AssessmentPeriod,
    /// Where it stands on the list's date.
    pub status: ListingStatus,
}

/// The cloud service list of one program on a date (facts §4): the
/// `ismap registry list` document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(title = "ISMAP cloud service list")]
#[non_exhaustive]
pub struct CloudServiceList {
    /// Format version of this report (1).
    #[serde(rename = "format_version")]
    pub format_version: ismap_model::DocumentVersion<1>,
    /// ISMAP or ISMAP-LIU.
    pub program: Program,
    /// The date of the list.
    pub as_of: NaiveDate,
    /// The rows, by registration number.
    pub entries: Vec<ListEntry>,
}

fn contains(text: &Text, needle: &str) -> bool {
    let needle = needle.to_lowercase();
    [Lang::Ja, Lang::En].iter().any(|l| text.exactly(*l).is_some_and(|s| s.to_lowercase().contains(&needle)))
}

impl Registry {
    /// The cloud service list of `program` on `date`, filtered.
    ///
    /// The registry should hold the events up to `date` ([`Registry::replay_until`]).
    #[must_use]
    pub fn cloud_service_list(&self, program: Program, date: NaiveDate, filter: &ListFilter) -> CloudServiceList {
        let mut entries: Vec<ListEntry> = self
            .services()
            .values()
            .filter_map(|rec| {
                let reg = rec.registration.as_ref().filter(|r| r.program == program)?;
                let cs = rec.cloud_service.as_ref()?;
                let status = listing_of(rec, date);
                let shown = status.is_valid()
                    || (filter.include_lapsed
                        && matches!(
                            status,
                            ListingStatus::Expired | ListingStatus::Withdrawn | ListingStatus::Revoked
                        ));
                let keep = shown
                    && filter.provider.as_deref().is_none_or(|p| contains(&cs.provider.name, p))
                    && filter.name.as_deref().is_none_or(|n| contains(&cs.name, n))
                    && filter.model.is_none_or(|m| m == cs.model)
                    && filter.institution.as_ref().is_none_or(|i| *i == reg.institution);
                keep.then(|| ListEntry {
                    service: rec.id.clone(),
                    name: cs.name.clone(),
                    provider: cs.provider.name.clone(),
                    model: cs.model,
                    registration_number: reg.number.clone(),
                    registered_on: reg.registered_on,
                    renewed_on: reg.renewed_on,
                    expiry: reg.expiry,
                    audit_institution: reg.institution.clone(),
                    audit_institution_name: self.institutions().get(&reg.institution).map(|i| i.name.clone()),
                    assessment_period: reg.period,
                    status,
                })
            })
            .collect();
        entries.sort_by(|a, b| (&a.registration_number, &a.service).cmp(&(&b.registration_number, &b.service)));
        CloudServiceList { format_version: ismap_model::DocumentVersion::current(), program, as_of: date, entries }
    }
}

/// A check made by [`Registry::may_procure`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum ProcurementCheck {
    /// The service is validly registered on the date (facts rules 6 and 7).
    OnList,
    /// The conformance report is for the registered program.
    Program,
    /// The conformance report is conformant.
    Conformant,
    /// The report applied every given agency's additional requirements.
    AgencyAdditionsApplied,
    /// The report's assessment period is the registration's current one.
    Period,
    /// The report names the registered service.
    ServiceName,
    /// ISMAP-LIU registrations are for low-impact use only (facts rule 9).
    LowImpactUseOnly,
    /// Every underlying service the statement inherits from is itself validly listed on the
    /// date (Control Criteria §2.2.2, §2.2.4).
    UnderlyingListed,
}

/// One finding of [`Registry::may_procure`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ProcurementFinding {
    /// The check.
    pub check: ProcurementCheck,
    /// Whether it prevents procurement (otherwise a caution).
    pub blocking: bool,
    /// What was found, in both languages.
    pub message: Text,
}

/// Whether an agency may procure a service on a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(title = "ISMAP procurement decision")]
#[non_exhaustive]
pub struct ProcurementDecision {
    /// Format version of this report (1).
    #[serde(rename = "format_version")]
    pub format_version: ismap_model::DocumentVersion<1>,
    /// The service.
    pub service: ServiceId,
    /// The date.
    pub on: NaiveDate,
    /// Yes when no finding is blocking.
    pub allowed: bool,
    /// The service's listing status on the date.
    pub listing: ListingStatus,
    /// Every finding, blocking ones first.
    pub findings: Vec<ProcurementFinding>,
}

/// The registry's cloud service list on one date, for the conformance engine
/// ([`ismap_controls::Assessment::with_listings`]). From [`Registry::listings_on`].
#[derive(Debug, Clone, Copy)]
pub struct ListingsOn<'a> {
    registry: &'a Registry,
    date: NaiveDate,
}

impl ServiceListings for ListingsOn<'_> {
    fn date(&self) -> NaiveDate {
        self.date
    }

    fn lookup(&self, number: &RegistrationNumber) -> UnderlyingListing {
        match self.registry.service_by_number(number) {
            None => UnderlyingListing::Unknown,
            Some(id) => {
                let listing = self.registry.listing(id, self.date);
                if listing.is_valid() {
                    UnderlyingListing::Listed
                } else {
                    UnderlyingListing::NotListed { status: listing.text() }
                }
            }
        }
    }
}

impl Registry {
    /// The cloud service list on `date` as the conformance engine asks it: which registration
    /// numbers are validly listed. The registry should hold the events up to `date`.
    #[must_use]
    pub const fn listings_on(&self, date: NaiveDate) -> ListingsOn<'_> {
        ListingsOn { registry: self, date }
    }

    /// [`Registry::may_procure`], plus the underlying services `statement` inherits from: each
    /// must itself be validly listed on `date`, or the service may not be procured (a blocking
    /// [`ProcurementCheck::UnderlyingListed`] finding naming the underlying service and its
    /// status).
    #[must_use]
    pub fn may_procure_statement(
        &self,
        service: &ServiceId,
        date: NaiveDate,
        report: &AssessmentReport,
        additions: &[AgencyAdditions],
        statement: &Statement,
    ) -> ProcurementDecision {
        let mut decision = self.may_procure(service, date, report, additions);
        let listings = self.listings_on(date);
        for (_, u) in statement.inherited_underlying() {
            let name = (u.name.get(Lang::Ja), u.name.get(Lang::En));
            let (ja, en) = match u.registration.as_ref().map(|n| (n, listings.lookup(n))) {
                Some((_, UnderlyingListing::Listed)) => continue,
                None => (
                    format!("継承元の基盤サービス「{}」（`{}`）に登録番号がない", name.0, u.key),
                    format!("underlying service `{}` ({}) has no registration number", u.key, name.1),
                ),
                Some((n, UnderlyingListing::NotListed { status })) => (
                    format!(
                        "継承元の基盤サービス「{}」（`{}`、{n}）は {date} に有効に登録されていない（{}）",
                        name.0,
                        u.key,
                        status.get(Lang::Ja)
                    ),
                    format!(
                        "underlying service `{}` ({}, {n}) is not validly listed on {date} ({})",
                        u.key,
                        name.1,
                        status.get(Lang::En)
                    ),
                ),
                Some((n, _)) => (
                    format!("継承元の基盤サービス「{}」（`{}`）の登録番号 {n} は登録簿にない", name.0, u.key),
                    format!(
                        "underlying service `{}` ({}): registration number {n} is not in the registry",
                        u.key, name.1
                    ),
                ),
            };
            decision.findings.push(ProcurementFinding {
                check: ProcurementCheck::UnderlyingListed,
                blocking: true,
                message: Text::new(ja, en),
            });
        }
        decision.findings.sort_by_key(|f| (!f.blocking, f.check));
        decision.allowed = !decision.findings.iter().any(|f| f.blocking);
        decision
    }

    /// Whether an agency applying `additions` may procure `service` on `date`: the service must be
    /// validly registered (registry), and `report` (the ismap-controls assessment of its statement
    /// with those additions) must be conformant, for the registered program and period.
    ///
    /// The registry should hold the events up to `date`.
    #[must_use]
    pub fn may_procure(
        &self,
        service: &ServiceId,
        date: NaiveDate,
        report: &AssessmentReport,
        additions: &[AgencyAdditions],
    ) -> ProcurementDecision {
        let mut findings = Vec::new();
        let mut add = |check, blocking, ja: String, en: String| {
            findings.push(ProcurementFinding { check, blocking, message: Text::new(ja, en) });
        };
        let listing = self.listing(service, date);
        let rec = self.service(service);
        let reg = rec.and_then(|r| r.registration.as_ref()).filter(|_| listing.is_valid());
        match reg {
            None => add(
                ProcurementCheck::OnList,
                true,
                format!(
                    "`{service}` は {date} にクラウドサービスリストに有効に登録されていない（{}）",
                    listing.text().get(Lang::Ja)
                ),
                format!("`{service}` is not validly registered on {date} ({})", listing.text().get(Lang::En)),
            ),
            Some(reg) => {
                if listing == ListingStatus::ValidPendingRenewalDecision {
                    add(
                        ProcurementCheck::OnList,
                        false,
                        format!("有効期限 {} を過ぎているが更新審査中のため有効", reg.expiry),
                        format!("past its expiry {} but valid while the renewal decision is pending", reg.expiry),
                    );
                }
                if report.program != reg.program {
                    add(
                        ProcurementCheck::Program,
                        true,
                        format!("報告書の制度 {} が登録 {} と異なる", report.program, reg.program),
                        format!("the report assesses {} but the registration is {}", report.program, reg.program),
                    );
                }
                if report.period != reg.period {
                    add(
                        ProcurementCheck::Period,
                        false,
                        format!(
                            "報告書の監査対象期間 {}〜{} は登録の期間 {}〜{} と異なる",
                            report.period.start(),
                            report.period.end(),
                            reg.period.start(),
                            reg.period.end()
                        ),
                        format!(
                            "the report's period {}..={} is not the registration's {}..={}",
                            report.period.start(),
                            report.period.end(),
                            reg.period.start(),
                            reg.period.end()
                        ),
                    );
                }
                if reg.program == Program::IsmapLiu {
                    add(
                        ProcurementCheck::LowImpactUseOnly,
                        false,
                        "ISMAP-LIU 登録は影響度が低位の業務・情報に限って利用できる".to_owned(),
                        "an ISMAP-LIU registration covers low-impact use only".to_owned(),
                    );
                }
            }
        }
        if let Some(cs) = rec.and_then(|r| r.cloud_service.as_ref())
            && cs.name != report.service
        {
            add(
                ProcurementCheck::ServiceName,
                false,
                format!("報告書のサービス名「{}」が登録名「{}」と異なる", report.service, cs.name),
                format!("the report names `{}`, the registry `{}`", report.service, cs.name),
            );
        }
        if report.verdict != Verdict::Conformant {
            let errors = report.totals.errors;
            add(
                ProcurementCheck::Conformant,
                true,
                format!("言明書の評価が不適合（エラー {errors} 件）"),
                format!("the statement's assessment is not conformant ({errors} error(s))"),
            );
        }
        for a in additions {
            if !report.agencies.contains(&a.agency) {
                add(
                    ProcurementCheck::AgencyAdditionsApplied,
                    true,
                    format!("報告書は {} の追加要件を適用していない", a.agency.get(Lang::Ja)),
                    format!("the report did not apply the additional requirements of {}", a.agency.get(Lang::En)),
                );
            }
        }
        findings.sort_by_key(|f| (!f.blocking, f.check));
        let allowed = !findings.iter().any(|f| f.blocking);
        ProcurementDecision {
            format_version: ismap_model::DocumentVersion::current(),
            service: service.clone(),
            on: date,
            allowed,
            listing,
            findings,
        }
    }
}
