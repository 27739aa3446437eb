//! OSCAL 1.2 control mapping collections (`mapping-collection`) and a crosswalk query over them.
//!
//! A mapping collection states how controls (or statements) of a source catalog relate to those
//! of a target catalog: `equivalent-to`, `equal-to`, `subset-of`, `superset-of`,
//! `intersects-with` or `no-relationship`. [`Crosswalk`] answers "which controls of B cover
//! control X of A, and how", in both directions.

use std::collections::BTreeMap;
use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::model::{BackMatter, Link, Metadata, Property, ResponsibleParty, SelectControl};

/// An OSCAL mapping collection.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub struct MappingCollection {
    /// Document identifier.
    pub uuid: String,
    /// Metadata.
    pub metadata: Metadata,
    /// How the mappings were made.
    pub provenance: Provenance,
    /// The mappings, one per source/target pair.
    pub mappings: Vec<Mapping>,
    /// Back matter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub back_matter: Option<BackMatter>,
}

/// How a mapping collection was made.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub struct Provenance {
    /// `human`, `automation` or `hybrid`.
    pub method: String,
    /// `syntactic`, `semantic` or `functional`.
    pub matching_rationale: String,
    /// `complete`, `not-complete`, `draft`, `deprecated` or `superseded`.
    pub status: String,
    /// Confidence in the mappings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence_score: Option<ConfidenceScore>,
    /// Coverage of the targets by the sources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coverage: Option<Coverage>,
    /// Context and intended use (markup-multiline).
    pub mapping_description: String,
    /// Who made the mappings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub responsible_parties: Vec<ResponsibleParty>,
    /// Properties.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Property>,
    /// Links.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    /// Remarks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
}

/// A mapping between a source and a target catalog or profile.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub struct Mapping {
    /// Identifier.
    pub uuid: String,
    /// Overrides the provenance's method.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// Overrides the provenance's matching rationale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matching_rationale: Option<String>,
    /// Overrides the provenance's status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// The source catalog or profile.
    pub source_resource: ResourceReference,
    /// The target catalog or profile.
    pub target_resource: ResourceReference,
    /// The entries.
    pub maps: Vec<Map>,
    /// Properties.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Property>,
    /// Links.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    /// Remarks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
    /// Context of this mapping.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mapping_description: Option<String>,
    /// Source controls not mapped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_gap_summary: Option<GapSummary>,
    /// Target controls not mapped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_gap_summary: Option<GapSummary>,
    /// Confidence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence_score: Option<ConfidenceScore>,
    /// Coverage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coverage: Option<Coverage>,
}

/// A reference to the source or target of a mapping.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub struct ResourceReference {
    /// Namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ns: Option<String>,
    /// `catalog` or `profile`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Where it is (URI reference or `#uuid`).
    pub href: String,
    /// Properties.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Property>,
    /// Links.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    /// Remarks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
}

/// One mapping entry: a relationship between a set of sources and a set of targets.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub struct Map {
    /// Identifier.
    pub uuid: String,
    /// Namespace of the relationship (absent: OSCAL's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ns: Option<String>,
    /// Overrides the matching rationale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matching_rationale: Option<String>,
    /// How the sources relate to the targets.
    pub relationship: Relationship,
    /// Source items.
    pub sources: Vec<MappingItem>,
    /// Target items.
    pub targets: Vec<MappingItem>,
    /// Qualifiers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub qualifiers: Vec<Qualifier>,
    /// Confidence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence_score: Option<ConfidenceScore>,
    /// Coverage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coverage: Option<Coverage>,
    /// Properties.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Property>,
    /// Links.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    /// Remarks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
}

/// A source or target of a map entry.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub struct MappingItem {
    /// `control` or `statement`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The control or statement id.
    pub id_ref: String,
    /// Properties.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Property>,
    /// Links.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    /// Remarks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
}

impl MappingItem {
    /// A control item.
    #[must_use]
    pub fn control(id: impl Into<String>) -> Self {
        Self { kind: "control".to_owned(), id_ref: id.into(), ..Self::default() }
    }
}

/// A requirement or incompatibility qualifying a map entry.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub struct Qualifier {
    /// `source`, `target` or `both`.
    pub subject: String,
    /// `has-requirement` or `has-incompatibility`.
    pub predicate: String,
    /// `restricted`, `addressable` or `blocked`.
    pub category: String,
    /// Description (markup-multiline).
    pub description: String,
    /// Remarks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
}

/// Controls left unmapped.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub struct GapSummary {
    /// Identifier.
    pub uuid: String,
    /// The controls.
    pub unmapped_controls: Vec<SelectControl>,
}

/// Confidence in a mapping: a category and/or a fraction.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub struct ConfidenceScore {
    /// `unspecified`, `high`, `medium`, `low` or other.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// 0 to 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percentage: Option<f64>,
}

/// Coverage of the targets by the sources.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub struct Coverage {
    /// How it was computed (default `arbitrary`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generation_method: Option<String>,
    /// 0 to 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_coverage: Option<f64>,
}

/// How the sources of a map entry relate to its targets.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[non_exhaustive]
pub enum Relationship {
    /// Similar requirements, same effective meaning.
    EquivalentTo,
    /// The same requirements.
    EqualTo,
    /// Every source requirement is in the targets, which ask for more.
    SubsetOf,
    /// The sources ask for everything the targets do, and more.
    SupersetOf,
    /// Some overlap; each asks for something the other does not.
    IntersectsWith,
    /// No overlap.
    #[default]
    NoRelationship,
    /// A relationship of another namespace.
    Other(String),
}

impl Relationship {
    /// The token.
    #[must_use]
    pub fn as_str(&self) -> &str {
        match self {
            Self::EquivalentTo => "equivalent-to",
            Self::EqualTo => "equal-to",
            Self::SubsetOf => "subset-of",
            Self::SupersetOf => "superset-of",
            Self::IntersectsWith => "intersects-with",
            Self::NoRelationship => "no-relationship",
            Self::Other(s) => s,
        }
    }

    /// Parses a token (unknown tokens become [`Relationship::Other`]).
    #[must_use]
    pub fn parse(s: &str) -> Self {
        match s {
            "equivalent-to" => Self::EquivalentTo,
            "equal-to" => Self::EqualTo,
            "subset-of" => Self::SubsetOf,
            "superset-of" => Self::SupersetOf,
            "intersects-with" => Self::IntersectsWith,
            "no-relationship" => Self::NoRelationship,
            other => Self::Other(other.to_owned()),
        }
    }

    /// The relationship read from target to source (`subset-of` <-> `superset-of`).
    #[must_use]
    pub fn inverse(&self) -> Self {
        match self {
            Self::SubsetOf => Self::SupersetOf,
            Self::SupersetOf => Self::SubsetOf,
            other => other.clone(),
        }
    }

    /// How much of a source the targets cover under this relationship.
    #[must_use]
    pub const fn coverage(&self) -> CoverageKind {
        match self {
            Self::EquivalentTo | Self::EqualTo | Self::SubsetOf => CoverageKind::Full,
            Self::SupersetOf | Self::IntersectsWith => CoverageKind::Partial,
            Self::NoRelationship => CoverageKind::None,
            Self::Other(_) => CoverageKind::Unknown,
        }
    }
}

impl fmt::Display for Relationship {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Relationship {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Relationship {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if s.is_empty() {
            return Err(serde::de::Error::custom("empty relationship"));
        }
        Ok(Self::parse(&s))
    }
}

impl JsonSchema for Relationship {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Relationship".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "equivalent-to, equal-to, subset-of, superset-of, intersects-with, no-relationship, or a token of another namespace",
            "minLength": 1
        })
    }
}

/// How much of a source control its targets cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum CoverageKind {
    /// The targets contain every requirement of the source (`equal-to`, `equivalent-to`,
    /// `subset-of`).
    Full,
    /// The targets cover part of the source (`superset-of`, `intersects-with`).
    Partial,
    /// Explicitly unrelated (`no-relationship`).
    None,
    /// A relationship of another namespace.
    Unknown,
}

/// One answer of a crosswalk query.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[non_exhaustive]
pub struct CrosswalkHit {
    /// The mapping the entry belongs to.
    pub mapping_uuid: String,
    /// The map entry.
    pub map_uuid: String,
    /// The queried control's side of the relationship, read from it to `related`.
    pub relationship: String,
    /// How much of the queried control `related` covers.
    pub coverage: CoverageKind,
    /// The items on the queried control's side (it is one of them).
    pub with: Vec<String>,
    /// The items on the other side.
    pub related: Vec<String>,
    /// Confidence, when given on the entry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<ConfidenceScore>,
    /// Qualifier descriptions.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub qualifiers: Vec<String>,
}

/// An index over a mapping collection answering crosswalk queries in both directions.
///
/// ```
/// use ismap_controls::oscal::mapping::{Crosswalk, CoverageKind, MappingCollection};
/// let json = r#"{"mapping-collection":{"uuid":"5d5a2c6e-0a7b-4e0b-9a57-3c9a4b0f5a01",
///   "metadata":{"title":"t","last-modified":"2026-01-01T00:00:00Z","version":"1","oscal-version":"1.2.0"},
///   "provenance":{"method":"human","matching-rationale":"semantic","status":"draft","mapping-description":"d"},
///   "mappings":[{"uuid":"5d5a2c6e-0a7b-4e0b-9a57-3c9a4b0f5a02",
///     "source-resource":{"type":"catalog","href":"a.json"},"target-resource":{"type":"catalog","href":"b.json"},
///     "maps":[{"uuid":"5d5a2c6e-0a7b-4e0b-9a57-3c9a4b0f5a03","relationship":"subset-of",
///       "sources":[{"type":"control","id-ref":"x-1"}],"targets":[{"type":"control","id-ref":"y-9"}]}]}]}}"#;
/// let doc = ismap_controls::oscal::load_mapping_collection_str(json)?;
/// let walk = Crosswalk::new(&doc);
/// let hits = walk.targets_of("x-1");
/// assert_eq!(hits[0].related, ["y-9"]);
/// assert_eq!(hits[0].coverage, CoverageKind::Full);
/// assert_eq!(walk.sources_of("y-9")[0].relationship, "superset-of");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Crosswalk<'a> {
    doc: &'a MappingCollection,
    /// Source id -> (mapping index, map index).
    by_source: BTreeMap<&'a str, Vec<(usize, usize)>>,
    /// Target id -> (mapping index, map index).
    by_target: BTreeMap<&'a str, Vec<(usize, usize)>>,
}

impl<'a> Crosswalk<'a> {
    /// Indexes a collection.
    #[must_use]
    pub fn new(doc: &'a MappingCollection) -> Self {
        let mut by_source: BTreeMap<&str, Vec<(usize, usize)>> = BTreeMap::new();
        let mut by_target: BTreeMap<&str, Vec<(usize, usize)>> = BTreeMap::new();
        for (mi, mapping) in doc.mappings.iter().enumerate() {
            for (ei, map) in mapping.maps.iter().enumerate() {
                for s in &map.sources {
                    by_source.entry(s.id_ref.as_str()).or_default().push((mi, ei));
                }
                for t in &map.targets {
                    by_target.entry(t.id_ref.as_str()).or_default().push((mi, ei));
                }
            }
        }
        Self { doc, by_source, by_target }
    }

    /// Which targets relate to source `id`, and how (relationship read source -> target).
    #[must_use]
    pub fn targets_of(&self, id: &str) -> Vec<CrosswalkHit> {
        self.hits(self.by_source.get(id), false)
    }

    /// Which sources relate to target `id`, and how (relationship read target -> source, so
    /// `subset-of` appears as `superset-of`).
    #[must_use]
    pub fn sources_of(&self, id: &str) -> Vec<CrosswalkHit> {
        self.hits(self.by_target.get(id), true)
    }

    /// The targets that fully cover source `id` (`equal-to`, `equivalent-to`, `subset-of`).
    #[must_use]
    pub fn covering_targets(&self, id: &str) -> Vec<CrosswalkHit> {
        self.targets_of(id).into_iter().filter(|h| h.coverage == CoverageKind::Full).collect()
    }

    /// Every source id, in order.
    pub fn source_ids(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.by_source.keys().copied()
    }

    fn hits(&self, entries: Option<&Vec<(usize, usize)>>, reverse: bool) -> Vec<CrosswalkHit> {
        let Some(entries) = entries else { return Vec::new() };
        entries
            .iter()
            .filter_map(|&(mi, ei)| {
                let mapping = self.doc.mappings.get(mi)?;
                let map = mapping.maps.get(ei)?;
                let ids = |items: &[MappingItem]| items.iter().map(|i| i.id_ref.clone()).collect::<Vec<_>>();
                let (with, related, rel) = if reverse {
                    (ids(&map.targets), ids(&map.sources), map.relationship.inverse())
                } else {
                    (ids(&map.sources), ids(&map.targets), map.relationship.clone())
                };
                Some(CrosswalkHit {
                    mapping_uuid: mapping.uuid.clone(),
                    map_uuid: map.uuid.clone(),
                    relationship: rel.to_string(),
                    coverage: rel.coverage(),
                    with,
                    related,
                    confidence: map.confidence_score.clone(),
                    qualifiers: map.qualifiers.iter().map(|q| q.description.clone()).collect(),
                })
            })
            .collect()
    }
}
