//! Conformance on NIST's SP 800-53 rev5 (5.0.1) OSCAL content: lossless load/save, and profile
//! resolution equal to NIST's resolved LOW and MODERATE catalogs.
//!
//! The data is read from `../shared/data/oscal/nist-sp800-53-rev5.0.1/` relative to the
//! workspace root, or from `$ISMAP_SHARED_DATA` (the shared folder, or the data folder itself).
//! The tests fail, not skip, when it is missing.
#![cfg(feature = "oscal")]
#![allow(missing_docs)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test helpers outside #[test] functions"
)]

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use ismap_controls::oscal::resolve::{ResolveOptions, resolve_file};
use ismap_controls::oscal::{self, Catalog, Control};
use pretty_assertions::assert_eq;
use serde_json::Value;

const SUBDIR: &str = "data/oscal/nist-sp800-53-rev5.0.1";

fn data_dir() -> PathBuf {
    let mut tried = Vec::new();
    if let Ok(v) = std::env::var("ISMAP_SHARED_DATA") {
        let v = PathBuf::from(v);
        for c in [v.join(SUBDIR), v.clone()] {
            if c.join("NIST_SP-800-53_rev5_catalog.json").is_file() {
                return c;
            }
            tried.push(c);
        }
    }
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let c = workspace.join("../shared").join(SUBDIR);
    if c.join("NIST_SP-800-53_rev5_catalog.json").is_file() {
        return c;
    }
    tried.push(c);
    panic!(
        "NIST OSCAL test data not found (tried {}); set ISMAP_SHARED_DATA to the shared folder",
        tried.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
    );
}

fn file(name: &str) -> PathBuf {
    data_dir().join(name)
}

fn read(name: &str) -> String {
    std::fs::read_to_string(file(name)).unwrap()
}

fn profile(level: &str) -> PathBuf {
    file(&format!("NIST_SP-800-53_rev5_{level}-baseline_profile.json"))
}

#[test]
fn every_document_round_trips_losslessly() {
    for name in [
        "NIST_SP-800-53_rev5_catalog.json",
        "NIST_SP-800-53_rev5_LOW-baseline_profile.json",
        "NIST_SP-800-53_rev5_MODERATE-baseline_profile.json",
        "NIST_SP-800-53_rev5_HIGH-baseline_profile.json",
        "NIST_SP-800-53_rev5_PRIVACY-baseline_profile.json",
        "NIST_SP-800-53_rev5_LOW-baseline-resolved-profile_catalog.json",
        "NIST_SP-800-53_rev5_MODERATE-baseline-resolved-profile_catalog.json",
    ] {
        let text = read(name);
        let doc = oscal::load_document_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let saved = match &doc {
            oscal::Document::Catalog(c) => oscal::to_json(&oscal::CatalogFile::new((**c).clone())),
            oscal::Document::Profile(p) => oscal::to_json(&oscal::ProfileFile::new((**p).clone())),
            other => panic!("{name}: unexpected {}", other.kind()),
        };
        // Same JSON value as the original file (nothing dropped, nothing added)...
        let original: Value = serde_json::from_str(&text).unwrap();
        let resaved: Value = serde_json::from_str(&saved).unwrap();
        assert!(original == resaved, "{name}: saved JSON differs from the original");
        // ... and the same typed value on reload.
        assert_eq!(oscal::load_document_str(&saved).unwrap(), doc, "{name}");
    }
}

#[test]
fn the_catalog_has_the_documented_counts() {
    let c = oscal::load_catalog_str(&read("NIST_SP-800-53_rev5_catalog.json")).unwrap();
    assert_eq!(c.groups.len(), 20);
    let all = c.all_controls();
    assert_eq!(all.len(), 1189);
    let top: usize = c.groups.iter().map(|g| g.controls.len()).sum();
    assert_eq!(top, 322);
    let withdrawn = all.iter().filter(|x| x.prop("status", None) == Some("withdrawn")).count();
    assert_eq!(withdrawn, 182);
    let problems = oscal::validate::validate_catalog(&c);
    let errors: Vec<_> = problems.iter().filter(|p| p.severity == ismap_controls::Severity::Error).collect();
    assert!(errors.is_empty(), "{errors:?}");
}

/// The resolved catalog as JSON, with what legitimately differs between two resolutions taken
/// out: the uuid, `last-modified`, and the extension of the `resolution-source` link (NIST
/// resolved the XML profile, we resolve the JSON one).
fn normalized(catalog: &Catalog) -> Value {
    let mut v = serde_json::to_value(oscal::CatalogFile::new(catalog.clone())).unwrap();
    let c = v.get_mut("catalog").unwrap().as_object_mut().unwrap();
    assert!(c.remove("uuid").is_some());
    let m = c.get_mut("metadata").unwrap().as_object_mut().unwrap();
    assert!(m.remove("last-modified").is_some());
    for link in m.get_mut("links").and_then(Value::as_array_mut).into_iter().flatten() {
        if link["rel"] == "resolution-source" {
            let href = link["href"].as_str().unwrap();
            let stem = Path::new(href).file_stem().unwrap().to_str().unwrap().to_owned();
            link["href"] = Value::String(stem);
        }
    }
    v
}

fn resolve(level: &str) -> oscal::resolve::Resolved {
    resolve_file(&profile(level), &ResolveOptions::default()).unwrap_or_else(|e| panic!("{level}: {e}"))
}

fn assert_matches_nist(level: &str) {
    let ours = resolve(level);
    assert!(ours.warnings.is_empty(), "{level}: {:?}", ours.warnings);
    let theirs =
        oscal::load_catalog_str(&read(&format!("NIST_SP-800-53_rev5_{level}-baseline-resolved-profile_catalog.json")))
            .unwrap();
    // Structure first, for a readable failure.
    let ids = |c: &Catalog| c.all_controls().iter().map(|x| x.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&ours.catalog), ids(&theirs), "{level}: controls and their order");
    let groups = |c: &Catalog| c.groups.iter().map(|g| g.id.clone().unwrap_or_default()).collect::<Vec<_>>();
    assert_eq!(groups(&ours.catalog), groups(&theirs), "{level}: groups");
    let resources =
        |c: &Catalog| c.back_matter.iter().flat_map(|b| b.resources.iter().map(|r| r.uuid.clone())).collect::<Vec<_>>();
    assert_eq!(resources(&ours.catalog), resources(&theirs), "{level}: back-matter resources");
    // Then everything.
    assert!(normalized(&ours.catalog) == normalized(&theirs), "{level}: resolved catalog differs from NIST's");
    // The result carries a fresh uuid and a resolution time.
    assert_ne!(ours.catalog.uuid, theirs.uuid);
    assert!(chrono::DateTime::parse_from_rfc3339(&ours.catalog.metadata.last_modified).is_ok());
}

#[test]
fn low_resolves_to_nists_resolved_catalog() {
    assert_matches_nist("LOW");
}

#[test]
fn moderate_resolves_to_nists_resolved_catalog() {
    assert_matches_nist("MODERATE");
}

fn with_ids(level: &str) -> Vec<String> {
    let p = oscal::load_profile_str(&std::fs::read_to_string(profile(level)).unwrap()).unwrap();
    p.imports.iter().flat_map(|i| i.include_controls.iter().flat_map(|s| s.with_ids.clone())).collect()
}

#[test]
fn high_selects_exactly_its_ids() {
    let r = resolve("HIGH");
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    let got: HashSet<String> = r.catalog.all_controls().iter().map(|c| c.id.clone()).collect();
    let want: HashSet<String> = with_ids("HIGH").into_iter().collect();
    assert_eq!(got, want);
    assert_eq!(got.len(), 370);
}

/// PRIVACY selects enhancements without their parent (e.g. `ac-3.14` without `ac-3`). Under
/// `as-is`, the specification up-levels such a control to where its unselected parent was: it
/// sits directly in the family group, in catalog order, and the parent does not appear.
#[test]
fn privacy_up_levels_enhancements_selected_without_their_parent() {
    let r = resolve("PRIVACY");
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    let c = &r.catalog;
    let wanted = with_ids("PRIVACY");
    let got: Vec<String> = c.all_controls().iter().map(|x| x.id.clone()).collect();
    // Exactly the selected controls, each once: no implicit parents, nothing dropped.
    let mut sorted_got = got.clone();
    sorted_got.sort();
    let mut sorted_want = wanted.clone();
    sorted_want.sort();
    assert_eq!(sorted_got, sorted_want);
    assert_eq!(got.len(), 96);
    // Catalog order is kept.
    let source = oscal::load_catalog_str(&read("NIST_SP-800-53_rev5_catalog.json")).unwrap();
    let order: Vec<String> =
        source.all_controls().iter().map(|x| x.id.clone()).filter(|id| wanted.contains(id)).collect();
    assert_eq!(got, order);
    // Orphaned enhancements are direct children of their family group.
    let parent_of = |id: &str| -> Option<String> {
        source.all_controls().into_iter().find(|x| x.controls.iter().any(|k| k.id == id)).map(|x| x.id.clone())
    };
    let group_of = |id: &str| -> String {
        source
            .groups
            .iter()
            .find(|g| g.controls.iter().any(|x| x.id == id || contains(x, id)))
            .and_then(|g| g.id.clone())
            .unwrap()
    };
    let mut orphans = 0;
    for id in &wanted {
        let Some(parent) = parent_of(id) else { continue };
        if wanted.contains(&parent) {
            // Nested under its selected parent.
            let p = c.find_control(&parent).unwrap();
            assert!(p.controls.iter().any(|k| &k.id == id), "{id} not under {parent}");
        } else {
            orphans += 1;
            let g = c.groups.iter().find(|g| g.id.as_deref() == Some(group_of(id).as_str())).unwrap();
            assert!(g.controls.iter().any(|k| &k.id == id), "{id} not up-levelled into its group");
        }
    }
    for (orphan, parent) in [("ac-3.14", "ac-3"), ("pe-8.3", "pe-8"), ("sc-7.24", "sc-7"), ("sa-8.33", "sa-8")] {
        assert!(wanted.contains(&orphan.to_owned()) && !wanted.contains(&parent.to_owned()));
        assert!(c.find_control(parent).is_none());
    }
    assert!(orphans >= 4, "{orphans}");
    // The PE and SC families appear because of their up-levelled enhancements.
    for g in ["pe", "sc"] {
        assert!(c.groups.iter().any(|x| x.id.as_deref() == Some(g)), "group {g}");
    }
}

fn contains(c: &Control, id: &str) -> bool {
    c.controls.iter().any(|k| k.id == id || contains(k, id))
}

#[test]
fn the_xml_href_falls_back_to_the_json_sibling_and_a_missing_file_is_an_error() {
    let p = oscal::load_profile_str(&std::fs::read_to_string(profile("LOW")).unwrap()).unwrap();
    assert_eq!(p.imports[0].href, "NIST_SP-800-53_rev5_catalog.xml");
    assert!(!file("NIST_SP-800-53_rev5_catalog.xml").exists());
    // A profile naming a file that has no JSON sibling fails, naming the file.
    let mut broken = p.clone();
    broken.imports[0].href = "NIST_SP-800-53_rev4_catalog.xml".into();
    let fetch = oscal::resolve::FsFetcher;
    let err = oscal::resolve::Resolver::new(&fetch)
        .resolve_profile(&broken, &profile("LOW"), &ResolveOptions::default())
        .unwrap_err();
    assert!(err.to_string().contains("NIST_SP-800-53_rev4_catalog.xml"), "{err}");
}
