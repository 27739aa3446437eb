//! Identifiers used by the registry: services, audit institutions and incidents.

pub use ismap_model::IdError;

/// Regular expression matching every identifier this module accepts: 1 to 64 ASCII letters,
/// digits, `.`, `_` or `-`, starting with a letter or digit.
pub const ID_PATTERN: &str = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$";

const EXPECTED: &str = "1-64 ASCII letters, digits, `.`, `_`, `-`, starting with a letter or digit";

fn valid(s: &str) -> bool {
    ismap_model::is_simple_id(s, 64, &['.', '_', '-'])
}

ismap_model::string_id!(
    /// The registry's key for a cloud service, e.g. `hoshizora-drive`.
    ///
    /// ```
    /// use ismap_workflow::ServiceId;
    /// assert!("hoshizora-drive".parse::<ServiceId>().is_ok());
    /// assert!("-bad".parse::<ServiceId>().is_err());
    /// ```
    pub struct ServiceId: "service id", ID_PATTERN, EXPECTED, valid
);

ismap_model::string_id!(
    /// The registry's key for an audit institution (監査機関), e.g. `aoba-audit`.
    pub struct InstitutionId: "audit institution id", ID_PATTERN, EXPECTED, valid
);

ismap_model::string_id!(
    /// A provider-chosen id tying an incident's preliminary (速報) and final (確報) reports together.
    pub struct IncidentId: "incident id", ID_PATTERN, EXPECTED, valid
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        for ok in ["a", "A1", "kumo-base", "x.y_z-1", &"a".repeat(64)] {
            assert!(ok.parse::<ServiceId>().is_ok(), "{ok}");
        }
        for bad in ["", "-a", ".a", "a b", "あ", &"a".repeat(65)] {
            assert!(bad.parse::<InstitutionId>().is_err(), "{bad}");
        }
        assert!(serde_json::from_str::<IncidentId>("\"inc 1\"").is_err());
        assert_eq!(serde_json::to_string(&"inc-1".parse::<IncidentId>().unwrap()).unwrap(), "\"inc-1\"");
    }
}
