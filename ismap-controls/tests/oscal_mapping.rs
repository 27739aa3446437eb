//! OSCAL 1.2 mapping collections: load/save losslessly, validation, crosswalk queries.
#![cfg(feature = "oscal")]
#![allow(missing_docs)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test helpers outside #[test] functions"
)]

use ismap_controls::oscal::mapping::{CoverageKind, Crosswalk, Relationship};
use ismap_controls::oscal::validate::{OscalProblemKind, validate_mapping_collection};
use ismap_controls::oscal::{self, MappingFile};
use pretty_assertions::assert_eq;
use serde_json::{Value, json};

fn item(id: &str) -> Value {
    json!({"type": "control", "id-ref": id})
}

fn map(n: u32, rel: &str, sources: &[&str], targets: &[&str]) -> Value {
    json!({
        "uuid": format!("00000000-0000-4000-8000-{n:012}"),
        "relationship": rel,
        "sources": sources.iter().map(|s| item(s)).collect::<Vec<_>>(),
        "targets": targets.iter().map(|s| item(s)).collect::<Vec<_>>()
    })
}

/// ISMAP -> SP 800-53: one map per relationship type.
fn collection() -> Value {
    let mut m6 = map(6, "intersects-with", &["ismap-12.4.1"], &["au-2", "au-3"]);
    m6["confidence-score"] = json!({"category": "medium", "percentage": 0.6});
    m6["qualifiers"] = json!([{"subject": "target", "predicate": "has-requirement", "category": "addressable", "description": "log retention differs"}]);
    json!({"mapping-collection": {
        "uuid": "00000000-0000-4000-8000-000000000100",
        "metadata": {"title": "ISMAP to SP 800-53", "last-modified": "2026-01-01T00:00:00+09:00", "version": "0.1", "oscal-version": "1.2.0"},
        "provenance": {"method": "human", "matching-rationale": "semantic", "status": "draft",
                       "mapping-description": "illustrative", "coverage": {"generation-method": "arbitrary", "target-coverage": 0.25}},
        "mappings": [{
            "uuid": "00000000-0000-4000-8000-000000000101",
            "source-resource": {"type": "catalog", "href": "ismap-catalog.json"},
            "target-resource": {"type": "catalog", "href": "NIST_SP-800-53_rev5_catalog.json"},
            "maps": [
                map(1, "equivalent-to", &["ismap-9.2.1"], &["ac-2"]),
                map(2, "equal-to", &["ismap-9.4.2"], &["ia-2"]),
                map(3, "subset-of", &["ismap-12.3.1"], &["cp-9"]),
                map(4, "superset-of", &["ismap-8.1.1"], &["cm-8"]),
                map(5, "no-relationship", &["ismap-8.1.1"], &["pe-1"]),
                m6
            ],
            "target-gap-summary": {"uuid": "00000000-0000-4000-8000-000000000102",
                                   "unmapped-controls": [{"with-ids": ["sr-1"]}]}
        }]
    }})
}

#[test]
fn loads_and_saves_losslessly() {
    let text = collection().to_string();
    let doc = oscal::load_mapping_collection_str(&text).unwrap();
    let saved: Value = serde_json::from_str(&oscal::to_json(&MappingFile::new(doc.clone()))).unwrap();
    assert_eq!(saved, collection());
    assert_eq!(oscal::load_mapping_collection_str(&saved.to_string()).unwrap(), doc);
    let rels: Vec<Relationship> = doc.mappings[0].maps.iter().map(|m| m.relationship.clone()).collect();
    assert_eq!(
        rels,
        [
            Relationship::EquivalentTo,
            Relationship::EqualTo,
            Relationship::SubsetOf,
            Relationship::SupersetOf,
            Relationship::NoRelationship,
            Relationship::IntersectsWith
        ]
    );
    assert!(validate_mapping_collection(&doc).is_empty(), "{:?}", validate_mapping_collection(&doc));
    assert!(matches!(oscal::load_document_str(&text).unwrap(), oscal::Document::MappingCollection(_)));
}

#[test]
fn unknown_keys_and_bad_values_are_reported() {
    let mut v = collection();
    v["mapping-collection"]["mappings"][0]["maps"][0]["strength"] = json!(1);
    let err = oscal::load_mapping_collection_str(&v.to_string()).unwrap_err();
    assert!(err.to_string().contains("$.mapping-collection.mappings[0].maps[0]"), "{err}");
    let mut v = collection();
    v["mapping-collection"]["mappings"][0]["maps"][1]["relationship"] = json!("similar-to");
    v["mapping-collection"]["provenance"]["method"] = json!("manual");
    v["mapping-collection"]["mappings"][0]["maps"][2]["targets"] = json!([]);
    let doc = oscal::load_mapping_collection_str(&v.to_string()).unwrap();
    let problems = validate_mapping_collection(&doc);
    let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "$.mapping-collection.provenance.method",
            "$.mapping-collection.mappings[0].maps[1].relationship",
            "$.mapping-collection.mappings[0].maps[2].targets"
        ]
    );
    assert!(matches!(problems[0].kind, OscalProblemKind::NotAllowed { .. }));
    // A relationship of another namespace is allowed.
    let mut v = collection();
    v["mapping-collection"]["mappings"][0]["maps"][1]["relationship"] = json!("similar-to");
    v["mapping-collection"]["mappings"][0]["maps"][1]["ns"] = json!("https://example.org/ns");
    let doc = oscal::load_mapping_collection_str(&v.to_string()).unwrap();
    assert!(validate_mapping_collection(&doc).is_empty());
}

#[test]
fn crosswalk_answers_which_targets_cover_a_source_and_how() {
    let doc = oscal::load_mapping_collection_str(&collection().to_string()).unwrap();
    let walk = Crosswalk::new(&doc);
    let full = |id: &str| walk.covering_targets(id).into_iter().flat_map(|h| h.related).collect::<Vec<_>>();
    assert_eq!(full("ismap-9.2.1"), ["ac-2"]);
    assert_eq!(full("ismap-9.4.2"), ["ia-2"]);
    assert_eq!(full("ismap-12.3.1"), ["cp-9"], "subset-of: the target contains all of the source");
    assert!(full("ismap-8.1.1").is_empty(), "superset-of and no-relationship do not cover");
    let hits = walk.targets_of("ismap-8.1.1");
    assert_eq!(
        hits.iter().map(|h| (h.relationship.as_str(), h.coverage, h.related.clone())).collect::<Vec<_>>(),
        [
            ("superset-of", CoverageKind::Partial, vec!["cm-8".to_owned()]),
            ("no-relationship", CoverageKind::None, vec!["pe-1".to_owned()])
        ]
    );
    let h = &walk.targets_of("ismap-12.4.1")[0];
    assert_eq!(h.related, ["au-2", "au-3"]);
    assert_eq!(h.coverage, CoverageKind::Partial);
    assert_eq!(h.confidence.as_ref().and_then(|c| c.percentage), Some(0.6));
    assert_eq!(h.qualifiers, ["log retention differs"]);
    // Reverse direction: read from the target, subset-of becomes superset-of.
    let back = walk.sources_of("cp-9");
    assert_eq!(back[0].relationship, "superset-of");
    assert_eq!(back[0].related, ["ismap-12.3.1"]);
    assert_eq!(walk.sources_of("au-3")[0].with, ["au-2", "au-3"]);
    assert!(walk.targets_of("ismap-1.1.1").is_empty());
    assert_eq!(walk.source_ids().count(), 5);
}
