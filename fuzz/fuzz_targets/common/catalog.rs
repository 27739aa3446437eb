//! Invariants of a loaded catalog, shared by the catalog targets.

use ismap_controls::Catalog;

/// The document form loads back to the same catalog; parents, children and lookups agree.
pub fn check(catalog: &Catalog) {
    let doc = catalog.to_document();
    let json = serde_json::to_string(&doc).expect("a catalog document serializes");
    let (again, _) = Catalog::from_json_str(&json).expect("a catalog's own document loads");
    assert_eq!(again.to_document(), doc, "to_document round trip");
    assert_eq!(again.nodes().len(), catalog.nodes().len());
    for node in catalog.nodes() {
        assert_eq!(catalog.get(&node.id).map(|n| &n.id), Some(&node.id));
        if let Some(p) = catalog.parent(node) {
            assert!(catalog.children(p).any(|c| c.id == node.id));
        }
        let _ = catalog.domain_of(node);
        let _ = node.title_or_default();
    }
}
