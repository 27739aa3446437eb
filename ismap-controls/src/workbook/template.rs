//! The statement template: every item a statement must answer, with what the criteria require.

use std::collections::BTreeMap;

use ismap_model::{ControlId, ControlLevel, CriteriaPart, DocumentVersion, Program, Text};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{AgencyAdditions, Baseline, Catalog, Requirement, RequirementId};

/// What the criteria (and the agencies) require of one item of the template.
///
/// Sources: Control Criteria §2.2.4 (governance and management items are all required; control
/// objectives are required unless excluded with a reason; basic statement requirements `.B`/`.PB`
/// are required unless their objective is excluded; other detailed controls are selected as
/// necessary), and the agency's additional requirements (追加要件), which make optional items
/// required for that agency's procurement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AnswerRequirement {
    /// A governance or management item: always answered, and selected.
    Mandatory,
    /// A control objective: selected, or excluded with a reason.
    MandatoryUnlessExcluded,
    /// A basic statement requirement (`.B`, `.PB`): selected unless its objective is excluded.
    MandatoryUnlessObjectiveExcluded,
    /// An optional detailed control: selected as necessary; not selecting it needs a reason.
    Optional,
    /// An optional item an agency's additional requirements make required.
    AgencyRequired,
}

impl AnswerRequirement {
    /// Whether the item must be answered in every statement (everything but optional items).
    #[must_use]
    pub const fn is_mandatory(self) -> bool {
        !matches!(self, Self::Optional)
    }
}

/// One criteria item of the template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct TemplateItem {
    /// The item's id.
    pub id: ControlId,
    /// Governance, management or controls criteria.
    pub part: CriteriaPart,
    /// Control objective or detailed control.
    pub level: ControlLevel,
    /// Its title in both languages (this project's own words).
    pub title: Text,
    /// What is required of the answer.
    pub requirement: AnswerRequirement,
}

/// One agency requirement of the template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct TemplateAgencyRequirement {
    /// The requirement's id.
    pub id: RequirementId,
    /// The agency.
    pub agency: Text,
    /// What it asks for.
    pub title: Text,
}

/// The catalog a template was made from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct TemplateCatalog {
    /// Its name.
    pub name: Text,
    /// Its version, which a statement names as `catalog_version`.
    pub version: semver::Version,
}

/// Every item a statement must answer: each governance and management item, each control
/// objective, each detailed control the catalog lists, each item and requirement of the agencies'
/// additions. Written as a workbook ([`StatementTemplate::to_xlsx`]), CSV, JSON or TOML.
///
/// ```
/// use ismap_controls::{Baseline, Catalog, workbook::{AnswerRequirement, StatementTemplate}};
/// let t = StatementTemplate::new(Catalog::ismap_2022(), &Baseline::ismap(), &[]);
/// assert_eq!(t.items.len(), 6 + 18 + 21 + 64 + 121 + 31);
/// let first = &t.items[0];
/// assert_eq!((first.id.to_string().as_str(), first.requirement), ("3.1.1", AnswerRequirement::Mandatory));
/// assert!(t.items.iter().all(|i| !i.title.get(ismap_model::Lang::En).is_empty()));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "ISMAP statement template")]
#[non_exhaustive]
pub struct StatementTemplate {
    /// Format version of this document.
    pub format_version: DocumentVersion<1>,
    /// The program the statement is for (from the baseline).
    pub program: Program,
    /// The catalog the items come from.
    pub catalog: TemplateCatalog,
    /// The criteria items, in numeric id order.
    pub items: Vec<TemplateItem>,
    /// The agencies' own requirements, in the order given.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub agency_requirements: Vec<TemplateAgencyRequirement>,
}

impl StatementTemplate {
    /// The template for statements assessed against `catalog`, `baseline` and `additions`.
    /// Items an agency requires that the catalog does not list (optional detailed controls of a
    /// structure-only catalog) are added under their objective, titled after it.
    #[must_use]
    pub fn new(catalog: &Catalog, baseline: &Baseline, additions: &[AgencyAdditions]) -> Self {
        let mut items: BTreeMap<ControlId, TemplateItem> = BTreeMap::new();
        for node in catalog.nodes() {
            let requirement = match node.requirement {
                Requirement::Structural => continue,
                Requirement::Required => AnswerRequirement::Mandatory,
                Requirement::RequiredUnlessExcluded => AnswerRequirement::MandatoryUnlessExcluded,
                Requirement::RequiredUnlessObjectiveExcluded => AnswerRequirement::MandatoryUnlessObjectiveExcluded,
                Requirement::Optional => AnswerRequirement::Optional,
            };
            items.insert(
                node.id,
                TemplateItem {
                    id: node.id,
                    part: node.part,
                    level: node.level,
                    title: catalog.title_of(node),
                    requirement,
                },
            );
        }
        let mut agency_requirements = Vec::new();
        for a in additions {
            for id in &a.require {
                if let Some(item) = items.get_mut(id) {
                    if item.requirement == AnswerRequirement::Optional {
                        item.requirement = AnswerRequirement::AgencyRequired;
                    }
                } else if let Some(part) = CriteriaPart::of_domain(id.domain()) {
                    let title = id
                        .parent()
                        .and_then(|p| catalog.get_by_path(&p.path()))
                        .map(|p| catalog.title_of(p))
                        .map_or_else(
                            || Text::new(format!("項目 {id}"), format!("Item {id}")),
                            |t| {
                                let n = id.serial();
                                Text::new(
                                    format!("{}（詳細管理策 {n}）", t.get(ismap_model::Lang::Ja)),
                                    format!("{}: detailed control {n}", t.get(ismap_model::Lang::En)),
                                )
                            },
                        );
                    items.insert(
                        *id,
                        TemplateItem {
                            id: *id,
                            part,
                            level: id.level(),
                            title,
                            requirement: AnswerRequirement::AgencyRequired,
                        },
                    );
                }
            }
            for r in &a.requirements {
                agency_requirements.push(TemplateAgencyRequirement {
                    id: r.id.clone(),
                    agency: a.agency.clone(),
                    title: r.title.clone(),
                });
            }
        }
        Self {
            format_version: DocumentVersion::current(),
            program: baseline.program,
            catalog: TemplateCatalog { name: catalog.meta().name.clone(), version: catalog.meta().version.clone() },
            items: items.into_values().collect(),
            agency_requirements,
        }
    }

    /// The item with this id.
    #[must_use]
    pub fn item(&self, id: &ControlId) -> Option<&TemplateItem> {
        self.items.binary_search_by(|i| i.id.cmp(id)).ok().and_then(|i| self.items.get(i))
    }
}
