//! Input limits on the catalog, statement and agency-additions loaders: inputs just under each
//! cap load, inputs just over get an error naming the limit, its value and the size found.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use ismap_controls::{AgencyAdditions, Catalog, CatalogError, Statement};
use ismap_model::{LimitKind, Limits};

fn catalog_text() -> &'static str {
    Catalog::ismap_2022_json()
}

fn node_count() -> usize {
    Catalog::ismap_2022().nodes().len()
}

#[test]
fn catalog_input_bytes() {
    let len = catalog_text().len();
    assert!(Catalog::from_json_str_with(catalog_text(), &Limits::default().with_input_bytes(len)).is_ok());
    match Catalog::from_json_str_with(catalog_text(), &Limits::default().with_input_bytes(len - 1)) {
        Err(CatalogError::Limit(e)) => {
            assert_eq!((e.kind(), e.max(), e.actual()), (LimitKind::InputBytes, len - 1, len));
            assert!(e.to_string().contains("`input_bytes`"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn catalog_items() {
    let n = node_count();
    assert!(Catalog::from_json_str_with(catalog_text(), &Limits::default().with_items(n)).is_ok());
    let e = Catalog::from_json_str_with(catalog_text(), &Limits::default().with_items(n - 1)).unwrap_err();
    assert!(matches!(e, CatalogError::Limit(ref l) if l.kind() == LimitKind::Items && l.actual() == n), "{e}");
}

#[test]
fn catalog_depth_json_and_toml() {
    // The embedded catalog nests parts → domains → categories → objectives → controls → title:
    // measure its depth by finding the smallest limit that accepts it.
    let depth = (1..64)
        .find(|d| Catalog::from_json_str_with(catalog_text(), &Limits::default().with_depth(*d)).is_ok())
        .unwrap();
    let e = Catalog::from_json_str_with(catalog_text(), &Limits::default().with_depth(depth - 1)).unwrap_err();
    assert!(matches!(e, CatalogError::Limit(ref l) if l.kind() == LimitKind::Depth), "{e}");
    let deep = format!("name = {}", "[".repeat(100));
    let e = Catalog::from_toml_str_with(&deep, &Limits::default().with_depth(64)).unwrap_err();
    assert!(matches!(e, CatalogError::Limit(ref l) if l.kind() == LimitKind::Depth && l.max() == 64), "{e}");
}

#[test]
fn statement_limits() {
    let text = Statement::sample_json();
    let n = Statement::from_json_str(text).unwrap().selections.len();
    assert!(Statement::from_json_str_with(text, &Limits::default().with_items(n)).is_ok());
    let e = Statement::from_json_str_with(text, &Limits::default().with_items(n - 1)).unwrap_err();
    assert_eq!(e.path, "$");
    assert!(e.message.contains("`items`") && e.message.contains(&n.to_string()), "{e}");
    let e = Statement::from_json_str_with(text, &Limits::default().with_input_bytes(text.len() - 1)).unwrap_err();
    assert!(e.message.contains("`input_bytes`"), "{e}");
    assert!(Statement::from_json_str_with(text, &Limits::default().with_input_bytes(text.len())).is_ok());
    let e = Statement::from_toml_str_with("program = [[[[1]]]]", &Limits::default().with_depth(3)).unwrap_err();
    assert_eq!(e.format, "TOML");
    assert!(e.message.contains("`depth`"), "{e}");
}

#[test]
fn agency_additions_limits() {
    let text =
        r#"{"agency": {"en": "A"}, "require": ["8.1.2.1"], "requirements": [{"id": "A-1", "title": {"en": "x"}}]}"#;
    assert!(AgencyAdditions::from_json_str_with(text, &Limits::default().with_items(2)).is_ok());
    let e = AgencyAdditions::from_json_str_with(text, &Limits::default().with_items(1)).unwrap_err();
    assert!(e.message.contains("`items`"), "{e}");
}
