//! (b) Invalid documents, one file per mistake (`tests/agreement/invalid/<kind>/<what-is-wrong>.json`),
//! are rejected by serde *and* by the schema.

use crate::support::{KINDS, kind, root, schema_errors};

/// Kinds the corpus must cover: every kind the library reads.
const MIN_FILES_PER_KIND: usize = 3;

#[test]
fn invalid_documents_are_rejected_by_serde_and_the_schema() {
    let dir = root().join("tests/agreement/invalid");
    let mut seen = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        let k = kind(&name);
        let read = k.read.unwrap_or_else(|| panic!("`{name}` is write-only: it has no reader to reject anything"));
        let mut count = 0;
        for file in std::fs::read_dir(entry.path()).unwrap() {
            let path = file.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let value: serde_json::Value =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: not JSON: {e}", path.display()));
            assert!(read(&value).is_err(), "serde accepts {}", path.display());
            assert!(!schema_errors(k.name, &value).is_empty(), "the schema accepts {}", path.display());
            count += 1;
        }
        assert!(count >= MIN_FILES_PER_KIND, "{name}: only {count} invalid document(s)");
        seen.push(name);
    }
    for k in KINDS.iter().filter(|k| k.read.is_some()) {
        assert!(seen.iter().any(|s| s == k.name), "no invalid documents for `{}`", k.name);
    }
}
