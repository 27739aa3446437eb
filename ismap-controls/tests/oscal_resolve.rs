//! Profile resolution features the NIST baselines do not exercise, on a small catalog of our own
//! (`fixtures/oscal/abc_catalog.json`): flat and custom structures, use-first and keep, matching
//! and child controls, exclusions, up-levelling, set-parameters, alters, back-matter pruning,
//! chained and circular imports, imports through back-matter resources.
#![cfg(feature = "oscal")]
#![allow(missing_docs)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test helpers outside #[test] functions"
)]

use std::path::Path;

use ismap_controls::oscal::model::{Catalog, Control};
use ismap_controls::oscal::resolve::{MemoryFetcher, ResolveError, ResolveOptions, Resolved, Resolver, WarningKind};
use pretty_assertions::assert_eq;
use serde_json::{Value, json};

const CATALOG: &str = include_str!("fixtures/oscal/abc_catalog.json");

fn meta(title: &str) -> Value {
    json!({"title": title, "last-modified": "2026-02-01T00:00:00Z", "version": "1", "oscal-version": "1.1.2"})
}

fn profile(body: Value) -> String {
    let mut p = json!({"uuid": "9a0c7d3e-1b2f-4c5d-8e6f-7a8b9c0d1e2f", "metadata": meta("test profile")});
    for (k, v) in body.as_object().unwrap() {
        p[k] = v.clone();
    }
    json!({ "profile": p }).to_string()
}

fn fetcher(profiles: &[(&str, String)]) -> MemoryFetcher {
    let mut f = MemoryFetcher::new().with("cat/abc_catalog.json", CATALOG);
    for (path, text) in profiles {
        f = f.with(*path, text.clone());
    }
    f
}

fn resolve_with(f: &MemoryFetcher, path: &str) -> Result<Resolved, ResolveError> {
    Resolver::new(f).resolve_file(
        Path::new(path),
        &ResolveOptions::fixed("2026-03-01T00:00:00Z", "e3b0c442-98fc-4c14-9afb-f4c8996fb924"),
    )
}

fn resolve(body: Value) -> Resolved {
    let f = fetcher(&[("p.json", profile(body))]);
    resolve_with(&f, "p.json").unwrap()
}

fn ids(cs: &[Control]) -> Vec<&str> {
    cs.iter().map(|c| c.id.as_str()).collect()
}

fn all_ids(c: &Catalog) -> Vec<String> {
    c.all_controls().iter().map(|x| x.id.clone()).collect()
}

fn import(extra: Value) -> Value {
    let mut i = json!({"href": "cat/abc_catalog.json"});
    for (k, v) in extra.as_object().unwrap() {
        i[k] = v.clone();
    }
    i
}

#[test]
fn no_merge_is_flat_in_document_order_without_nesting() {
    let r = resolve(json!({"imports": [import(json!({"include-all": {}}))]}));
    let c = &r.catalog;
    assert!(c.groups.is_empty());
    assert_eq!(ids(&c.controls), ["a-1", "a-1.1", "a-1.2", "a-1.2.1", "a-2", "a-10", "b-1", "b-2"]);
    assert!(c.controls.iter().all(|x| x.controls.is_empty()));
    // The loose parameter inserted by b-1 stays; the unused one is pruned.
    assert_eq!(c.params.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(), ["p-loose"]);
    // Metadata: the profile's, with the resolution time and source.
    assert_eq!(c.metadata.title, "test profile");
    assert_eq!(c.metadata.last_modified, "2026-03-01T00:00:00Z");
    assert_eq!(c.metadata.links[0].rel.as_deref(), Some("resolution-source"));
    assert_eq!(c.metadata.links[0].href, "p.json");
    assert_eq!(c.metadata.oscal_version, "1.1.2");
    assert_eq!(c.uuid, "e3b0c442-98fc-4c14-9afb-f4c8996fb924");
}

#[test]
fn an_import_without_inclusion_includes_all_and_exclusion_wins() {
    let r = resolve(json!({
        "imports": [import(json!({"exclude-controls": [{"with-ids": ["a-2"]}, {"matching": [{"pattern": "a-1.*"}]}]}))],
        "merge": {"flat": {}}
    }));
    assert_eq!(all_ids(&r.catalog), ["a-1", "a-10", "b-1", "b-2"]);
}

#[test]
fn matching_globs_and_with_child_controls() {
    let r = resolve(json!({
        "imports": [import(json!({"include-controls": [
            {"matching": [{"pattern": "b-?"}]},
            {"with-ids": ["a-1"], "with-child-controls": "yes"}
        ], "exclude-controls": [{"with-ids": ["a-1.2.1"]}]}))],
        "merge": {"as-is": true}
    }));
    let c = &r.catalog;
    assert_eq!(c.groups.len(), 2);
    let a1 = c.find_control("a-1").unwrap();
    // with-child-controls: yes takes all descendants; the excluded grandchild is gone.
    assert_eq!(ids(&a1.controls), ["a-1.1", "a-1.2"]);
    assert!(a1.controls[1].controls.is_empty());
    assert_eq!(ids(&c.groups[1].controls), ["b-1", "b-2"]);
    // Without with-child-controls, children are not included.
    let r = resolve(
        json!({"imports": [import(json!({"include-controls": [{"with-ids": ["a-1"]}]}))], "merge": {"as-is": true}}),
    );
    assert!(r.catalog.find_control("a-1").unwrap().controls.is_empty());
}

#[test]
fn as_is_up_levels_children_of_unselected_controls_and_drops_empty_groups() {
    let r = resolve(json!({
        "imports": [import(json!({"include-controls": [{"with-ids": ["a-1.1", "a-1.2.1", "a-2", "missing-9"]}]}))],
        "merge": {"as-is": true}
    }));
    let c = &r.catalog;
    assert_eq!(c.groups.len(), 1, "group b has no selected control");
    let a = &c.groups[0];
    assert_eq!(a.props[0].value, "A", "group content is kept");
    // a-1 and a-1.2 are not selected: their selected descendants take their place.
    assert_eq!(ids(&a.controls), ["a-1.1", "a-1.2.1", "a-2"]);
    assert!(c.find_control("a-1").is_none());
    assert_eq!(
        r.warnings.iter().map(|w| w.kind.clone()).collect::<Vec<_>>(),
        [WarningKind::UnknownControl { id: "missing-9".into(), href: "cat/abc_catalog.json".into() }]
    );
}

#[test]
fn keep_keeps_clashes_with_a_warning_and_use_first_drops_them() {
    let twice = |method: &str| {
        json!({
            "imports": [
                import(json!({"include-controls": [{"with-ids": ["a-2", "b-1"]}]})),
                import(json!({"include-controls": [{"with-ids": ["b-1", "b-2"]}]}))
            ],
            "merge": {"combine": {"method": method}, "flat": {}}
        })
    };
    let keep = resolve(twice("keep"));
    assert_eq!(all_ids(&keep.catalog), ["a-2", "b-1", "b-1", "b-2"]);
    assert_eq!(keep.warnings[0].kind, WarningKind::DuplicateControl { id: "b-1".into() });
    let first = resolve(twice("use-first"));
    assert_eq!(all_ids(&first.catalog), ["a-2", "b-1", "b-2"]);
    assert!(first.warnings.is_empty());
    let merged = resolve(twice("merge"));
    assert_eq!(all_ids(&merged.catalog), ["a-2", "b-1", "b-2"]);
    assert_eq!(merged.warnings[0].kind, WarningKind::DeprecatedMerge);
    // Under as-is, groups of the two imports are merged by id.
    let mut v = twice("keep");
    v["merge"] = json!({"as-is": true});
    let r = resolve(v);
    assert_eq!(r.catalog.groups.iter().map(|g| g.id.clone().unwrap()).collect::<Vec<_>>(), ["a", "b"]);
    assert_eq!(ids(&r.catalog.groups[1].controls), ["b-1", "b-1", "b-2"]);
}

#[test]
fn custom_structure_with_insert_controls_and_ordering() {
    let r = resolve(json!({
        "imports": [import(json!({"include-all": {}}))],
        "merge": {"custom": {
            "insert-controls": [{"include-controls": [{"with-ids": ["b-2"]}]}],
            "groups": [
                {"id": "first", "title": "First", "props": [{"name": "label", "value": "I"}],
                 "insert-controls": [{"order": "descending", "include-controls": [{"matching": [{"pattern": "a-?"}, {"pattern": "a-10"}]}]}],
                 "groups": [{"title": "Nested", "insert-controls": [
                     {"include-controls": [{"with-ids": ["a-1"], "with-child-controls": "yes"}], "exclude-controls": [{"with-ids": ["a-1.2"]}], "order": "ascending"}
                 ]}]},
                {"title": "Nothing", "insert-controls": [{"include-controls": [{"with-ids": ["zz-1"]}]}]}
            ]
        }}
    }));
    let c = &r.catalog;
    assert_eq!(ids(&c.controls), ["b-2"]);
    assert_eq!(c.groups[0].id.as_deref(), Some("first"));
    assert_eq!(c.groups[0].props[0].value, "I");
    // Natural order: a-10 > a-2 > a-1.
    assert_eq!(ids(&c.groups[0].controls), ["a-10", "a-2", "a-1"]);
    assert_eq!(ids(&c.groups[0].groups[0].controls), ["a-1", "a-1.1", "a-1.2.1"]);
    assert!(c.groups[0].groups[0].controls.iter().all(|x| x.controls.is_empty()));
    assert!(c.groups[1].controls.is_empty());
    assert_eq!(
        r.warnings.iter().map(|w| w.kind.clone()).collect::<Vec<_>>(),
        [WarningKind::EmptyInsert { group: "Nothing".into() }]
    );
}

#[test]
fn set_parameters_replace_and_append_in_sequence() {
    let r = resolve(json!({
        "imports": [import(json!({"include-controls": [{"with-ids": ["a-1", "b-1"]}]}))],
        "merge": {"as-is": true},
        "modify": {"set-parameters": [
            {"param-id": "a-1_prm_1", "label": "review frequency", "values": ["monthly"],
             "props": [{"name": "aggregates", "value": "x"}], "constraints": [{"description": "at least monthly"}]},
            {"param-id": "a-1_prm_1", "guidelines": [{"prose": "pick one"}], "class": "odp"},
            {"param-id": "p-loose", "values": ["loose value"]},
            {"param-id": "nope"}
        ]}
    }));
    let a1 = r.catalog.find_control("a-1").unwrap();
    let p = &a1.params[0];
    assert_eq!(p.label.as_deref(), Some("review frequency"));
    assert_eq!(p.values, ["monthly"]);
    assert!(p.select.is_none(), "values replace the select");
    assert_eq!(p.props.len(), 1);
    assert_eq!(p.constraints.len(), 1);
    assert_eq!(p.guidelines[0].prose, "pick one");
    assert_eq!(p.class.as_deref(), Some("odp"));
    assert_eq!(r.catalog.params[0].values, ["loose value"]);
    assert_eq!(r.warnings[0].kind, WarningKind::UnknownParameter { param_id: "nope".into() });
}

#[test]
fn alters_add_at_every_position() {
    let r = resolve(json!({
        "imports": [import(json!({"include-controls": [{"with-ids": ["a-1", "a-1.1"]}]}))],
        "merge": {"as-is": true},
        "modify": {"alters": [
            {"control-id": "a-1", "adds": [
                {"position": "starting", "props": [{"name": "first", "value": "1"}], "parts": [{"name": "overview", "prose": "o"}]},
                {"props": [{"name": "last", "value": "9"}], "title": "Control A1 (tailored)"},
                {"position": "after", "by-id": "a-1_smt.a", "parts": [{"id": "a-1_smt.a2", "name": "item", "prose": "inserted"}],
                 "props": [{"name": "p-in-smt", "value": "v"}]},
                {"position": "before", "by-id": "a-1_gdn", "parts": [{"name": "note", "prose": "before guidance"}]},
                {"position": "starting", "by-id": "a-1_smt.b", "props": [{"name": "inside", "value": "b"}]},
                {"position": "ending", "by-id": "a-1_prm_1", "props": [{"name": "on-param", "value": "p"}], "parts": [{"name": "x"}]},
                {"position": "ending", "by-id": "a-1.1", "props": [{"name": "on-child", "value": "c"}]},
                {"by-id": "no-such-id", "props": [{"name": "lost", "value": "l"}]}
            ]}
        ]}
    }));
    let a1 = r.catalog.find_control("a-1").unwrap();
    assert_eq!(a1.title, "Control A1 (tailored)");
    let names: Vec<&str> = a1.props.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["first", "label", "status", "last"]);
    let parts: Vec<&str> = a1.parts.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(parts, ["overview", "statement", "note", "guidance"]);
    let smt = &a1.parts[1];
    assert_eq!(
        smt.parts.iter().map(|p| p.id.clone().unwrap()).collect::<Vec<_>>(),
        ["a-1_smt.a", "a-1_smt.a2", "a-1_smt.b"]
    );
    assert_eq!(smt.props[0].name, "p-in-smt", "props of an `after` go to the container");
    assert_eq!(smt.parts[2].props[0].name, "inside");
    assert_eq!(a1.params[0].props[0].name, "on-param");
    assert_eq!(a1.controls[0].props.last().unwrap().name, "on-child");
    let kinds: Vec<WarningKind> = r.warnings.iter().map(|w| w.kind.clone()).collect();
    assert_eq!(kinds.len(), 2, "{kinds:?}");
    assert!(matches!(
        &kinds[0],
        WarningKind::InoperativeAdd {
            issue: ismap_controls::oscal::resolve::AddIssue::NotHeld { item: "parts", .. },
            ..
        }
    ));
    assert!(matches!(
        &kinds[1],
        WarningKind::InoperativeAdd { issue: ismap_controls::oscal::resolve::AddIssue::TargetNotFound { .. }, .. }
    ));
}

#[test]
fn alters_remove_by_every_criterion() {
    let r = resolve(json!({
        "imports": [import(json!({"include-controls": [{"with-ids": ["a-1", "a-1.1", "a-1.2"]}]}))],
        "merge": {"as-is": true},
        "modify": {"alters": [
            {"control-id": "a-1", "removes": [
                {"by-name": "status", "by-ns": "https://example.org/ns"},
                {"by-class": "late"},
                {"by-id": "a-1_gdn"},
                {"by-item-name": "link"},
                {"by-id": "a-1.2"},
                {"by-name": "label", "by-ns": "https://other.example/ns"},
                {}
            ]},
            {"control-id": "zz-9", "removes": [{"by-item-name": "prop"}]}
        ]}
    }));
    let a1 = r.catalog.find_control("a-1").unwrap();
    assert_eq!(a1.props.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["label"]);
    assert_eq!(a1.parts.len(), 1);
    assert_eq!(a1.parts[0].parts.len(), 1, "the part of class `late` is gone");
    assert!(a1.links.is_empty());
    assert_eq!(ids(&a1.controls), ["a-1.1"]);
    let kinds: Vec<WarningKind> = r.warnings.iter().map(|w| w.kind.clone()).collect();
    assert_eq!(
        kinds,
        [
            WarningKind::InoperativeRemove { control_id: "a-1".into() },
            WarningKind::InoperativeRemove { control_id: "a-1".into() },
            WarningKind::UnknownAlteredControl { control_id: "zz-9".into() },
        ]
    );
    // The removed link referenced a resource, which is pruned with it.
    let kept: Vec<&str> =
        r.catalog.back_matter.iter().flat_map(|b| b.resources.iter().map(|x| x.uuid.as_str())).collect();
    assert!(!kept.contains(&"11111111-1111-4111-8111-111111111111"));
}

#[test]
fn back_matter_is_pruned_to_referenced_and_kept_resources() {
    let r = resolve(json!({
        "imports": [import(json!({"include-controls": [{"with-ids": ["a-1", "b-2"]}]}))],
        "back-matter": {"resources": [
            {"uuid": "22222222-2222-4222-8222-222222222222", "title": "The profile's own version"},
            {"uuid": "55555555-5555-4555-8555-555555555555", "title": "Unreferenced profile resource"},
            {"uuid": "44444444-4444-4444-8444-444444444444", "title": "Not kept: the catalog's is keep-always"}
        ]}
    }));
    let res = &r.catalog.back_matter.as_ref().unwrap().resources;
    let got: Vec<(&str, &str)> = res.iter().map(|x| (x.uuid.as_str(), x.title.as_deref().unwrap())).collect();
    assert_eq!(
        got,
        [
            ("11111111-1111-4111-8111-111111111111", "Referenced from A1"),
            ("44444444-4444-4444-8444-444444444444", "Kept always"),
            ("22222222-2222-4222-8222-222222222222", "The profile's own version"),
        ]
    );
}

#[test]
fn chained_imports_resolve_the_inner_profile_first_relative_to_it() {
    let inner = profile(json!({
        "imports": [{"href": "../cat/abc_catalog.json", "include-controls": [{"with-ids": ["a-1", "a-2", "b-1"]}]}],
        "merge": {"as-is": true},
        "modify": {"alters": [{"control-id": "a-2", "adds": [{"props": [{"name": "tailored", "value": "inner"}]}]}]}
    }));
    let outer = profile(json!({
        "imports": [{"href": "inner/p1.json", "exclude-controls": [{"with-ids": ["b-1"]}]}],
        "merge": {"as-is": true}
    }));
    let f = fetcher(&[("inner/p1.json", inner), ("p2.json", outer)]);
    let r = resolve_with(&f, "p2.json").unwrap();
    assert_eq!(all_ids(&r.catalog), ["a-1", "a-2"]);
    assert_eq!(r.catalog.find_control("a-2").unwrap().props[0].name, "tailored");
}

#[test]
fn import_cycles_are_errors_naming_the_chain() {
    let a = profile(json!({"imports": [{"href": "b.json", "include-all": {}}]}));
    let b = profile(json!({"imports": [{"href": "sub/c.json", "include-all": {}}]}));
    let c = profile(json!({"imports": [{"href": "../a.json", "include-all": {}}]}));
    let f = fetcher(&[("a.json", a), ("b.json", b), ("sub/c.json", c)]);
    let err = resolve_with(&f, "a.json").unwrap_err();
    match &err {
        ResolveError::Cycle { chain } => {
            let names: Vec<String> = chain.iter().map(|p| p.display().to_string()).collect();
            assert_eq!(names, ["a.json", "b.json", "sub/c.json", "a.json"]);
        }
        other => panic!("{other}"),
    }
    assert!(err.to_string().contains("`a.json` -> `b.json` -> `sub/c.json` -> `a.json`"), "{err}");
    // A self-import too.
    let s = profile(json!({"imports": [{"href": "self.json", "include-all": {}}]}));
    let f = fetcher(&[("self.json", s)]);
    assert!(matches!(resolve_with(&f, "self.json"), Err(ResolveError::Cycle { .. })));
}

#[test]
fn imports_through_back_matter_resources() {
    use std::fmt::Write;
    // rlinks: the XML one is missing, the JSON one is used first anyway.
    let via_rlink = profile(json!({
        "imports": [{"href": "#aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa", "include-controls": [{"with-ids": ["b-1"]}]}],
        "back-matter": {"resources": [{"uuid": "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa", "rlinks": [
            {"href": "cat/abc_catalog.xml", "media-type": "application/oscal.catalog+xml"},
            {"href": "cat/abc_catalog.json", "media-type": "application/oscal.catalog+json"}
        ]}]}
    }));
    // base64: the catalog embedded in the profile.
    let table = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut b64 = String::new();
    for chunk in CATALOG.as_bytes().chunks(3) {
        let n = chunk.iter().fold(0u32, |acc, b| (acc << 8) | u32::from(*b)) << (8 * (3 - chunk.len()));
        for i in 0..=chunk.len() {
            b64.push(table[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
        for _ in chunk.len()..3 {
            b64.write_char('=').unwrap();
        }
    }
    let via_base64 = profile(json!({
        "imports": [{"href": "#bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb", "include-controls": [{"with-ids": ["b-2"]}]}],
        "back-matter": {"resources": [{"uuid": "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb", "base64": {"value": b64}}]}
    }));
    let remote = profile(json!({"imports": [{"href": "https://example.org/catalog.json", "include-all": {}}]}));
    let unknown = profile(json!({"imports": [{"href": "#cccccccc-cccc-4ccc-8ccc-cccccccccccc", "include-all": {}}]}));
    let f = fetcher(&[("r.json", via_rlink), ("b.json", via_base64), ("remote.json", remote), ("u.json", unknown)]);
    assert_eq!(all_ids(&resolve_with(&f, "r.json").unwrap().catalog), ["b-1"]);
    assert_eq!(all_ids(&resolve_with(&f, "b.json").unwrap().catalog), ["b-2"]);
    assert!(matches!(resolve_with(&f, "remote.json"), Err(ResolveError::Remote { .. })));
    assert!(matches!(resolve_with(&f, "u.json"), Err(ResolveError::Resource { .. })));
}

#[test]
fn malformed_profiles_are_errors_with_their_json_path() {
    let f = fetcher(&[
        ("two.json", profile(json!({"imports": [import(json!({}))], "merge": {"flat": {}, "as-is": true}}))),
        ("typo.json", profile(json!({"imports": [import(json!({"include-al": {}}))]}))),
    ]);
    assert!(matches!(resolve_with(&f, "two.json"), Err(ResolveError::Invalid { .. })));
    let err = resolve_with(&f, "typo.json").unwrap_err();
    assert!(err.to_string().contains("$.profile.imports[0]"), "{err}");
    assert!(err.to_string().contains("include-al"), "{err}");
}

/// A profile whose alter adds a property to the control through `by-id` set to the control's
/// own id, as some published baselines do to flag controls.
fn self_targeted_profile() -> Value {
    json!({
        "imports": [import(json!({"include-controls": [{"with-ids": ["a-1", "b-1"]}]}))],
        "modify": {"alters": [
            {"control-id": "b-1", "adds": [
                {"position": "ending", "by-id": "b-1", "props": [{"name": "flag", "value": "yes"}]},
                {"props": [{"name": "plain", "value": "no-by-id"}]}
            ]}
        ]}
    })
}

#[test]
fn self_targeted_adds_apply_to_the_control_by_default_with_a_warning() {
    let r = resolve(self_targeted_profile());
    let b1 = r.catalog.find_control("b-1").unwrap();
    let names: Vec<&str> = b1.props.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["flag", "plain"]);
    assert_eq!(r.warnings.len(), 1, "{:?}", r.warnings);
    assert_eq!(r.warnings[0].kind, WarningKind::SelfTargetedAdd { control_id: "b-1".into(), applied: true });
    let text = r.warnings[0].to_string();
    assert!(text.contains("profile resolution specification") && text.contains("applied"), "{text}");
}

#[test]
fn strict_spec_leaves_self_targeted_adds_inoperative() {
    let f = fetcher(&[("p.json", profile(self_targeted_profile()))]);
    let r = Resolver::new(&f)
        .resolve_file(
            Path::new("p.json"),
            &ResolveOptions::fixed("2026-03-01T00:00:00Z", "e3b0c442-98fc-4c14-9afb-f4c8996fb924")
                .with_strict_spec(true),
        )
        .unwrap();
    let b1 = r.catalog.find_control("b-1").unwrap();
    let names: Vec<&str> = b1.props.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["plain"], "the add without by-id still applies");
    assert_eq!(r.warnings.len(), 1, "{:?}", r.warnings);
    assert_eq!(r.warnings[0].kind, WarningKind::SelfTargetedAdd { control_id: "b-1".into(), applied: false });
    assert!(r.warnings[0].to_string().contains("inoperative"));
}

#[test]
fn several_adds_at_one_place_keep_profile_order() {
    let prop = |n: &str| json!({"name": n, "value": "v"});
    let part = |id: &str| json!({"id": id, "name": "item", "prose": id});
    let r = resolve(json!({
        "imports": [import(json!({"include-controls": [{"with-ids": ["a-1"]}]}))],
        "modify": {"alters": [
            {"control-id": "a-1", "adds": [
                {"position": "starting", "props": [prop("s1"), prop("s2")]},
                {"position": "starting", "props": [prop("s3")]},
                {"position": "starting", "by-id": "a-1", "props": [prop("s4")]},
                {"position": "ending", "props": [prop("e1")]},
                {"position": "ending", "props": [prop("e2")]},
                {"position": "starting", "by-id": "a-1_smt", "parts": [part("x1")]},
                {"position": "starting", "by-id": "a-1_smt", "parts": [part("x2")]},
                {"position": "after", "by-id": "a-1_smt.a", "parts": [part("y1")]},
                {"position": "after", "by-id": "a-1_smt.a", "parts": [part("y2")]},
                {"position": "before", "by-id": "a-1_smt.b", "parts": [part("z1")]},
                {"position": "before", "by-id": "a-1_smt.b", "parts": [part("z2")]}
            ]}
        ]}
    }));
    let a1 = r.catalog.find_control("a-1").unwrap();
    let names: Vec<&str> = a1.props.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["s1", "s2", "s3", "s4", "label", "status", "e1", "e2"]);
    let smt = a1.parts.iter().find(|p| p.id.as_deref() == Some("a-1_smt")).unwrap();
    let ids: Vec<&str> = smt.parts.iter().filter_map(|p| p.id.as_deref()).collect();
    assert_eq!(ids, ["x1", "x2", "a-1_smt.a", "y1", "y2", "z1", "z2", "a-1_smt.b"]);
}

#[test]
fn imports_by_url_resolve_against_mapped_local_copies() {
    const URL: &str = "https://example.org/oscal/abc_catalog.json";
    let direct = profile(json!({"imports": [{"href": URL, "include-controls": [{"with-ids": ["b-1"]}]}]}));
    let through_resource = profile(json!({
        "imports": [{"href": "#6a1d0c8e-3f2b-4d5e-9a7c-1b2c3d4e5f60", "include-controls": [{"with-ids": ["b-2"]}]}],
        "back-matter": {"resources": [{"uuid": "6a1d0c8e-3f2b-4d5e-9a7c-1b2c3d4e5f60",
            "rlinks": [{"href": format!("{URL}#frag"), "media-type": "application/oscal.catalog+json"}]}]}
    }));
    let f = fetcher(&[("p/direct.json", direct), ("p/resource.json", through_resource)]);
    let fixed = || ResolveOptions::fixed("2026-03-01T00:00:00Z", "e3b0c442-98fc-4c14-9afb-f4c8996fb924");
    // Without a mapping: refused, nothing fetched.
    let e = Resolver::new(&f).resolve_file(Path::new("p/direct.json"), &fixed()).unwrap_err();
    assert!(matches!(&e, ResolveError::Remote { href } if href == URL), "{e:?}");
    assert!(e.to_string().contains("--map-import"), "{e}");
    // Mapped (the path is not relative to the profile).
    let mapped = fixed().with_import(URL, "cat/abc_catalog.json");
    let r = Resolver::new(&f).resolve_file(Path::new("p/direct.json"), &mapped).unwrap();
    assert_eq!(all_ids(&r.catalog), ["b-1"]);
    let r = Resolver::new(&f).resolve_file(Path::new("p/resource.json"), &mapped).unwrap();
    assert_eq!(all_ids(&r.catalog), ["b-2"]);
    // Mapped to a file that is not there: a read error naming both.
    let e = Resolver::new(&f)
        .resolve_file(Path::new("p/direct.json"), &fixed().with_import(URL, "nowhere.json"))
        .unwrap_err();
    assert!(
        matches!(&e, ResolveError::Read { href, path, .. } if href == URL && path == Path::new("nowhere.json")),
        "{e:?}"
    );
}

#[test]
fn profile_alters_are_checked_against_what_the_imports_give() {
    use ismap_controls::oscal::validate::{OscalProblemKind, profile_alters};
    let text = profile(json!({
        "imports": [import(json!({"include-controls": [{"with-ids": ["a-1", "b-1"]}]}))],
        "modify": {"alters": [
            {"control-id": "z-9", "adds": [{"props": [{"name": "n", "value": "v"}]}]},
            {"control-id": "a-1", "adds": [
                {"by-id": "a-1_nope", "props": [{"name": "n", "value": "v"}]},
                {"position": "after", "by-id": "a-1_gdn", "parts": [{"id": "a-1_gdn", "name": "guidance"}]},
                {"parts": [{"name": "x", "parts": [{"id": "new-1", "name": "item"}]}]},
                {"by-id": "new-1", "parts": [{"id": "new-1", "name": "item"}]}
            ]},
            {"control-id": "b-1", "removes": [{"by-id": "b-1_smt"}], "adds": [{"parts": [{"id": "b-1_smt", "name": "statement"}]}]}
        ]}
    }));
    let f = fetcher(&[("p.json", text.clone())]);
    let p = ismap_controls::oscal::load_profile_str(&text).unwrap();
    let merged = Resolver::new(&f).resolve_unmodified(&p, Path::new("p.json"), &ResolveOptions::default()).unwrap();
    assert!(merged.find_control("a-1").unwrap().parts.iter().all(|x| x.name != "x"), "modify not applied");
    let got: Vec<(String, OscalProblemKind)> =
        profile_alters(&p, Some(&merged)).into_iter().map(|x| (x.path, x.kind)).collect();
    let want = vec![
        (
            "$.profile.modify.alters[0].control-id".to_owned(),
            OscalProblemKind::MissingAlterTarget { control_id: "z-9".into(), by_id: None },
        ),
        (
            "$.profile.modify.alters[1].adds[0].by-id".to_owned(),
            OscalProblemKind::MissingAlterTarget { control_id: "a-1".into(), by_id: Some("a-1_nope".into()) },
        ),
        (
            "$.profile.modify.alters[1].adds[1].parts[0].id".to_owned(),
            OscalProblemKind::DuplicateAddedId {
                id: "a-1_gdn".into(),
                first_add: None,
                control_id: Some("a-1".into()),
            },
        ),
        (
            "$.profile.modify.alters[1].adds[3].parts[0].id".to_owned(),
            OscalProblemKind::DuplicateAddedId {
                id: "new-1".into(),
                first_add: Some("$.profile.modify.alters[1].adds[2].parts[0].parts[0].id".into()),
                control_id: None,
            },
        ),
    ];
    assert_eq!(got, want);
    // Without the imports, only the adds clashing among themselves.
    let alone: Vec<String> = profile_alters(&p, None).into_iter().map(|x| x.path).collect();
    assert_eq!(alone, ["$.profile.modify.alters[1].adds[3].parts[0].id"]);
}
