//! ISMAP -> OSCAL export and OSCAL -> ISMAP import: the exported catalog validates against the
//! OSCAL catalog JSON Schema (a faithful subset written from the OSCAL 1.1.2 model, in
//! `fixtures/oscal/oscal_catalog_subset.schema.json`), round-trips, and the exported baselines
//! and agency additions resolve to what they say.
#![cfg(feature = "oscal")]
#![allow(missing_docs)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test helpers outside #[test] functions"
)]

use std::collections::BTreeMap;
use std::path::Path;

use ismap_controls::oscal::export::{self, ExportOptions, oscal_id};
use ismap_controls::oscal::resolve::{MemoryFetcher, ResolveOptions, Resolver};
use ismap_controls::oscal::{self, CatalogFile, ISMAP_NS, ProfileFile};
use ismap_controls::{AgencyAdditions, Baseline, Catalog, CatalogDocument, Completeness};
use ismap_model::{ControlLevel, Text};
use pretty_assertions::assert_eq;
use serde_json::{Value, json};

const SUBSET_SCHEMA: &str = include_str!("fixtures/oscal/oscal_catalog_subset.schema.json");

fn validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(SUBSET_SCHEMA).unwrap();
    jsonschema::options().should_validate_formats(true).build(&schema).unwrap()
}

fn errors(v: &jsonschema::Validator, doc: &Value) -> Vec<String> {
    v.iter_errors(doc).map(|e| format!("{} at {}", e, e.instance_path())).collect()
}

fn exported_json() -> Value {
    let c = export::catalog(Catalog::ismap_2022(), &ExportOptions::default());
    serde_json::from_str(&oscal::to_json(&CatalogFile::new(c))).unwrap()
}

#[test]
fn the_exported_embedded_catalog_validates_against_the_oscal_catalog_schema() {
    let v = validator();
    let doc = exported_json();
    assert_eq!(errors(&v, &doc), Vec::<String>::new());
    // The check can fail: ids that are not tokens, unknown keys, bad UUIDs, empty arrays.
    let mut bad = doc.clone();
    bad["catalog"]["groups"][0]["groups"][0]["id"] = json!("3");
    assert!(!errors(&v, &bad).is_empty());
    let mut bad = doc.clone();
    bad["catalog"]["metadata"]["author"] = json!("x");
    assert!(!errors(&v, &bad).is_empty());
    let mut bad = doc.clone();
    bad["catalog"]["uuid"] = json!("not-a-uuid");
    assert!(!errors(&v, &bad).is_empty());
    let mut bad = doc;
    bad["catalog"]["groups"][0]["props"] = json!([]);
    assert!(!errors(&v, &bad).is_empty());
}

#[test]
fn the_subset_schema_accepts_nists_catalog_when_present() {
    // Faithfulness check of the hand-written schema against real OSCAL content (the NIST
    // conformance tests in oscal_nist.rs require the data; here it is optional).
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(
        "../../shared/data/oscal/nist-sp800-53-rev5.0.1/NIST_SP-800-53_rev5_LOW-baseline-resolved-profile_catalog.json",
    );
    let Ok(text) = std::fs::read_to_string(&path) else { return };
    let mut doc: Value = serde_json::from_str(&text).unwrap();
    // NIST's 5.0.1 content is OSCAL 1.0.0; `depends-on` on parameters was dropped in 1.1.
    fn strip(v: &mut Value) {
        match v {
            Value::Object(m) => {
                m.remove("depends-on");
                m.values_mut().for_each(strip);
            }
            Value::Array(a) => a.iter_mut().for_each(strip),
            _ => {}
        }
    }
    strip(&mut doc);
    let errs = errors(&validator(), &doc);
    assert!(errs.is_empty(), "{:?}", &errs[..errs.len().min(5)]);
}

#[test]
fn the_export_has_the_catalog_structure() {
    let c = export::catalog(Catalog::ismap_2022(), &ExportOptions::default());
    assert_eq!(c.groups.len(), 3, "governance, management, controls");
    let src = Catalog::ismap_2022();
    let objectives = src.at_level(ControlLevel::Objective).count();
    let detailed = src.at_level(ControlLevel::Detailed).count();
    let all = c.all_controls();
    assert_eq!(all.len(), objectives + detailed);
    let ctl = c.find_control("ismap-8.1.2").unwrap();
    assert_eq!(ctl.prop("label", None), Some("8.1.2"));
    assert_eq!(ctl.controls[0].id, "ismap-8.1.2.7.PB");
    assert_eq!(ctl.controls[0].prop("mandatory", Some(ISMAP_NS)), Some("true"));
    assert!(oscal::validate::validate_catalog(&c).iter().all(|p| p.severity != ismap_controls::Severity::Error));
    // Stable: the same export twice gives the same uuid.
    assert_eq!(c.uuid, export::catalog(src, &ExportOptions::default()).uuid);
}

#[test]
fn export_then_import_gives_the_same_catalog() {
    let json = oscal::to_json(&CatalogFile::new(export::catalog(Catalog::ismap_2022(), &ExportOptions::default())));
    let back = oscal::load_catalog_str(&json).unwrap();
    let imported = oscal::import::catalog(&back);
    assert!(imported.unmapped.is_empty(), "{:?}", imported.unmapped);
    let built = imported.result.unwrap();
    assert_eq!(built.catalog.to_document(), Catalog::ismap_2022().to_document());
}

/// A complete catalog (every item titled), with texts, in both title languages.
fn complete_catalog() -> (Catalog, BTreeMap<ismap_model::ControlId, Text>) {
    let mut doc: CatalogDocument = Catalog::ismap_2022().to_document();
    doc.completeness = Completeness::Complete;
    let title = |id: &str| Some(Text::new(format!("項目 {id}"), format!("Item {id}")));
    for part in &mut doc.parts {
        for d in &mut part.domains {
            d.title = d.title.clone().or_else(|| title(&d.id));
            for c in &mut d.categories {
                c.title = c.title.clone().or_else(|| title(&c.id));
                for o in &mut c.objectives {
                    o.title = o.title.clone().or_else(|| title(&o.id));
                    for k in &mut o.controls {
                        k.title = title(&k.id);
                    }
                }
            }
        }
    }
    let (catalog, _) = Catalog::from_document(&doc).unwrap();
    let texts = catalog
        .nodes()
        .filter(|n| n.level == ControlLevel::Detailed)
        .enumerate()
        .map(|(i, n)| {
            let t = if i % 3 == 0 {
                Text::ja(format!("{} を実施する", n.id))
            } else {
                Text::new(format!("{} 本文", n.id), format!("Text of {}", n.id))
            };
            (n.id, t)
        })
        .collect();
    (catalog, texts)
}

#[test]
fn texts_and_japanese_titles_round_trip() {
    let (catalog, texts) = complete_catalog();
    for lang in [ismap_model::Lang::En, ismap_model::Lang::Ja] {
        let mut opts = ExportOptions::default();
        opts.title_lang = lang;
        let exported = export::catalog_with_texts(&catalog, &texts, &opts);
        let doc: Value = serde_json::from_str(&oscal::to_json(&CatalogFile::new(exported.clone()))).unwrap();
        assert_eq!(errors(&validator(), &doc), Vec::<String>::new());
        let built = oscal::import::catalog(&exported).result.unwrap();
        assert_eq!(built.catalog.to_document(), catalog.to_document());
        assert_eq!(built.texts, texts);
    }
}

fn fetch_with(files: &[(&str, String)]) -> MemoryFetcher {
    let mut f = MemoryFetcher::new();
    for (p, t) in files {
        f = f.with(*p, t.clone());
    }
    f
}

fn catalog_json() -> String {
    oscal::to_json(&CatalogFile::new(export::catalog(Catalog::ismap_2022(), &ExportOptions::default())))
}

#[test]
fn the_ismap_baseline_resolves_to_the_whole_catalog() {
    let p = export::baseline_profile(
        &Baseline::ismap(),
        Catalog::ismap_2022(),
        export::DEFAULT_CATALOG_HREF,
        &ExportOptions::default(),
    );
    assert!(oscal::validate::validate_profile(&p).is_empty());
    let f = fetch_with(&[
        ("out/ismap-catalog.json", catalog_json()),
        ("out/ismap-profile.json", oscal::to_json(&ProfileFile::new(p))),
    ]);
    let r = Resolver::new(&f).resolve_file(Path::new("out/ismap-profile.json"), &ResolveOptions::default()).unwrap();
    assert!(r.warnings.is_empty());
    let source = export::catalog(Catalog::ismap_2022(), &ExportOptions::default());
    assert_eq!(r.catalog.groups, source.groups);
    // And it imports back into the same ISMAP catalog.
    let back = oscal::import::catalog(&r.catalog);
    assert!(back.unmapped.is_empty());
    assert_eq!(back.result.unwrap().catalog.nodes().len(), Catalog::ismap_2022().nodes().len());
}

#[test]
fn the_liu_baseline_marks_the_external_audit_scope() {
    let liu = Baseline::liu();
    let p = export::baseline_profile(&liu, Catalog::ismap_2022(), "ismap-catalog.json", &ExportOptions::default());
    let f = fetch_with(&[("ismap-catalog.json", catalog_json()), ("liu.json", oscal::to_json(&ProfileFile::new(p)))]);
    let r = Resolver::new(&f).resolve_file(Path::new("liu.json"), &ResolveOptions::default()).unwrap();
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    let marked: Vec<String> = r
        .catalog
        .all_controls()
        .iter()
        .filter(|c| c.prop("external-audit-scope", Some(ISMAP_NS)) == Some("true"))
        .map(|c| c.id.clone())
        .collect();
    let expected: Vec<String> = Catalog::ismap_2022()
        .nodes()
        .filter(|n| n.level >= ControlLevel::Objective && liu.in_external_audit_scope(&n.id))
        .map(|n| oscal_id(&n.id))
        .collect();
    assert!(!expected.is_empty());
    let (mut a, mut b) = (marked, expected);
    a.sort();
    b.sort();
    assert_eq!(a, b);
    assert!(r.catalog.find_control("ismap-5.1.1").unwrap().prop("external-audit-scope", Some(ISMAP_NS)).is_none());
}

#[test]
fn agency_additions_export_as_a_profile_and_a_requirements_catalog() {
    let additions = AgencyAdditions::from_json_str(
        r#"{"agency": {"ja": "架空庁", "en": "Fictional Agency"},
            "require": ["8.1.2.7.PB", "12.1.1.1"],
            "requirements": [{"id": "FA-01", "title": {"ja": "国内でデータを保管する", "en": "Keep data in Japan"}}]}"#,
    )
    .unwrap();
    let e = export::agency(
        &additions,
        Catalog::ismap_2022(),
        "ismap-catalog.json",
        "fa-requirements.json",
        &ExportOptions::default(),
    );
    assert_eq!(
        e.not_in_catalog.iter().map(ToString::to_string).collect::<Vec<_>>(),
        ["12.1.1.1"],
        "optional controls are not in the structure-only catalog"
    );
    let f = fetch_with(&[
        ("ismap-catalog.json", catalog_json()),
        ("fa-requirements.json", oscal::to_json(&CatalogFile::new(e.requirements.clone()))),
        ("fa.json", oscal::to_json(&ProfileFile::new(e.profile.clone()))),
    ]);
    let r = Resolver::new(&f).resolve_file(Path::new("fa.json"), &ResolveOptions::default()).unwrap();
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    let req = r.catalog.find_control("agency-FA-01").unwrap();
    assert_eq!(req.title, "Keep data in Japan");
    assert_eq!(req.prop("title-ja", Some(ISMAP_NS)), Some("国内でデータを保管する"));
    let marked = r.catalog.find_control("ismap-8.1.2.7.PB").unwrap();
    assert_eq!(marked.prop("agency-required", Some(ISMAP_NS)), Some("true"));
    let doc: Value = serde_json::from_str(&oscal::to_json(&CatalogFile::new(e.requirements))).unwrap();
    assert_eq!(errors(&validator(), &doc), Vec::<String>::new());
}

#[test]
fn a_foreign_catalog_imports_what_maps_and_reports_the_rest() {
    let text = json!({"catalog": {
        "uuid": "0b1e9f2c-6a1d-4c1e-8d1b-3f0a5b6c7d02",
        "metadata": {"title": "Mixed", "last-modified": "2024-05-01T00:00:00Z", "version": "1.2.0", "oscal-version": "1.1.2"},
        "groups": [
            {"id": "ac", "title": "Access control", "controls": [{"id": "ac-1", "title": "Policy"}]},
            {"id": "g8", "title": "Asset management", "props": [{"name": "label", "value": "8"}], "groups": [
                {"id": "g8-1", "title": "Responsibility", "props": [{"name": "label", "value": "8.1"}], "controls": [
                    {"id": "c-8-1-1", "title": "Inventory", "props": [{"name": "label", "value": "8.1.1"}]},
                    {"id": "x-9", "title": "Orphan", "props": [{"name": "label", "value": "9.9.9"}]}
                ]}
            ]}
        ]
    }})
    .to_string();
    let c = oscal::load_catalog_str(&text).unwrap();
    let imp = oscal::import::catalog(&c);
    assert_eq!(imp.unmapped.iter().map(|u| u.id.as_str()).collect::<Vec<_>>(), ["ac", "ac-1"]);
    assert_eq!(imp.unmapped[1].path, "$.catalog.groups[0].controls[0]");
    assert_eq!(imp.mapped, 4);
    // 9.9.9 maps to an id but its parents are missing: an error naming its JSON path.
    let problems = imp.result.unwrap_err();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].to_string().contains("$.catalog.groups[1].groups[0].controls[1]"), "{}", problems[0]);
}
