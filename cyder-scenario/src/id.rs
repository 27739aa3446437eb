//! Identifiers: scenario-local ids, ATT&CK technique ids and tactics.

use std::fmt;
use std::str::FromStr;

use ismap_model::Text;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The pattern every scenario-local id matches: a letter or digit, then letters, digits, `-`, `_`,
/// `.` or `:`, at most 64 characters in all.
pub const LOCAL_ID_PATTERN: &str = r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$";

pub use ismap_model::IdError;

const EXPECTED: &str = "letters, digits, `-`, `_`, `.` or `:`, up to 64";

fn is_local_id(s: &str) -> bool {
    ismap_model::is_simple_id(s, 64, &['_', '.', ':', '-'])
}

/// A scenario-local id type: a validated string identifier like [`ismap_model::string_id!`]
/// (`FromStr`, `TryFrom<String>`, `Display`, `AsRef<str>`, serde as a checked string, a JSON
/// Schema carrying [`LOCAL_ID_PATTERN`]), held as an `Arc<str>`: the analyses copy step and task ids
/// into every report row, and a copy is a reference count, not an allocation. Deserialization
/// reads a borrowed string where the format allows it (one allocation per id).
macro_rules! local_id {
    ($(#[$doc:meta])* $name:ident, $kind:literal) => {
        $(#[$doc])*
        ///
        /// Matches [`LOCAL_ID_PATTERN`]; deserialization rejects anything else.
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, JsonSchema)]
        #[schemars(extend("pattern" = LOCAL_ID_PATTERN))]
        pub struct $name(std::sync::Arc<str>);

        impl $name {
            /// The identifier as written.
            #[must_use]
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// Builds an id the caller has already checked (or a synthetic one that matches the pattern).
            #[allow(dead_code, reason = "not every id kind needs it")]
            pub(crate) fn unchecked(s: String) -> Self {
                Self(s.into())
            }

            fn checked(s: &str) -> Result<Self, IdError> {
                if is_local_id(s) { Ok(Self(s.into())) } else { Err(IdError::new($kind, s.to_owned(), EXPECTED)) }
            }
        }

        impl TryFrom<String> for $name {
            type Error = IdError;

            fn try_from(s: String) -> Result<Self, Self::Error> {
                if is_local_id(&s) { Ok(Self(s.into())) } else { Err(IdError::new($kind, s, EXPECTED)) }
            }
        }

        impl FromStr for $name {
            type Err = IdError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::checked(s)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> Self {
                id.0.as_ref().to_owned()
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl serde::de::Visitor<'_> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        write!(f, "a {} ({})", $kind, EXPECTED)
                    }
                    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<$name, E> {
                        $name::checked(v).map_err(E::custom)
                    }
                }
                d.deserialize_str(V)
            }
        }
    };
}

local_id!(
    /// The id of a scenario.
    ScenarioId,
    "scenario id"
);
local_id!(
    /// The id of an attack step of the pseudo-attacker.
    StepId,
    "step id"
);
local_id!(
    /// The id of a defender task.
    TaskId,
    "task id"
);
local_id!(
    /// The id of an artefact (a log line, an alert, a file) an attack step leaves behind.
    ArtefactId,
    "artefact id"
);
local_id!(
    /// The id of an actor (pseudo-attacker, team, CISO, vendor, external contact).
    ActorId,
    "actor id"
);
local_id!(
    /// The id of a host in the exercise environment.
    HostId,
    "host id"
);
local_id!(
    /// The id of a network segment.
    SegmentId,
    "segment id"
);
local_id!(
    /// The id of an inject (one MSEL row).
    InjectId,
    "inject id"
);
local_id!(
    /// The id of a learning objective.
    ObjectiveId,
    "objective id"
);

/// The pattern of an ATT&CK technique id: `T` and four digits, optionally `.` and a three-digit
/// sub-technique (`T1566`, `T1566.001`). Source: ATT&CK data model, technique and sub-technique ids
/// (`shared/reference/exercise-modelling.md` §3.2).
pub const TECHNIQUE_ID_PATTERN: &str = r"^T[0-9]{4}(\.[0-9]{3})?$";

/// A MITRE ATT&CK technique or sub-technique id, such as `T1566` or `T1566.001`.
///
/// ```
/// use cyder_scenario::TechniqueId;
/// let t: TechniqueId = "T1566.001".parse()?;
/// assert_eq!(t.parent().to_string(), "T1566");
/// assert!(t.is_subtechnique());
/// assert!("T156".parse::<TechniqueId>().is_err());
/// assert!("T1566.1".parse::<TechniqueId>().is_err());
/// # Ok::<(), cyder_scenario::IdError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(try_from = "String", into = "String")]
#[schemars(extend("pattern" = TECHNIQUE_ID_PATTERN))]
pub struct TechniqueId {
    technique: u16,
    sub: Option<u16>,
}

impl TechniqueId {
    /// The parent technique (itself when it is not a sub-technique).
    #[must_use]
    pub const fn parent(self) -> Self {
        Self { technique: self.technique, sub: None }
    }

    /// Whether this is a sub-technique (`Txxxx.yyy`).
    #[must_use]
    pub const fn is_subtechnique(self) -> bool {
        self.sub.is_some()
    }
}

fn digits(s: &str, n: usize) -> Option<u16> {
    (s.len() == n && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok()).flatten()
}

impl FromStr for TechniqueId {
    type Err = IdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || IdError::new("ATT&CK technique id", s.to_owned(), "`T1566` or `T1566.001`");
        let rest = s.strip_prefix('T').ok_or_else(err)?;
        let (main, sub) = match rest.split_once('.') {
            Some((m, sub)) => (m, Some(digits(sub, 3).ok_or_else(err)?)),
            None => (rest, None),
        };
        Ok(Self { technique: digits(main, 4).ok_or_else(err)?, sub })
    }
}

impl TryFrom<String> for TechniqueId {
    type Error = IdError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<TechniqueId> for String {
    fn from(t: TechniqueId) -> Self {
        t.to_string()
    }
}

impl fmt::Display for TechniqueId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "T{:04}", self.technique)?;
        if let Some(sub) = self.sub {
            write!(f, ".{sub:03}")?;
        }
        Ok(())
    }
}

/// An ATT&CK Enterprise tactic, by its shortname (`x_mitre_shortname`).
///
/// Source: the 14 Enterprise tactics TA0043 … TA0040 (`shared/reference/exercise-modelling.md` §3.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[expect(missing_docs, reason = "the variants are the ATT&CK tactic names; `name()` gives them in both languages")]
pub enum Tactic {
    Reconnaissance,
    ResourceDevelopment,
    InitialAccess,
    Execution,
    Persistence,
    PrivilegeEscalation,
    DefenseEvasion,
    CredentialAccess,
    Discovery,
    LateralMovement,
    Collection,
    CommandAndControl,
    Exfiltration,
    Impact,
}

impl Tactic {
    /// All tactics, in kill-chain order.
    pub const ALL: [Self; 14] = [
        Self::Reconnaissance,
        Self::ResourceDevelopment,
        Self::InitialAccess,
        Self::Execution,
        Self::Persistence,
        Self::PrivilegeEscalation,
        Self::DefenseEvasion,
        Self::CredentialAccess,
        Self::Discovery,
        Self::LateralMovement,
        Self::Collection,
        Self::CommandAndControl,
        Self::Exfiltration,
        Self::Impact,
    ];

    /// The ATT&CK tactic id, e.g. `TA0001` for initial access.
    #[must_use]
    pub const fn attack_id(self) -> &'static str {
        match self {
            Self::Reconnaissance => "TA0043",
            Self::ResourceDevelopment => "TA0042",
            Self::InitialAccess => "TA0001",
            Self::Execution => "TA0002",
            Self::Persistence => "TA0003",
            Self::PrivilegeEscalation => "TA0004",
            Self::DefenseEvasion => "TA0005",
            Self::CredentialAccess => "TA0006",
            Self::Discovery => "TA0007",
            Self::LateralMovement => "TA0008",
            Self::Collection => "TA0009",
            Self::CommandAndControl => "TA0011",
            Self::Exfiltration => "TA0010",
            Self::Impact => "TA0040",
        }
    }

    /// The shortname, e.g. `initial-access`.
    #[must_use]
    pub const fn shortname(self) -> &'static str {
        match self {
            Self::Reconnaissance => "reconnaissance",
            Self::ResourceDevelopment => "resource-development",
            Self::InitialAccess => "initial-access",
            Self::Execution => "execution",
            Self::Persistence => "persistence",
            Self::PrivilegeEscalation => "privilege-escalation",
            Self::DefenseEvasion => "defense-evasion",
            Self::CredentialAccess => "credential-access",
            Self::Discovery => "discovery",
            Self::LateralMovement => "lateral-movement",
            Self::Collection => "collection",
            Self::CommandAndControl => "command-and-control",
            Self::Exfiltration => "exfiltration",
            Self::Impact => "impact",
        }
    }

    /// The name in both languages.
    #[must_use]
    pub fn name(self) -> Text {
        let (ja, en) = match self {
            Self::Reconnaissance => ("偵察", "Reconnaissance"),
            Self::ResourceDevelopment => ("リソース開発", "Resource Development"),
            Self::InitialAccess => ("初期アクセス", "Initial Access"),
            Self::Execution => ("実行", "Execution"),
            Self::Persistence => ("永続化", "Persistence"),
            Self::PrivilegeEscalation => ("権限昇格", "Privilege Escalation"),
            Self::DefenseEvasion => ("防御回避", "Defense Evasion"),
            Self::CredentialAccess => ("認証情報アクセス", "Credential Access"),
            Self::Discovery => ("探索", "Discovery"),
            Self::LateralMovement => ("横展開", "Lateral Movement"),
            Self::Collection => ("収集", "Collection"),
            Self::CommandAndControl => ("C2通信", "Command and Control"),
            Self::Exfiltration => ("持ち出し", "Exfiltration"),
            Self::Impact => ("影響", "Impact"),
        };
        Text::new(ja, en)
    }
}

impl fmt::Display for Tactic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.shortname())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn technique_ids() {
        for ok in ["T1566", "T1566.001", "T0001", "T9999.999"] {
            assert_eq!(ok.parse::<TechniqueId>().unwrap().to_string(), ok);
        }
        for bad in
            ["", "T", "t1566", "T15666", "T1566.", "T1566.01", "T1566.0011", "T1566.abc", "X1566", "T15a6", "T1566 "]
        {
            assert!(bad.parse::<TechniqueId>().is_err(), "{bad}");
        }
    }

    #[test]
    fn local_ids() {
        assert!("mail-1".parse::<StepId>().is_ok());
        assert!("a.b:c_d".parse::<TaskId>().is_ok());
        for bad in ["", "-x", "a b", "日本", &"x".repeat(65)] {
            assert!(bad.parse::<StepId>().is_err(), "{bad}");
        }
        let e = "a b".parse::<StepId>().unwrap_err();
        assert_eq!(e.kind(), "step id");
        assert_eq!(e.value(), "a b");
    }

    #[test]
    fn tactics_roundtrip() {
        for t in Tactic::ALL {
            let json = serde_json::to_string(&t).unwrap();
            assert_eq!(json, format!("\"{}\"", t.shortname()));
            assert_eq!(serde_json::from_str::<Tactic>(&json).unwrap(), t);
        }
    }
}
