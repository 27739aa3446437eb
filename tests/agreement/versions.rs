//! Format versions, in the manner of cargo-lock's `Cargo.lock.v1..v4` tests: golden files per
//! version under `tests/golden/<kind>/v<N>.json`; each version loads through the library's
//! loader, comes out upgraded to the current version, and serializes to the current golden file;
//! a version newer than the library knows is an error naming both versions.

use serde_json::Value;

use crate::support::{root, schema};

fn golden(kind: &str, version: u32) -> String {
    let path = root().join(format!("tests/golden/{kind}/v{version}.json"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

/// Loads `text` with the library's loader for `kind` and serializes the result.
fn load_and_write(kind: &str, text: &str) -> Result<Value, String> {
    use ismap::controls::{AgencyAdditions, AssessmentReport, Baseline, Catalog, CatalogDocument, Statement};
    let err = |e: &dyn std::fmt::Display| e.to_string();
    Ok(match kind {
        "statement" => serde_json::to_value(Statement::from_json_str(text).map_err(|e| err(&e))?).unwrap(),
        "agency-additions" => serde_json::to_value(AgencyAdditions::from_json_str(text).map_err(|e| err(&e))?).unwrap(),
        "catalog" => {
            let (catalog, _) = Catalog::from_json_str(text).map_err(|e| err(&e))?;
            serde_json::to_value(catalog.to_document()).unwrap()
        }
        // Documents read with serde alone: reading is the upgrade of what the type holds.
        "baseline" => {
            let mut b: Baseline = serde_json::from_str(text).map_err(|e| err(&e))?;
            b.format_version.upgrade();
            serde_json::to_value(b).unwrap()
        }
        "assessment-report" => {
            serde_json::to_value(serde_json::from_str::<AssessmentReport>(text).map_err(|e| err(&e))?).unwrap()
        }
        "catalog-document" => {
            serde_json::to_value(serde_json::from_str::<CatalogDocument>(text).map_err(|e| err(&e))?).unwrap()
        }
        other => panic!("no loader for `{other}`"),
    })
}

/// (kind, versions with a golden file, current version)
const VERSIONED: &[(&str, &[u32], u32)] = &[
    ("catalog", &[0, 1], 1),
    ("statement", &[0, 1], 1),
    ("agency-additions", &[0, 1], 1),
    ("baseline", &[0, 1], 1),
    ("assessment-report", &[1], 1),
];

#[test]
fn every_version_loads_upgrades_and_writes_the_current_golden_file() {
    for &(kind, versions, current) in VERSIONED {
        let expected = json(&golden(kind, current));
        assert_eq!(expected["format_version"], current, "{kind} v{current} golden file");
        for &v in versions {
            let text = golden(kind, v);
            if v == 0 {
                assert!(json(&text).get("format_version").is_none(), "{kind} v0 has no version field");
            }
            let written = load_and_write(kind, &text).unwrap_or_else(|e| panic!("{kind} v{v}: {e}"));
            pretty_assertions::assert_eq!(written, expected, "{kind} v{v} upgraded");
        }
    }
}

#[test]
fn serde_alone_keeps_a_version_0_document_as_it_is() {
    // Reading and writing with serde (no loader) is lossless: no version appears.
    for kind in ["statement", "agency-additions", "baseline"] {
        let v0 = json(&golden(kind, 0));
        let back = match kind {
            "statement" => {
                serde_json::to_value(serde_json::from_value::<ismap::controls::Statement>(v0.clone()).unwrap())
            }
            "agency-additions" => {
                serde_json::to_value(serde_json::from_value::<ismap::controls::AgencyAdditions>(v0.clone()).unwrap())
            }
            _ => serde_json::to_value(serde_json::from_value::<ismap::controls::Baseline>(v0.clone()).unwrap()),
        }
        .unwrap();
        assert_eq!(back, v0, "{kind}");
    }
    let doc = load_and_write("catalog-document", &golden("catalog", 0)).unwrap();
    assert_eq!(doc, json(&golden("catalog", 0)));
}

#[test]
fn a_newer_version_is_an_error_naming_both_versions() {
    for &(kind, _, current) in VERSIONED {
        let mut doc = json(&golden(kind, current));
        let newer = current + 1;
        doc["format_version"] = newer.into();
        let e = load_and_write(kind, &doc.to_string()).unwrap_err();
        assert!(
            e.contains(&format!("version {newer} is newer than {current}")) && e.contains("形式バージョン"),
            "{kind}: {e}"
        );
    }
}

#[test]
fn schema_ids_carry_the_current_format_version() {
    for &(kind, _, current) in VERSIONED {
        let s = schema(kind);
        assert_eq!(s["$id"], Value::from(format!("urn:ismap-rs:schema:{kind}:{current}")));
        assert_eq!(s["properties"]["format_version"]["maximum"], current, "{kind}");
    }
}
