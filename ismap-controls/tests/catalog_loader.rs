//! The catalog loaders: every problem kind, all reported at once with JSON paths; TOML and JSON.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use ismap_controls::catalog::{CatalogError, ProblemKind, Severity};
use ismap_controls::{Catalog, Requirement};

const BROKEN: &str = r#"{
  "name": {"en": "broken"}, "version": "one", "effective": "2022-04-01", "completeness": "complete",
  "parts": [
    {"part": "controls", "domains": [
      {"id": "8", "title": {"en": "assets"}, "categories": [
        {"id": "8.1", "title": {"en": "c"}, "objectives": [
          {"id": "8.1.1", "title": {"en": "o1"}},
          {"id": "8.1.1", "title": {"en": "dup"}},
          {"id": "8.2.1", "title": {"en": "misplaced"}},
          {"id": "8.1.2.B", "title": {"en": "B on an objective"}},
          {"id": "8.1.4.5", "title": {"en": "too deep for here"}},
          {"id": "8.1.x", "title": {"en": "not a number"}},
          {"id": "8.1.5", "controls": [{"id": "8.1.5.1.PB", "title": {"en": "d"}, "mandatory": false}]}
        ]}
      ]}
    ]},
    {"part": "controls", "domains": []}
  ]
}"#;

#[test]
fn every_problem_is_reported_at_once_with_its_path() {
    let Err(CatalogError::Invalid(problems)) = Catalog::from_json_str(BROKEN) else { panic!("expected problems") };
    let got: Vec<(&str, &str)> = problems.iter().map(|p| (p.kind.code(), p.path.as_str())).collect();
    let objectives = "$.parts[0].domains[0].categories[0].objectives";
    let expected = vec![
        ("invalid_version", "$.version".to_owned()),
        ("duplicate_id", format!("{objectives}[1].id")),
        ("missing_parent", format!("{objectives}[2].id")),
        ("suffix_misuse", format!("{objectives}[3].id")),
        ("level_mismatch", format!("{objectives}[4].id")),
        ("invalid_id", format!("{objectives}[5].id")),
        ("missing_title", format!("{objectives}[6]")),
        ("flag_contradicts_id", format!("{objectives}[6].controls[0].mandatory")),
        ("duplicate_part", "$.parts[1]".to_owned()),
        ("numbering_gap", "$.parts[0].domains[0].categories[0]".to_owned()),
    ];
    let expected: Vec<(&str, &str)> = expected.iter().map(|(k, p)| (*k, p.as_str())).collect();
    assert_eq!(got, expected);
    assert_eq!(problems.last().unwrap().severity, Severity::Warning);
    match &problems[2].kind {
        ProblemKind::MissingParent { id, found_under } => {
            assert_eq!(id.to_string(), "8.2.1");
            assert_eq!(found_under.to_string(), "8.1");
        }
        other => panic!("{other:?}"),
    }
    // Messages are bilingual.
    let m = problems[1].message();
    assert!(m.is_bilingual() && m.get(ismap_model::Lang::En).contains("duplicate id `8.1.1`"));
}

#[test]
fn gaps_are_warnings_and_the_catalog_still_loads() {
    let json = r#"{"name": {"en": "g"}, "version": "1.0.0", "effective": "2022-04-01", "completeness": "complete",
      "parts": [{"part": "controls", "domains": [{"id": "5", "title": {"en": "d"}, "categories": [
        {"id": "5.1", "title": {"en": "c"}, "objectives": [
          {"id": "5.1.1", "title": {"en": "a"}}, {"id": "5.1.3", "title": {"en": "b"}}]}]}]}]}"#;
    let (catalog, warnings) = Catalog::from_json_str(json).unwrap();
    assert_eq!(catalog.nodes().len(), 4);
    assert_eq!(warnings.len(), 1);
    assert!(matches!(&warnings[0].kind, ProblemKind::NumberingGap { missing, .. } if missing == &[2]));
    assert_eq!(catalog.get(&"5.1.3".parse().unwrap()).unwrap().requirement, Requirement::RequiredUnlessExcluded);
}

#[test]
fn syntax_errors_name_the_path() {
    let e = Catalog::from_json_str(&BROKEN.replace("\"completeness\": \"complete\"", "\"completeness\": \"partial\""))
        .unwrap_err();
    assert!(matches!(&e, CatalogError::Syntax { path, .. } if path == "$.completeness"), "{e}");
    let e = Catalog::from_json_str(&BROKEN.replace("\"effective\"", "\"colour\": 1, \"effective\"")).unwrap_err();
    assert!(matches!(&e, CatalogError::Syntax { message, .. } if message.contains("colour")), "{e}");
    let e = Catalog::from_json_str("{").unwrap_err();
    assert!(matches!(e, CatalogError::Syntax { .. }));
}

#[test]
fn toml_catalogs_load_and_report_like_json() {
    let toml = r#"
name = { ja = "テスト", en = "test" }
version = "1.0.0"
effective = "2022-04-01"
completeness = "structure_only"

[[parts]]
part = "controls"

[[parts.domains]]
id = "9"
title = { en = "access" }

[[parts.domains.categories]]
id = "9.5.P"
title = { en = "cloud" }

[[parts.domains.categories.objectives]]
id = "9.5.1.P"

[[parts.domains.categories.objectives.controls]]
id = "9.5.1.1.PB"
"#;
    let (c, warnings) = Catalog::from_toml_str(toml).unwrap();
    // Only 9.5.P is listed under domain 9, so categories 9.1–9.4 are reported missing.
    assert!(
        matches!(&warnings[..], [w] if matches!(&w.kind, ProblemKind::NumberingGap { missing, .. } if missing == &[1, 2, 3, 4]))
    );
    let d = c.get(&"9.5.1.1.PB".parse().unwrap()).unwrap();
    assert!(d.cloud_specific && d.mandatory);
    assert_eq!(c.parent(d).unwrap().id.to_string(), "9.5.1.P");
    let Err(CatalogError::Invalid(p)) = Catalog::from_toml_str(&toml.replace("9.5.1.1.PB", "9.5.2.1.PB")) else {
        panic!()
    };
    assert_eq!(p[0].kind.code(), "missing_parent");
    assert_eq!(p[0].path, "$.parts[0].domains[0].categories[0].objectives[0].controls[0].id");
    let e = Catalog::from_toml_str("name = 3").unwrap_err();
    assert!(matches!(e, CatalogError::Syntax { format: "TOML", .. }), "{e}");
}
