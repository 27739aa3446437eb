//! The conformance rules, each with a stable id, a default severity, a bilingual title and the
//! public source of the fact it encodes (the Control Criteria, the ISMAP FAQ, the Digital Agency).

use std::fmt;

use ismap_model::{EffectiveRange, ISMAP_REGULATIONS_EFFECTIVE, LIU_START, Text};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::Severity;

/// A conformance rule. Serialized as its stable kebab-case id (e.g. `reason-missing`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Rule {
    /// Governance and management items are all mandatory: each must be selected (or inherited).
    /// Source: CC-EN-2022 §2.2.4.
    RequiredItemNotSelected,
    /// Every control objective (3-digit) is selected or excluded with a reason.
    /// Source: CC-EN-2022 §2.2.4, ISMAP FAQ KB0010527.
    ObjectiveNotAddressed,
    /// Exclusions and non-selections carry a non-empty reason (the reason itself is not assessed).
    /// Source: CC-EN-2022 §2.2.4.
    ReasonMissing,
    /// `.B`/`.PB` detailed controls are selected unless their objective is excluded.
    /// Source: CC-EN-2022 §2.1, §2.2.4.
    BasicRequirementNotSelected,
    /// Every optional detailed control the catalog lists is selected, or not selected with a
    /// reason (non-selection reasons are given per detailed control). Structure-only catalogs
    /// list few or none, so the rule mostly bites against complete ones.
    /// Source: CC-EN-2022 §2.2.4; ITmedia (3P) on per-control reasons.
    DetailedControlUnaddressed,
    /// Every selected detailed control, and every selected mandatory item without detailed
    /// controls, describes at least one individual control (個別管理策).
    /// Source: CC-EN-2022 §2.2.4.
    IndividualControlMissing,
    /// Controls may be inherited only from an underlying service named in the scope that has an
    /// ISMAP registration number. Source: CC-EN-2022 §2.2.2, §2.2.4.
    InheritanceUnregistered,
    /// Only controls-criteria items (Chapter 5) can be inherited from an underlying service:
    /// governance and management items (Chapters 3 and 4) belong to the provider's own
    /// organisation. Read from Control Criteria §2.2.2 and §2.2.4: what an ISMAP-registered
    /// underlying service lets the provider omit is the assessment of *controls implemented by
    /// that service*, while §2.2.4 makes every governance and management item the provider's
    /// own, mandatory in principle.
    InheritanceNotApplicable,
    /// Every underlying service the statement inherits from is itself validly on the cloud
    /// service list on the date checked (Control Criteria §2.2.2, §2.2.4). Checked only when the
    /// assessment is given a registry ([`crate::Assessment::with_listings`]).
    UnderlyingServiceNotListed,
    /// A detailed control cannot be selected under an objective the statement excludes, whether
    /// or not the catalog lists the control: its objective follows from its id.
    /// Source: CC-EN-2022 §2.2.4 (exclusion applies to the objective and its controls).
    SelectedUnderExcludedObjective,
    /// Only control objectives of the controls criteria may be excluded; detailed controls are
    /// "not selected" and governance/management items cannot be left out.
    /// Source: CC-EN-2022 §2.2.4.
    ExclusionNotAllowed,
    /// Domains and categories are headings, not selectable items. Source: CC-EN-2022 §2.1, §2.2.4.
    NotSelectable,
    /// The id is not in the catalog: an error against a complete catalog. A structure-only
    /// catalog lists every domain, category and objective, and every governance and management
    /// item, but omits the optional detailed controls of the controls criteria (Control Criteria
    /// Attached table 3): an unknown detailed control under a known controls-criteria objective
    /// is a warning, any other unknown id (`99.1.1.1`, `5.1.3`) an error.
    UnknownControl,
    /// The same item appears more than once in the statement.
    DuplicateSelection,
    /// An item marked unanswered (by a migration to a newer criteria revision) must be answered:
    /// selected, not selected with a reason, excluded with a reason, or inherited.
    /// Source: Control Criteria §2.2.4 (every item is addressed).
    ItemUnanswered,
    /// The assessment period is 3 to 12 months long.
    /// Source: CC-EN-2022 §2.2.5.
    AssessmentPeriodLength,
    /// A renewal's assessment period starts the day after the previous one ended.
    /// Source: CC-EN-2022 §2.2.5.
    AssessmentPeriodNotContiguous,
    /// A change to an individual control falls inside the assessment period, in date order.
    /// Source: CC-EN-2022 §2.2.4 (before/after content and the periods each applied).
    ChangeOutsidePeriod,
    /// Warning: a selected control objective with no detailed control selected under it
    /// (choosing controls is risk-based; ISMAP FAQ KB0010527).
    ObjectiveWithoutDetailedControl,
    /// The statement targets another version of the criteria than the catalog assessed against.
    CatalogVersionMismatch,
    /// ISMAP-LIU admits SaaS only. Source: Digital Agency LIU page.
    ProgramNotAdmitted,
    /// The statement's program differs from the baseline's.
    BaselineProgramMismatch,
    /// The statement names its representative (name and position).
    /// Source: Control Criteria §2.2 (statement contents); ITmedia: a representative with final responsibility.
    RepresentativeMissing,
    /// An optional item an agency requires is not selected.
    AgencyControlNotSelected,
    /// An agency requirement has no response with at least one individual control.
    AgencyRequirementUnaddressed,
    /// Warning: a response to a requirement no agency document defines.
    UnknownAgencyRequirement,
}

impl Rule {
    /// Every rule, in documentation order.
    pub const ALL: [Self; 26] = [
        Self::RequiredItemNotSelected,
        Self::ObjectiveNotAddressed,
        Self::ReasonMissing,
        Self::BasicRequirementNotSelected,
        Self::DetailedControlUnaddressed,
        Self::IndividualControlMissing,
        Self::InheritanceUnregistered,
        Self::InheritanceNotApplicable,
        Self::UnderlyingServiceNotListed,
        Self::SelectedUnderExcludedObjective,
        Self::ExclusionNotAllowed,
        Self::NotSelectable,
        Self::UnknownControl,
        Self::DuplicateSelection,
        Self::ItemUnanswered,
        Self::AssessmentPeriodLength,
        Self::AssessmentPeriodNotContiguous,
        Self::ChangeOutsidePeriod,
        Self::ObjectiveWithoutDetailedControl,
        Self::CatalogVersionMismatch,
        Self::ProgramNotAdmitted,
        Self::BaselineProgramMismatch,
        Self::RepresentativeMissing,
        Self::AgencyControlNotSelected,
        Self::AgencyRequirementUnaddressed,
        Self::UnknownAgencyRequirement,
    ];

    /// The stable id, e.g. `reason-missing`.
    #[must_use]
    pub const fn id(self) -> &'static str {
        match self {
            Self::RequiredItemNotSelected => "required-item-not-selected",
            Self::ObjectiveNotAddressed => "objective-not-addressed",
            Self::ReasonMissing => "reason-missing",
            Self::BasicRequirementNotSelected => "basic-requirement-not-selected",
            Self::DetailedControlUnaddressed => "detailed-control-unaddressed",
            Self::IndividualControlMissing => "individual-control-missing",
            Self::InheritanceUnregistered => "inheritance-unregistered",
            Self::InheritanceNotApplicable => "inheritance-not-applicable",
            Self::UnderlyingServiceNotListed => "underlying-service-not-listed",
            Self::SelectedUnderExcludedObjective => "selected-under-excluded-objective",
            Self::ExclusionNotAllowed => "exclusion-not-allowed",
            Self::NotSelectable => "not-selectable",
            Self::UnknownControl => "unknown-control",
            Self::DuplicateSelection => "duplicate-selection",
            Self::ItemUnanswered => "item-unanswered",
            Self::AssessmentPeriodLength => "assessment-period-length",
            Self::AssessmentPeriodNotContiguous => "assessment-period-not-contiguous",
            Self::ChangeOutsidePeriod => "change-outside-period",
            Self::ObjectiveWithoutDetailedControl => "objective-without-detailed-control",
            Self::CatalogVersionMismatch => "catalog-version-mismatch",
            Self::ProgramNotAdmitted => "program-not-admitted",
            Self::BaselineProgramMismatch => "baseline-program-mismatch",
            Self::RepresentativeMissing => "representative-missing",
            Self::AgencyControlNotSelected => "agency-control-not-selected",
            Self::AgencyRequirementUnaddressed => "agency-requirement-unaddressed",
            Self::UnknownAgencyRequirement => "unknown-agency-requirement",
        }
    }

    /// The default severity (`UnknownControl` is downgraded to a warning for structure-only catalogs).
    #[must_use]
    pub const fn severity(self) -> Severity {
        match self {
            Self::ObjectiveWithoutDetailedControl | Self::UnknownAgencyRequirement => Severity::Warning,
            _ => Severity::Error,
        }
    }

    /// Where the rule comes from: the public documents.
    #[must_use]
    pub const fn source(self) -> &'static str {
        match self {
            Self::RequiredItemNotSelected | Self::DetailedControlUnaddressed => "Control Criteria §2.2.4",
            Self::ObjectiveNotAddressed | Self::ObjectiveWithoutDetailedControl => {
                "Control Criteria §2.2.4; ISMAP FAQ KB0010527"
            }
            Self::ReasonMissing | Self::ExclusionNotAllowed | Self::ItemUnanswered => "Control Criteria §2.2.4",
            Self::BasicRequirementNotSelected | Self::NotSelectable => "Control Criteria §2.1, §2.2.4",
            Self::IndividualControlMissing | Self::SelectedUnderExcludedObjective => "Control Criteria §2.2.4",
            Self::InheritanceUnregistered | Self::InheritanceNotApplicable | Self::UnderlyingServiceNotListed => {
                "Control Criteria §2.2.2, §2.2.4"
            }
            Self::UnknownControl | Self::DuplicateSelection | Self::CatalogVersionMismatch => {
                "Control Criteria Chapters 3-5, Attached table 3 (catalog consistency)"
            }
            Self::AssessmentPeriodLength => "Control Criteria §2.2.5; Civil Code arts. 140, 143",
            Self::AssessmentPeriodNotContiguous => "Control Criteria §2.2.5",
            Self::ChangeOutsidePeriod => "Control Criteria §2.2.4; ISMAP FAQ KB0010866",
            Self::ProgramNotAdmitted => "Digital Agency ISMAP-LIU page",
            Self::BaselineProgramMismatch => "baseline consistency",
            Self::RepresentativeMissing => "Control Criteria §2.2 (statement contents)",
            Self::AgencyControlNotSelected | Self::AgencyRequirementUnaddressed | Self::UnknownAgencyRequirement => {
                "agency additional requirements"
            }
        }
    }

    /// The days the rule is in force: from the day the ISMAP regulations took effect
    /// (2020-06-03, Control Criteria revision table), or for the ISMAP-LIU rule from the day
    /// ISMAP-LIU began (2022-11-01, Digital Agency). The content that changed between criteria
    /// revisions is in the catalog revisions ([`crate::Catalog::revisions`]), not in the rules.
    #[must_use]
    pub const fn effective(self) -> EffectiveRange {
        match self {
            Self::ProgramNotAdmitted => EffectiveRange::starting(LIU_START),
            _ => EffectiveRange::starting(ISMAP_REGULATIONS_EFFECTIVE),
        }
    }

    /// A one-line description in both languages.
    #[must_use]
    pub fn title(self) -> Text {
        let (ja, en) = match self {
            Self::RequiredItemNotSelected => (
                "ガバナンス基準・マネジメント基準の項目はすべて選択する",
                "Every governance and management item is selected",
            ),
            Self::ObjectiveNotAddressed => (
                "統制目標はすべて選択するか、理由を付して除外する",
                "Every control objective is selected or excluded with a reason",
            ),
            Self::ReasonMissing => ("除外・非選択には理由を記載する", "Exclusions and non-selections state a reason"),
            Self::BasicRequirementNotSelected => (
                "B/PB 詳細管理策は統制目標を除外しない限り選択する",
                "B/PB detailed controls are selected unless their objective is excluded",
            ),
            Self::DetailedControlUnaddressed => (
                "選択しない詳細管理策には理由を記載する",
                "Every listed detailed control is selected or given a reason",
            ),
            Self::IndividualControlMissing => {
                ("選択した管理策には個別管理策を記載する", "Selected controls describe at least one individual control")
            }
            Self::InheritanceUnregistered => (
                "継承は登録番号を持つ基盤サービスからのみ",
                "Controls are inherited only from a registered underlying service",
            ),
            Self::InheritanceNotApplicable => (
                "継承できるのは管理策基準の項目のみ（ガバナンス・マネジメント基準は事業者自身が実施）",
                "Only controls-criteria items can be inherited; governance and management are the provider's own",
            ),
            Self::UnderlyingServiceNotListed => (
                "継承元の基盤サービスは当日クラウドサービスリストに有効に登録されている",
                "Underlying services inherited from are validly listed on the date",
            ),
            Self::SelectedUnderExcludedObjective => (
                "除外した統制目標の詳細管理策は選択できない",
                "No detailed control is selected under an excluded objective",
            ),
            Self::ExclusionNotAllowed => (
                "除外できるのは管理策基準の統制目標のみ",
                "Only control objectives of the controls criteria can be excluded",
            ),
            Self::NotSelectable => ("領域・カテゴリは選択対象ではない", "Domains and categories are not selectable"),
            Self::UnknownControl => (
                "管理基準にない ID（構造のみのカタログでは未掲載の詳細管理策に限り警告）",
                "Id not in the catalog (structure-only catalog: a warning for an unlisted detailed control)",
            ),
            Self::DuplicateSelection => ("同じ項目の重複記載", "Item listed more than once"),
            Self::ItemUnanswered => ("未回答の項目（改訂で追加）に回答する", "Items marked unanswered are answered"),
            Self::AssessmentPeriodLength => ("監査対象期間は3か月以上1年以内", "Assessment period is 3 to 12 months"),
            Self::AssessmentPeriodNotContiguous => (
                "更新時の監査対象期間は前回終了日の翌日から",
                "A renewal's period starts the day after the previous one ended",
            ),
            Self::ChangeOutsidePeriod => (
                "個別管理策の変更日は監査対象期間内かつ日付順",
                "Individual-control changes fall inside the period, in date order",
            ),
            Self::ObjectiveWithoutDetailedControl => {
                ("詳細管理策が一つも選択されていない統制目標", "Selected objective with no detailed control selected")
            }
            Self::CatalogVersionMismatch => {
                ("言明書が対象とする管理基準の版が異なる", "Statement targets another catalog version")
            }
            Self::ProgramNotAdmitted => ("ISMAP-LIU は SaaS のみ", "ISMAP-LIU admits SaaS only"),
            Self::BaselineProgramMismatch => ("制度とベースラインの不一致", "Program does not match the baseline"),
            Self::RepresentativeMissing => {
                ("代表者の氏名・役職を記載する", "Representative's name and position are given")
            }
            Self::AgencyControlNotSelected => {
                ("府省庁が求める管理策が選択されていない", "Control required by an agency is not selected")
            }
            Self::AgencyRequirementUnaddressed => {
                ("府省庁の追加要件への対応が記載されていない", "Agency requirement has no response")
            }
            Self::UnknownAgencyRequirement => {
                ("どの府省庁文書にもない追加要件への回答", "Response to an undefined agency requirement")
            }
        };
        Text::new(ja, en)
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}
