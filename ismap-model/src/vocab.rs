//! Small closed vocabularies: criteria parts, programs, service models.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::Text;

/// The three parts of the control criteria (Control Criteria chapters 3, 4 and 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CriteriaPart {
    /// ガバナンス基準 (chapter 3; JIS Q 27014 based). All items mandatory (Control Criteria §2.2.4).
    Governance,
    /// マネジメント基準 (chapter 4; JIS Q 27001 based). All items mandatory (Control Criteria §2.2.4).
    Management,
    /// 管理策基準 (chapter 5, domains 5–18; ISO/IEC 27002:2013 based).
    Controls,
}

impl CriteriaPart {
    /// All parts in document order.
    pub const ALL: [Self; 3] = [Self::Governance, Self::Management, Self::Controls];

    /// The part a domain number belongs to in the 2022-04-01 criteria: 3 governance,
    /// 4 management, 5 to 18 controls (facts §1.1, §1.6). Other numbers belong to no part.
    #[must_use]
    pub const fn of_domain(domain: u16) -> Option<Self> {
        match domain {
            3 => Some(Self::Governance),
            4 => Some(Self::Management),
            5..=18 => Some(Self::Controls),
            _ => None,
        }
    }

    /// Whether every item of the part is mandatory (facts, rule 4: governance and management).
    #[must_use]
    pub const fn all_mandatory(self) -> bool {
        matches!(self, Self::Governance | Self::Management)
    }

    /// The part's name in both languages.
    #[must_use]
    pub fn name(self) -> Text {
        match self {
            Self::Governance => Text::new("ガバナンス基準", "Governance criteria"),
            Self::Management => Text::new("マネジメント基準", "Management criteria"),
            Self::Controls => Text::new("管理策基準", "Controls criteria"),
        }
    }

    /// The snake_case key used in files.
    #[must_use]
    pub const fn key(self) -> &'static str {
        match self {
            Self::Governance => "governance",
            Self::Management => "management",
            Self::Controls => "controls",
        }
    }
}

impl fmt::Display for CriteriaPart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// The assessment program a registration belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
pub enum Program {
    /// ISMAP (政府情報システムのためのセキュリティ評価制度).
    #[serde(rename = "ISMAP")]
    Ismap,
    /// ISMAP-LIU (ISMAP for Low-Impact Use), in operation since 2022-11-01, SaaS only (Digital
    /// Agency ISMAP-LIU page).
    #[serde(rename = "ISMAP-LIU")]
    IsmapLiu,
}

impl Program {
    /// The program's official short name.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Ismap => "ISMAP",
            Self::IsmapLiu => "ISMAP-LIU",
        }
    }

    /// Whether a service of `model` may be registered under the program
    /// (facts, rule 9: ISMAP-LIU is for SaaS only).
    #[must_use]
    pub const fn admits(self, model: ServiceModel) -> bool {
        match self {
            Self::Ismap => true,
            Self::IsmapLiu => matches!(model, ServiceModel::SaaS),
        }
    }
}

impl fmt::Display for Program {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The cloud service model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
pub enum ServiceModel {
    /// Infrastructure as a service.
    IaaS,
    /// Platform as a service.
    PaaS,
    /// Software as a service.
    SaaS,
}

impl fmt::Display for ServiceModel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::IaaS => "IaaS",
            Self::PaaS => "PaaS",
            Self::SaaS => "SaaS",
        })
    }
}
