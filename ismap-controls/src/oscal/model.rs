//! Typed OSCAL 1.x JSON: the metadata and back matter every model shares, the catalog and the
//! profile.
//!
//! The types follow the OSCAL JSON format (kebab-case keys) as a superset of releases 1.0.0
//! to 1.1.x, so that documents of any 1.x release load: fields added in 1.1 (`group` on a
//! property, `resource-fragment` on a link, metadata `actions`) and fields dropped after 1.0
//! (`depends-on` on a parameter) are all accepted and written back. Unknown keys are rejected
//! (`deny_unknown_fields`): the OSCAL JSON schemas close every object, and extensions are made
//! through namespaced properties (`ns`), which round-trip like any other property.
//!
//! Markup (`markup-line`, `markup-multiline`), dates, UUIDs and tokens are kept as the strings
//! they were written as, so that load -> save -> load is lossless. [`super::validate`] checks
//! their formats. Empty arrays are not written (the OSCAL schemas require arrays to have at
//! least one item), so `[]` and an absent key load to the same value.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

// ---------------------------------------------------------------------------------------------
// Shared: metadata, properties, links, back matter
// ---------------------------------------------------------------------------------------------

/// Document metadata (`metadata`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub struct Metadata {
    /// Document title (markup-line).
    pub title: String,
    /// When the document was published (date-time with time zone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// When the document was last modified (date-time with time zone).
    pub last_modified: String,
    /// The document's own version.
    pub version: String,
    /// The OSCAL release the document conforms to.
    pub oscal_version: String,
    /// Revision history.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub revisions: Vec<Revision>,
    /// Other identifiers of the document.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub document_ids: Vec<DocumentId>,
    /// Properties.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Property>,
    /// Links.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    /// Roles.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<Role>,
    /// Locations.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub locations: Vec<Location>,
    /// Parties (persons and organizations).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parties: Vec<Party>,
    /// Which parties hold which roles.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub responsible_parties: Vec<ResponsibleParty>,
    /// Actions taken on the document (OSCAL 1.1).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<Action>,
    /// Remarks (markup-multiline).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
}

impl Metadata {
    /// Metadata with the four required fields.
    #[must_use]
    pub fn new(
        title: impl Into<String>,
        last_modified: impl Into<String>,
        version: impl Into<String>,
        oscal_version: impl Into<String>,
    ) -> Self {
        Self {
            title: title.into(),
            last_modified: last_modified.into(),
            version: version.into(),
            oscal_version: oscal_version.into(),
            ..Self::default()
        }
    }
}

/// One entry of the revision history.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub struct Revision {
    /// Title of this revision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Publication date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// Last modification.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
    /// Version.
    pub version: String,
    /// OSCAL release.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oscal_version: Option<String>,
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

/// A document identifier in some scheme.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub struct DocumentId {
    /// The identification scheme (URI).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheme: Option<String>,
    /// The identifier.
    pub identifier: String,
}

/// A name/value property (`prop`); namespaced properties (`ns`) are OSCAL's extension mechanism.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub struct Property {
    /// Name (token).
    pub name: String,
    /// Identifier of this property.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uuid: Option<String>,
    /// Namespace of the name (URI); absent means OSCAL's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ns: Option<String>,
    /// Value.
    pub value: String,
    /// Class (token).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    /// Group (token; OSCAL 1.1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Remarks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
}

impl Property {
    /// A property without namespace.
    #[must_use]
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        Self { name: name.into(), value: value.into(), ..Self::default() }
    }

    /// A namespaced property.
    #[must_use]
    pub fn with_ns(ns: impl Into<String>, name: impl Into<String>, value: impl Into<String>) -> Self {
        Self { name: name.into(), ns: Some(ns.into()), value: value.into(), ..Self::default() }
    }

    /// Whether this is the `keep: always` marker that protects an object from pruning.
    #[must_use]
    pub fn is_keep_always(&self) -> bool {
        self.name == "keep" && self.value == "always" && self.ns.as_deref().is_none_or(|ns| ns == OSCAL_NS)
    }
}

/// OSCAL's own namespace (the default of `ns`).
pub const OSCAL_NS: &str = "http://csrc.nist.gov/ns/oscal";

/// A link to another resource.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub struct Link {
    /// Target (URI reference; `#id` for an object of the same document).
    pub href: String,
    /// Relation (token).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rel: Option<String>,
    /// Media type of the target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    /// Fragment inside the target resource (OSCAL 1.1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_fragment: Option<String>,
    /// Link text (markup-line).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

impl Link {
    /// A link with a relation.
    #[must_use]
    pub fn new(href: impl Into<String>, rel: Option<&str>) -> Self {
        Self { href: href.into(), rel: rel.map(str::to_owned), ..Self::default() }
    }
}

/// A role parties can hold.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub struct Role {
    /// Identifier (token).
    pub id: String,
    /// Title.
    pub title: String,
    /// Short name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_name: Option<String>,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
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

/// A postal address.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub struct Address {
    /// Address type (e.g. `work`).
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Street lines.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub addr_lines: Vec<String>,
    /// City.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// State or prefecture.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// Postal code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    /// Country code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

/// A telephone number.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub struct TelephoneNumber {
    /// Number type (e.g. `office`).
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The number.
    pub number: String,
}

/// A location.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub struct Location {
    /// Identifier.
    pub uuid: String,
    /// Title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
    /// E-mail addresses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub email_addresses: Vec<String>,
    /// Telephone numbers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub telephone_numbers: Vec<TelephoneNumber>,
    /// Web addresses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub urls: Vec<String>,
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

/// An identifier of a party in another scheme.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub struct ExternalId {
    /// Scheme (URI).
    pub scheme: String,
    /// The identifier.
    pub id: String,
}

/// A person or organization.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub struct Party {
    /// Identifier.
    pub uuid: String,
    /// `person` or `organization`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Short name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_name: Option<String>,
    /// Identifiers in other schemes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub external_ids: Vec<ExternalId>,
    /// Properties.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Property>,
    /// Links.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    /// E-mail addresses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub email_addresses: Vec<String>,
    /// Telephone numbers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub telephone_numbers: Vec<TelephoneNumber>,
    /// Postal addresses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<Address>,
    /// Locations (by uuid).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub location_uuids: Vec<String>,
    /// Organizations the party belongs to (by uuid).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub member_of_organizations: Vec<String>,
    /// Remarks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
}

/// Parties holding a role.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub struct ResponsibleParty {
    /// The role.
    pub role_id: String,
    /// The parties.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub party_uuids: Vec<String>,
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

/// An action taken on the document (OSCAL 1.1).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub struct Action {
    /// Identifier.
    pub uuid: String,
    /// When.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Action type (token).
    #[serde(rename = "type")]
    pub kind: String,
    /// The scheme of `type` (URI).
    pub system: String,
    /// Properties.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Property>,
    /// Links.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    /// Who.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub responsible_parties: Vec<ResponsibleParty>,
    /// Remarks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
}

/// Back matter: resources referenced from the document as `#uuid`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub struct BackMatter {
    /// The resources.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<Resource>,
}

/// A resource of the back matter: a citation, links to copies, or embedded content.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub struct Resource {
    /// Identifier, the target of `#uuid` references.
    pub uuid: String,
    /// Title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Properties.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Property>,
    /// Document identifiers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub document_ids: Vec<DocumentId>,
    /// A bibliographic citation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citation: Option<Citation>,
    /// Where copies of the resource are.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rlinks: Vec<ResourceLink>,
    /// The resource itself, base64-encoded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base64: Option<Base64>,
    /// Remarks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
}

impl Resource {
    /// Whether the resource carries the `keep: always` property.
    #[must_use]
    pub fn is_keep_always(&self) -> bool {
        self.props.iter().any(Property::is_keep_always)
    }
}

/// A citation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub struct Citation {
    /// Citation text (markup-line).
    pub text: String,
    /// Properties.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Property>,
    /// Links.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
}

/// A link to a copy of a resource.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub struct ResourceLink {
    /// Where.
    pub href: String,
    /// Media type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    /// Hashes of the content.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hashes: Vec<Hash>,
}

/// A hash value.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub struct Hash {
    /// Algorithm (e.g. `SHA-256`).
    pub algorithm: String,
    /// Hex value.
    pub value: String,
}

/// Embedded content.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub struct Base64 {
    /// File name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filename: Option<String>,
    /// Media type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    /// The base64 text.
    pub value: String,
}

// ---------------------------------------------------------------------------------------------
// Catalog
// ---------------------------------------------------------------------------------------------

/// An OSCAL catalog (`catalog`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub struct Catalog {
    /// Document identifier.
    pub uuid: String,
    /// Metadata.
    pub metadata: Metadata,
    /// Parameters outside any control ("loose" parameters).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub params: Vec<Parameter>,
    /// Controls outside any group.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub controls: Vec<Control>,
    /// Groups.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<Group>,
    /// Back matter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub back_matter: Option<BackMatter>,
}

impl Catalog {
    /// A catalog with metadata and nothing else.
    #[must_use]
    pub fn new(uuid: impl Into<String>, metadata: Metadata) -> Self {
        Self { uuid: uuid.into(), metadata, ..Self::default() }
    }

    /// Every control, depth first in document order (groups, then nested controls).
    #[must_use]
    pub fn all_controls(&self) -> Vec<&Control> {
        let mut out = Vec::new();
        fn walk_controls<'a>(cs: &'a [Control], out: &mut Vec<&'a Control>) {
            for c in cs {
                out.push(c);
                walk_controls(&c.controls, out);
            }
        }
        fn walk_groups<'a>(gs: &'a [Group], out: &mut Vec<&'a Control>) {
            for g in gs {
                walk_controls(&g.controls, out);
                walk_groups(&g.groups, out);
            }
        }
        walk_controls(&self.controls, &mut out);
        walk_groups(&self.groups, &mut out);
        out
    }

    /// The first control with this id, anywhere in the catalog.
    #[must_use]
    pub fn find_control(&self, id: &str) -> Option<&Control> {
        self.all_controls().into_iter().find(|c| c.id == id)
    }
}

/// A group of controls (e.g. a control family).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub struct Group {
    /// Identifier (token).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Class (token).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    /// Title (markup-line).
    pub title: String,
    /// Parameters.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub params: Vec<Parameter>,
    /// Properties.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Property>,
    /// Links.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    /// Parts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<Part>,
    /// Sub-groups.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<Group>,
    /// Controls.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub controls: Vec<Control>,
}

impl Group {
    /// A group with an id and a title.
    #[must_use]
    pub fn new(id: Option<String>, title: impl Into<String>) -> Self {
        Self { id, title: title.into(), ..Self::default() }
    }
}

/// A control; enhancements are nested controls.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub struct Control {
    /// Identifier (token).
    pub id: String,
    /// Class (token).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    /// Title (markup-line).
    pub title: String,
    /// Parameters.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub params: Vec<Parameter>,
    /// Properties.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Property>,
    /// Links.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    /// Parts (statement, guidance, ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<Part>,
    /// Child controls (enhancements).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub controls: Vec<Control>,
}

impl Control {
    /// A control with an id and a title.
    #[must_use]
    pub fn new(id: impl Into<String>, title: impl Into<String>) -> Self {
        Self { id: id.into(), title: title.into(), ..Self::default() }
    }

    /// The value of the first property with this name and namespace (`None` = OSCAL's).
    #[must_use]
    pub fn prop(&self, name: &str, ns: Option<&str>) -> Option<&str> {
        find_prop(&self.props, name, ns)
    }
}

/// The value of the first property of `props` with this name and namespace.
pub(crate) fn find_prop<'a>(props: &'a [Property], name: &str, ns: Option<&str>) -> Option<&'a str> {
    props.iter().find(|p| p.name == name && p.ns.as_deref() == ns).map(|p| p.value.as_str())
}

/// A part of a control or group: statement, item, guidance, objective...
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub struct Part {
    /// Identifier (token).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Name (token), e.g. `statement`.
    pub name: String,
    /// Namespace of the name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ns: Option<String>,
    /// Class (token).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    /// Title (markup-line).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Properties.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Property>,
    /// Text (markup-multiline).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prose: Option<String>,
    /// Sub-parts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<Part>,
    /// Links.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
}

impl Part {
    /// A part with a name and prose.
    #[must_use]
    pub fn new(id: Option<String>, name: impl Into<String>, prose: Option<String>) -> Self {
        Self { id, name: name.into(), prose, ..Self::default() }
    }
}

/// A parameter.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub struct Parameter {
    /// Identifier (token).
    pub id: String,
    /// Class (token).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    /// Another parameter this one depends on (OSCAL 1.0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub depends_on: Option<String>,
    /// Properties.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Property>,
    /// Links.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    /// Label (markup-line).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Usage (markup-multiline).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<String>,
    /// Constraints.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub constraints: Vec<Constraint>,
    /// Guidelines.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub guidelines: Vec<Guideline>,
    /// Values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
    /// A choice of values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub select: Option<Selection>,
    /// Remarks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
}

impl Parameter {
    /// A parameter with an id and a label.
    #[must_use]
    pub fn new(id: impl Into<String>, label: Option<String>) -> Self {
        Self { id: id.into(), label, ..Self::default() }
    }
}

/// A constraint on a parameter's value.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub struct Constraint {
    /// Description (markup-multiline).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Tests.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tests: Vec<ConstraintTest>,
}

/// A constraint test.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub struct ConstraintTest {
    /// The expression.
    pub expression: String,
    /// Remarks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
}

/// Guidance on a parameter.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub struct Guideline {
    /// Text (markup-multiline).
    pub prose: String,
}

/// A choice of parameter values.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub struct Selection {
    /// How many may be chosen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub how_many: Option<HowMany>,
    /// The choices (markup-line).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub choice: Vec<String>,
}

/// How many choices of a [`Selection`] may be made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum HowMany {
    /// Exactly one.
    One,
    /// One or more.
    OneOrMore,
}

// ---------------------------------------------------------------------------------------------
// Profile
// ---------------------------------------------------------------------------------------------

/// An OSCAL profile (`profile`): imports, merge, modify.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub struct Profile {
    /// Document identifier.
    pub uuid: String,
    /// Metadata.
    pub metadata: Metadata,
    /// What to import.
    pub imports: Vec<Import>,
    /// How to combine and structure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merge: Option<Merge>,
    /// What to change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modify: Option<Modify>,
    /// Back matter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub back_matter: Option<BackMatter>,
}

impl Profile {
    /// A profile with metadata and imports.
    #[must_use]
    pub fn new(uuid: impl Into<String>, metadata: Metadata, imports: Vec<Import>) -> Self {
        Self { uuid: uuid.into(), metadata, imports, ..Self::default() }
    }
}

/// An import of a catalog or profile.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub struct Import {
    /// What to import: a URI reference, relative to the profile, or `#uuid` of a back-matter
    /// resource.
    pub href: String,
    /// Include every control.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub include_all: Option<IncludeAll>,
    /// Include controls by id or pattern.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include_controls: Vec<SelectControl>,
    /// Exclude controls by id or pattern.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude_controls: Vec<SelectControl>,
}

impl Import {
    /// An import of everything in `href`.
    #[must_use]
    pub fn all(href: impl Into<String>) -> Self {
        Self { href: href.into(), include_all: Some(IncludeAll {}), ..Self::default() }
    }

    /// An import of the controls with these ids.
    #[must_use]
    pub fn with_ids(href: impl Into<String>, ids: Vec<String>) -> Self {
        Self { href: href.into(), include_controls: vec![SelectControl::with_ids(ids)], ..Self::default() }
    }
}

/// `include-all`: an empty object.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IncludeAll {}

/// A selection of controls by id or pattern.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub struct SelectControl {
    /// Whether descendant controls come along.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub with_child_controls: Option<YesNo>,
    /// Control ids.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub with_ids: Vec<String>,
    /// Glob patterns on control ids.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub matching: Vec<Matching>,
}

impl SelectControl {
    /// A selection by ids.
    #[must_use]
    pub fn with_ids(ids: Vec<String>) -> Self {
        Self { with_ids: ids, ..Self::default() }
    }
}

/// `yes` or `no`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum YesNo {
    /// Yes.
    Yes,
    /// No.
    No,
}

/// A pattern on control ids.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub struct Matching {
    /// Glob pattern (`*` any run of characters, `?` one character). Absent matches nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
}

impl Matching {
    /// A pattern.
    #[must_use]
    pub fn new(pattern: impl Into<String>) -> Self {
        Self { pattern: Some(pattern.into()) }
    }
}

/// How imported controls are combined and structured.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub struct Merge {
    /// What to do with controls of the same id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub combine: Option<Combine>,
    /// No structure: controls in a flat list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flat: Option<Flat>,
    /// Keep the structure of the imported catalogs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_is: Option<bool>,
    /// A structure given by the profile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom: Option<Custom>,
}

impl Merge {
    /// `as-is: true`.
    #[must_use]
    pub fn as_is() -> Self {
        Self { as_is: Some(true), ..Self::default() }
    }
}

/// The combination rule.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub struct Combine {
    /// The method (default `keep`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<CombineMethod>,
}

impl Combine {
    /// A combination rule.
    #[must_use]
    pub const fn new(method: CombineMethod) -> Self {
        Self { method: Some(method) }
    }
}

/// How controls with the same id are combined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum CombineMethod {
    /// The first control with an id wins.
    UseFirst,
    /// Deprecated since OSCAL 1.0.1; resolved as `use-first` with a warning.
    Merge,
    /// All are kept (the clash remains).
    Keep,
}

/// `flat`: an empty object.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Flat {}

/// A custom structure.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub struct Custom {
    /// Groups.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<CustomGroup>,
    /// Controls placed outside any group.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub insert_controls: Vec<InsertControls>,
}

/// A group of a custom structure.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub struct CustomGroup {
    /// Identifier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Class.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    /// Title.
    pub title: String,
    /// Parameters.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub params: Vec<Parameter>,
    /// Properties.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Property>,
    /// Links.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    /// Parts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<Part>,
    /// Sub-groups.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<CustomGroup>,
    /// Controls placed in this group.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub insert_controls: Vec<InsertControls>,
}

/// Which imported controls to place at a point of a custom structure.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub struct InsertControls {
    /// Order of the inserted controls (default `keep`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<InsertOrder>,
    /// Every imported control.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub include_all: Option<IncludeAll>,
    /// Imported controls by id or pattern.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include_controls: Vec<SelectControl>,
    /// Controls left out.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude_controls: Vec<SelectControl>,
}

/// Order of inserted controls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum InsertOrder {
    /// Import order.
    Keep,
    /// By id, ascending.
    Ascending,
    /// By id, descending.
    Descending,
}

/// Changes to the imported controls.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub struct Modify {
    /// Parameter settings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub set_parameters: Vec<SetParameter>,
    /// Control alterations.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alters: Vec<Alter>,
}

/// A parameter setting.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub struct SetParameter {
    /// The parameter.
    pub param_id: String,
    /// Replaces the class.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    /// Replaces `depends-on` (OSCAL 1.0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub depends_on: Option<String>,
    /// Added to the properties.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Property>,
    /// Added to the links.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    /// Replaces the label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Replaces the usage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<String>,
    /// Added to the constraints.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub constraints: Vec<Constraint>,
    /// Added to the guidelines.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub guidelines: Vec<Guideline>,
    /// Replaces values and selection.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
    /// Replaces values and selection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub select: Option<Selection>,
    /// Remarks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
}

impl SetParameter {
    /// A setting of values.
    #[must_use]
    pub fn values(param_id: impl Into<String>, values: Vec<String>) -> Self {
        Self { param_id: param_id.into(), values, ..Self::default() }
    }
}

/// An alteration of one control.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub struct Alter {
    /// The control.
    pub control_id: String,
    /// What to remove.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub removes: Vec<Remove>,
    /// What to add.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub adds: Vec<Add>,
}

/// Removal of the objects inside a control that match every given criterion.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub struct Remove {
    /// Objects with this `name` (properties, parts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by_name: Option<String>,
    /// Objects with this `class`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by_class: Option<String>,
    /// The object with this `id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by_id: Option<String>,
    /// Objects of this kind: `param`, `prop`, `link`, `part`, `control`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by_item_name: Option<String>,
    /// Objects with this `ns`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by_ns: Option<String>,
}

/// Content added to a control, or around or inside an object of it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub struct Add {
    /// Where (default `ending`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<Position>,
    /// The object inside the control the position refers to; absent means the control.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by_id: Option<String>,
    /// Replaces the title of the target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Parameters to add.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub params: Vec<Parameter>,
    /// Properties to add.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Property>,
    /// Links to add.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    /// Parts to add.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<Part>,
}

/// Where an [`Add`] puts its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Position {
    /// Directly before the target (or like `starting` without `by-id`).
    Before,
    /// Directly after the target (or like `ending` without `by-id`).
    After,
    /// At the start of the target's content.
    Starting,
    /// At the end of the target's content.
    Ending,
}
