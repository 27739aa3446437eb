//! `ismap oscal …` and `ismap catalog import` end to end: export, validate, import and resolve
//! OSCAL documents (NIST's LOW baseline when the shared data is there), and build a catalog from
//! a CSV file with a column mapping.
#![cfg(feature = "cli")]
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use common::*;

use std::path::{Path, PathBuf};

use serde_json::Value;

/// Every control id of an OSCAL catalog (JSON), depth first in document order.
fn control_ids(catalog: &Value) -> Vec<String> {
    fn walk(node: &Value, out: &mut Vec<String>) {
        for c in node["controls"].as_array().into_iter().flatten() {
            out.push(c["id"].as_str().unwrap().to_owned());
            walk(c, out);
        }
        for g in node["groups"].as_array().into_iter().flatten() {
            walk(g, out);
        }
    }
    let mut out = Vec::new();
    walk(&catalog["catalog"], &mut out);
    out
}

#[test]
fn export_the_catalog_and_the_baselines() {
    let o = ismap(&["oscal", "export"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = json(&o);
    let c = &v["catalog"];
    assert_eq!(c["metadata"]["title"], "ISMAP control criteria (2022-04-01 revision, structure only)");
    assert_eq!(c["metadata"]["version"], "2022.4.1");
    let parts: Vec<&str> = c["groups"].as_array().unwrap().iter().map(|g| g["id"].as_str().unwrap()).collect();
    assert_eq!(parts, ["ismap-part-governance", "ismap-part-management", "ismap-part-controls"]);
    assert_eq!(c["groups"][2]["groups"].as_array().unwrap().len(), 14, "14 control domains");
    let ids = control_ids(&v);
    // Objectives and detailed controls: 6 + 18 governance, 21 + 64 management, 121 + 31 controls.
    assert_eq!(ids.len(), 261);
    assert!(ids.contains(&"ismap-8.1.2".to_owned()) && ids.contains(&"ismap-8.1.2.7.PB".to_owned()), "{ids:?}");
    // Deterministic: the same bytes every time (the uuid is derived, not random).
    assert_eq!(stdout(&ismap(&["oscal", "export"])), stdout(&o));

    let o = ismap(&["oscal", "export", "--lang", "ja"]);
    assert_eq!(json(&o)["catalog"]["metadata"]["title"], "ISMAP管理基準（2022年4月1日版、構造のみ）");

    for (what, title, baseline) in [("ismap", "ISMAP baseline", "ismap"), ("liu", "ISMAP-LIU baseline", "liu")] {
        let o = ismap(&["oscal", "export", "--what", what]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let p = json(&o);
        assert_eq!(p["profile"]["metadata"]["title"], title);
        let props = p["profile"]["metadata"]["props"].as_array().unwrap();
        assert!(props.iter().any(|x| x["name"] == "baseline" && x["value"] == baseline), "{props:?}");
        assert_eq!(p["profile"]["imports"][0]["href"], "ismap-catalog.json");
    }

    let o = ismap(&["oscal", "export", "--what", "agency"]);
    let (error, hint) = assert_one_line_error(&o);
    assert!(error.contains("`--what agency` needs `--agency <file>`"), "{error}");
    assert!(hint.contains("agency additions file"), "{hint}");
}

#[test]
fn exported_documents_validate_import_back_and_resolve() {
    let dir = temp_dir("round-trip");
    let out_dir = dir.join("export");
    let o = ismap(&["oscal", "export", "--out-dir", s(&out_dir)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let catalog = out_dir.join("ismap-catalog.json");
    let ismap_profile = out_dir.join("ismap-baseline_profile.json");
    let liu_profile = out_dir.join("ismap-liu-baseline_profile.json");
    for f in [&catalog, &ismap_profile, &liu_profile] {
        assert!(stdout(&o).contains(&format!("wrote {}", s(f))), "{}", stdout(&o));
    }
    assert_eq!(std::fs::read_to_string(&catalog).unwrap(), stdout(&ismap(&["oscal", "export"])));

    // validate
    let o = ismap(&["oscal", "validate", s(&catalog)]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert_eq!(stdout(&o), format!("{}: OSCAL catalog valid (0 error(s), 0 warning(s))\n", s(&catalog)));
    for f in [&ismap_profile, &liu_profile] {
        let o = ismap(&["oscal", "validate", s(f), "--format", "json"]);
        assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
        let v = json(&o);
        assert_eq!((v["document"].as_str(), v["valid"].as_bool()), (Some("profile"), Some(true)), "{v}");
        assert_eq!(v["problems"], serde_json::json!([]));
    }

    // import: the export maps back to the embedded catalog.
    let imported = dir.join("imported.json");
    let o = ismap(&["oscal", "import", s(&catalog), "--out", s(&imported)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("item(s) mapped, 0 not mapped") && !err.contains("not mapped /"), "{err}");
    let back = read_json(&imported);
    let want = serde_json::to_value(ismap::controls::Catalog::ismap_2022().to_document()).unwrap();
    assert_eq!(back, want, "export then import is the embedded catalog");
    // ... and the imported file is an ISMAP catalog the other commands accept.
    let o = ismap(&["catalog", "validate", s(&imported)]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));

    // resolve: both baselines import the whole catalog, relative to the profile.
    for f in [&ismap_profile, &liu_profile] {
        let o = ismap(&["oscal", "resolve", s(f)]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(!stderr(&o).contains("warning"), "{}", stderr(&o));
        let resolved = json(&o);
        assert_eq!(control_ids(&resolved), control_ids(&read_json(&catalog)), "{}", f.display());
        let links = resolved["catalog"]["metadata"]["links"].as_array().unwrap();
        assert!(links.iter().any(|l| l["rel"] == "resolution-source"), "{links:?}");
    }

    // A profile is not a catalog to import.
    let o = ismap(&["oscal", "import", s(&ismap_profile)]);
    let (error, hint) = assert_one_line_error(&o);
    assert!(error.contains("is an OSCAL profile, not a catalog"), "{error}");
    assert!(hint.contains("ismap oscal resolve"), "{hint}");
}

const MINI_CATALOG: &str = r#"{"catalog": {"uuid": "0b5e8a9e-3b7f-4f3e-9a57-4b1a2c3d4e5f",
  "metadata": {"title": "Mini catalog", "last-modified": "2024-01-01T00:00:00Z", "version": "1.0", "oscal-version": "1.1.2"},
  "groups": [
    {"id": "ac", "title": "Access control", "controls": [
      {"id": "ac-1", "title": "Policy"},
      {"id": "ac-2", "title": "Accounts", "controls": [{"id": "ac-2.1", "title": "Automated account management"}]},
      {"id": "ac-3", "title": "Enforcement"}]},
    {"id": "au", "title": "Audit", "controls": [{"id": "au-1", "title": "Audit policy"}]},
    {"id": "sc", "title": "System protection", "controls": [{"id": "sc-1", "title": "Protection policy"}]}]}}"#;

fn mini_profile(href: &str, include: &str) -> String {
    format!(
        r#"{{"profile": {{"uuid": "5f0c1d2e-3a4b-4c5d-8e6f-7a8b9c0d1e2f",
  "metadata": {{"title": "Mini profile", "last-modified": "2024-01-01T00:00:00Z", "version": "1.0", "oscal-version": "1.1.2"}},
  "imports": [{{"href": "{href}", "include-controls": [{include}]}}],
  "merge": {{"as-is": true}}}}}}"#
    )
}

#[test]
fn resolve_a_small_profile_next_to_a_small_catalog() {
    let dir = temp_dir("resolve-mini");
    write(&dir, "mini-catalog.json", MINI_CATALOG);
    let profile =
        write(&dir, "mini-profile.json", &mini_profile("mini-catalog.json", r#"{"with-ids": ["ac-2", "au-1"]}"#));
    for f in ["mini-catalog.json", "mini-profile.json"] {
        let o = ismap(&["oscal", "validate", s(&dir.join(f))]);
        assert_eq!(o.status.code(), Some(0), "{f}: {}", stdout(&o));
    }

    let o = ismap(&["oscal", "resolve", s(&profile)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(o.stderr.is_empty(), "{}", stderr(&o));
    let v = json(&o);
    // The selected controls, without the child of ac-2 (`with-child-controls` defaults to no),
    // in their groups; the group with nothing selected is left out.
    assert_eq!(control_ids(&v), ["ac-2", "au-1"]);
    let groups: Vec<&str> =
        v["catalog"]["groups"].as_array().unwrap().iter().map(|g| g["id"].as_str().unwrap()).collect();
    assert_eq!(groups, ["ac", "au"]);
    assert_eq!(v["catalog"]["metadata"]["title"], "Mini profile");
    assert_ne!(v["catalog"]["uuid"], "0b5e8a9e-3b7f-4f3e-9a57-4b1a2c3d4e5f", "a resolved catalog has its own uuid");

    // With the children, to a file; the result validates.
    let profile = write(
        &dir,
        "children.json",
        &mini_profile("mini-catalog.json", r#"{"with-ids": ["ac-2"], "with-child-controls": "yes"}"#),
    );
    let out = dir.join("resolved.json");
    let o = ismap(&["oscal", "resolve", s(&profile), "--out", s(&out)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    assert_eq!(stderr(&o), format!("wrote {}\n", s(&out)));
    assert_eq!(control_ids(&read_json(&out)), ["ac-2", "ac-2.1"]);
    let o = ismap(&["oscal", "validate", s(&out)]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));

    // An import that is not there: bad input, one line naming it, and a hint.
    let profile = write(&dir, "missing.json", &mini_profile("no-such-catalog.json", r#"{"with-ids": ["ac-1"]}"#));
    let o = ismap(&["oscal", "resolve", s(&profile)]);
    let (error, hint) = assert_one_line_error(&o);
    assert!(error.contains("no-such-catalog.json"), "{error}");
    assert!(hint.contains("imports resolve relative to the profile"), "{hint}");
}

#[test]
fn validate_reports_problems_with_their_path() {
    let dir = temp_dir("validate");
    let dup = write(&dir, "dup.json", &MINI_CATALOG.replace(r#""id": "ac-3""#, r#""id": "ac-1""#));
    let o = ismap(&["oscal", "validate", s(&dup), "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let v = json(&o);
    assert_eq!(v["valid"], false);
    assert_eq!(v["document"], "catalog");
    assert_eq!(v["problems"][0]["severity"], "error");
    assert_eq!(v["problems"][0]["path"], "$.catalog.groups[0].controls[2].id");
    assert!(v["problems"][0]["message"].as_str().unwrap().contains("`ac-1`"), "{v}");
    let o = ismap(&["oscal", "validate", s(&dup), "--format", "markdown"]);
    assert!(stdout(&o).contains("| error | $.catalog.groups[0].controls[2].id |"), "{}", stdout(&o));

    let other = write(&dir, "other.json", r#"{"foo": 1}"#);
    let o = ismap(&["oscal", "validate", s(&other)]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(out.starts_with(&format!("{}: OSCAL document invalid (1 error(s)", s(&other))), "{out}");
    assert!(out.contains("not an OSCAL catalog, profile or mapping collection"), "{out}");
}

const SUBDIR: &str = "data/oscal/nist-sp800-53-rev5.0.1";
const NIST_CATALOG: &str = "NIST_SP-800-53_rev5_catalog.json";

/// NIST's SP 800-53 rev5 OSCAL data: found as `ismap-controls/tests/oscal_nist.rs` finds it
/// (`$ISMAP_SHARED_DATA`, the shared folder or the data folder itself, else `../shared/` next to
/// the workspace). `None` when it is absent outside CI; in CI its absence is a failure.
fn nist_data() -> Option<PathBuf> {
    let mut tried = Vec::new();
    if let Ok(v) = std::env::var("ISMAP_SHARED_DATA") {
        let v = PathBuf::from(v);
        for c in [v.join(SUBDIR), v.clone()] {
            if c.join(NIST_CATALOG).is_file() {
                return Some(c);
            }
            tried.push(c);
        }
    }
    // This package is the workspace root.
    let c = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared").join(SUBDIR);
    if c.join(NIST_CATALOG).is_file() {
        return Some(c);
    }
    tried.push(c);
    let tried = tried.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ");
    assert!(
        std::env::var_os("CI").is_none(),
        "NIST OSCAL test data not found (tried {tried}); set ISMAP_SHARED_DATA to the shared folder"
    );
    eprintln!("SKIP: NIST OSCAL test data not found (tried {tried}); set ISMAP_SHARED_DATA to the shared folder");
    None
}

#[test]
fn resolve_nist_low_like_nist() {
    let Some(data) = nist_data() else { return };
    let dir = temp_dir("nist-low");
    let out = dir.join("low-resolved.json");
    let profile = data.join("NIST_SP-800-53_rev5_LOW-baseline_profile.json");
    let o = ismap(&["oscal", "resolve", s(&profile), "--out", s(&out)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stderr(&o), format!("wrote {}\n", s(&out)), "no warnings");
    let ours = read_json(&out);
    let theirs = read_json(&data.join("NIST_SP-800-53_rev5_LOW-baseline-resolved-profile_catalog.json"));
    let ids = control_ids(&ours);
    assert_eq!(ids, control_ids(&theirs), "controls and their order");
    assert_eq!(ids.len(), 149);
    assert_eq!(ids[..3], ["ac-1", "ac-2", "ac-3"]);
    let groups = |v: &Value| -> Vec<String> {
        v["catalog"]["groups"].as_array().unwrap().iter().map(|g| g["id"].as_str().unwrap().to_owned()).collect()
    };
    assert_eq!(groups(&ours), groups(&theirs));
    // The resolved catalog validates.
    let o = ismap(&["oscal", "validate", s(&out), "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert_eq!(json(&o)["valid"], true);
}

const MAPPING_TOML: &str = r#"
version = 1
[catalog]
name = { ja = "ミニ管理基準", en = "Mini criteria" }
version = "1.0.0"
effective = "2022-04-01"
[columns]
id = "項番"
title_ja = "項目"
title_en = "Item"
mandatory = "必須"
text_en = "Text"
[flags]
yes = ["必須"]
"#;

const SHEET_CSV: &str = "項番,項目,Item,必須,Text
3,ガバナンス,Governance,,
3.1,方針,Policy,,
3.1.1,方針の目的,Policy objective,,
8,アクセス制御,Access control,,
8.1,業務要求,Business requirements,,
8.1.2,ネットワークへのアクセス,Access to networks,,
8.1.2.7.PB,利用者の認証,User authentication,必須,\"Authenticate users, always.\"
";

#[test]
fn catalog_import_builds_a_catalog_from_a_csv() {
    let dir = temp_dir("catalog-import");
    let mapping = write(&dir, "mapping.toml", MAPPING_TOML);
    let sheet = write(&dir, "sheet.csv", SHEET_CSV);
    let oscal_out = dir.join("sheet-oscal.json");
    let o = ismap(&["catalog", "import", "--mapping", s(&mapping), s(&sheet), "--oscal-out", s(&oscal_out)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(v["name"]["en"], "Mini criteria");
    assert_eq!(v["completeness"], "complete");
    let parts: Vec<&str> = v["parts"].as_array().unwrap().iter().map(|p| p["part"].as_str().unwrap()).collect();
    assert_eq!(parts, ["governance", "controls"]);
    let objective = &v["parts"][1]["domains"][0]["categories"][0]["objectives"][0];
    assert_eq!(objective["id"], "8.1.2");
    assert_eq!(objective["title"]["ja"], "ネットワークへのアクセス");
    assert_eq!(objective["controls"][0]["id"], "8.1.2.7.PB");
    assert_eq!(objective["controls"][0]["title"]["en"], "User authentication");
    // The catalog's own warnings, each with its row.
    assert!(stderr(&o).contains("warning at row 7, column `項番`: numbering gap under `8.1.2`"), "{}", stderr(&o));
    // The OSCAL copy carries the text as the statement.
    let oscal = std::fs::read_to_string(&oscal_out).unwrap();
    assert!(oscal.contains("Authenticate users, always."), "{oscal}");
    let o = ismap(&["oscal", "validate", s(&oscal_out)]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));

    // The built catalog is one the other commands take.
    let built = write(&dir, "built.json", &stdout(&ismap(&["catalog", "import", "--mapping", s(&mapping), s(&sheet)])));
    let o = ismap(&["catalog", "validate", s(&built), "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));

    // The same mapping as JSON gives the same catalog.
    let as_json = write(
        &dir,
        "mapping.json",
        r#"{"version": 1,
            "catalog": {"name": {"ja": "ミニ管理基準", "en": "Mini criteria"}, "version": "1.0.0", "effective": "2022-04-01"},
            "columns": {"id": "項番", "title_ja": "項目", "title_en": "Item", "mandatory": "必須", "text_en": "Text"},
            "flags": {"yes": ["必須"]}}"#,
    );
    let o = ismap(&["catalog", "import", "--mapping", s(&as_json), s(&sheet)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(json(&o), v);
}

#[test]
fn an_unknown_column_key_in_the_mapping_is_bad_input() {
    let dir = temp_dir("unknown-column");
    let sheet = write(&dir, "sheet.csv", SHEET_CSV);
    let mapping = write(
        &dir,
        "mapping.json",
        r#"{"version": 1, "catalog": {"name": {"en": "mini"}, "version": "1.0.0", "effective": "2022-04-01"},
            "columns": {"id": "項番", "title_en": "Item", "titel_ja": "項目"}}"#,
    );
    let o = ismap(&["catalog", "import", "--mapping", s(&mapping), s(&sheet)]);
    let (error, hint) = assert_one_line_error(&o);
    assert!(error.contains(s(&mapping)) && error.contains("$.columns.titel_ja"), "{error}");
    assert!(error.contains("unknown field `titel_ja`"), "{error}");
    assert!(hint.contains("schemas/column-mapping.schema.json"), "{hint}");
}

#[test]
fn an_unknown_column_key_in_a_toml_mapping_is_one_line() {
    let dir = temp_dir("unknown-column-toml");
    let sheet = write(&dir, "sheet.csv", SHEET_CSV);
    let mapping = write(&dir, "mapping.toml", &MAPPING_TOML.replace("\ntitle_ja =", "\ntitel_ja ="));
    let o = ismap(&["catalog", "import", "--mapping", s(&mapping), s(&sheet)]);
    let (error, hint) = assert_one_line_error(&o);
    assert!(error.contains("$.columns.titel_ja") && error.contains("unknown field `titel_ja`"), "{error}");
    assert!(hint.contains("schemas/column-mapping.schema.json"), "{hint}");
}

#[test]
fn a_mapped_column_missing_from_the_sheet_is_listed() {
    let dir = temp_dir("missing-column");
    let sheet = write(&dir, "sheet.csv", SHEET_CSV);
    let mapping = write(&dir, "mapping.toml", &MAPPING_TOML.replace(r#"title_en = "Item""#, r#"title_en = "Titel""#));
    // The mapping and the sheet were read: the problems are listed, exit 1 (as for validation).
    let o = ismap(&["catalog", "import", "--mapping", s(&mapping), s(&sheet)]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with(&format!("{}: invalid (1 problem(s))\n", s(&sheet))), "{out}");
    assert!(out.contains("column `Titel` is not in the header row"), "{out}");
    let o = ismap(&["catalog", "import", "--mapping", s(&mapping), s(&sheet), "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let v = json(&o);
    assert_eq!(v[0]["kind"]["kind"], "missing_column");
    assert_eq!(v[0]["kind"]["column"], "Titel");
    assert_eq!(v[0]["origin"]["row"], 1);
}

/// A profile over [`MINI_CATALOG`] with the given `modify`.
fn mini_profile_modify(href: &str, modify: &str) -> String {
    format!(
        r#"{{"profile": {{"uuid": "5f0c1d2e-3a4b-4c5d-8e6f-7a8b9c0d1e2f",
  "metadata": {{"title": "Mini profile", "last-modified": "2024-01-01T00:00:00Z", "version": "1.0", "oscal-version": "1.1.2"}},
  "imports": [{{"href": "{href}", "include-controls": [{{"with-ids": ["ac-1", "ac-2"]}}]}}],
  "modify": {modify}}}}}"#
    )
}

#[test]
fn self_targeted_adds_apply_unless_strict_spec() {
    let dir = temp_dir("self-targeted");
    write(&dir, "mini-catalog.json", MINI_CATALOG);
    let profile = write(
        &dir,
        "p.json",
        &mini_profile_modify(
            "mini-catalog.json",
            r#"{"alters": [{"control-id": "ac-1", "adds": [{"by-id": "ac-1", "props": [{"name": "flag", "value": "x"}]}]}]}"#,
        ),
    );
    let o = ismap(&["oscal", "resolve", s(&profile)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.starts_with("warning: ") && err.contains("profile resolution specification"), "{err}");
    let v = json(&o);
    assert_eq!(v["catalog"]["controls"][0]["props"][0]["name"], "flag");

    let o = ismap(&["oscal", "resolve", s(&profile), "--strict-spec"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("inoperative"), "{}", stderr(&o));
    assert!(json(&o)["catalog"]["controls"][0].get("props").is_none());
}

#[test]
fn map_import_reads_url_imports_from_local_copies() {
    const URL: &str = "https://example.org/oscal/mini-catalog.json";
    let dir = temp_dir("map-import");
    let local = write(&dir, "copy-of-mini.json", MINI_CATALOG);
    let profile = write(&dir, "p.json", &mini_profile(URL, r#"{"with-ids": ["au-1"]}"#));
    let o = ismap(&["oscal", "resolve", s(&profile)]);
    let (error, hint) = assert_one_line_error(&o);
    assert!(error.contains(URL) && error.contains("not fetched"), "{error}");
    assert!(hint.contains("--map-import"), "{hint}");

    let map = format!("{URL}={}", s(&local));
    let o = ismap(&["oscal", "resolve", s(&profile), "--map-import", &map]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(control_ids(&json(&o)), ["au-1"]);

    let o = ismap(&["oscal", "resolve", s(&profile), "--map-import", "no-equals-sign"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("URL=PATH"), "{}", stderr(&o));
}

#[test]
fn validate_checks_a_profiles_alters_against_its_imports() {
    const URL: &str = "https://example.org/oscal/mini-catalog.json";
    let dir = temp_dir("validate-alters");
    let local = write(&dir, "copy.json", MINI_CATALOG);
    let modify = r#"{"alters": [
        {"control-id": "sc-1", "adds": [{"props": [{"name": "n", "value": "v"}]}]},
        {"control-id": "ac-2", "adds": [{"by-id": "ac-2.1", "parts": [{"id": "ac-1", "name": "item"}]}]}]}"#;
    let profile = write(&dir, "p.json", &mini_profile_modify(URL, modify));
    let map = format!("{URL}={}", s(&local));
    let o = ismap(&["oscal", "validate", s(&profile), "--map-import", &map, "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let v = json(&o);
    let rows: Vec<(String, String)> = v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["severity"].as_str().unwrap().to_owned(), p["path"].as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(
        rows,
        [
            ("error".to_owned(), "$.profile.modify.alters[1].adds[0].parts[0].id".to_owned()),
            ("warning".to_owned(), "$.profile.modify.alters[0].control-id".to_owned()),
            // ac-2.1 is a child of ac-2 the import does not select.
            ("warning".to_owned(), "$.profile.modify.alters[1].adds[0].by-id".to_owned()),
        ],
        "{v}"
    );
    assert!(v["problems"][0]["message"].as_str().unwrap().contains("control `ac-1` of the imports"), "{v}");

    // Without the mapping: the imports are not resolved, and that is said.
    let o = ismap(&["oscal", "validate", s(&profile), "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let v = json(&o);
    assert_eq!(v["problems"][0]["path"], "$.profile.imports", "{v}");
    assert!(v["problems"][0]["message"].as_str().unwrap().contains("not fetched"), "{v}");
}

#[test]
fn ssp_and_assessment_results_of_the_sample_and_of_a_file() {
    let dir = temp_dir("ssp");
    let ssp = dir.join("ssp.json");
    let o = ismap(&["oscal", "ssp", "-o", s(&ssp)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stderr(&o), format!("wrote {}\n", s(&ssp)));
    let plan = read_json(&ssp);
    assert_eq!(plan["system-security-plan"]["import-profile"]["href"], "ismap-baseline_profile.json");
    assert_eq!(plan["system-security-plan"]["system-characteristics"]["system-name"], "Kamome Docs Cloud");
    // The profile it imports is the one `oscal export --out-dir` writes.
    let o = ismap(&["oscal", "export", "--out-dir", s(&dir)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(dir.join("ismap-baseline_profile.json").is_file());

    // Japanese titles; standard output; reproducible.
    let o = ismap(&["oscal", "ssp", "--lang", "ja"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(json(&o)["system-security-plan"]["system-characteristics"]["system-name"], "かもめ文書クラウド");
    assert_eq!(stdout(&ismap(&["oscal", "ssp", "--lang", "ja"])), stdout(&o));

    // Assessment results: exit 1 (the sample is not conformant), written all the same.
    let ar = dir.join("ar.json");
    let o = ismap(&["oscal", "assessment-results", "-o", s(&ar)]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v = read_json(&ar);
    assert_eq!(v["assessment-results"]["import-ap"]["href"], "ssp.json");
    let result = &v["assessment-results"]["results"][0];
    assert!(!result["findings"].as_array().unwrap().is_empty());
    let requirements: Vec<&str> = plan["system-security-plan"]["control-implementation"]["implemented-requirements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["uuid"].as_str().unwrap())
        .collect();
    let linked = result["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["implementation-statement-uuid"].as_str())
        .filter(|u| requirements.contains(u))
        .count();
    assert!(linked > 0, "the results point at the plan's requirements");

    // A statement file: the same as the sample's text; a missing file is bad input.
    let file = write(&dir, "statement.json", ismap::controls::Statement::sample_json());
    let o = ismap(&["oscal", "ssp", s(&file)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(json(&o), plan);
    let o = ismap(&["oscal", "assessment-results", s(&dir.join("nope.json"))]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}
