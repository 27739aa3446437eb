//! OSCAL mapping collections (JSON): never panic; load -> save -> load is lossless; validation
//! and the crosswalk queries run on whatever loads.
#![no_main]

use ismap_controls::oscal::mapping::Crosswalk;
use ismap_controls::oscal::{self, MappingCollection, validate};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    let Ok(doc) = oscal::load_mapping_collection_str(s) else { return };
    let json = oscal::to_json(&oscal::MappingFile::new(doc.clone()));
    let back: MappingCollection = oscal::load_mapping_collection_str(&json).expect("own JSON loads");
    assert_eq!(back, doc, "lossless round trip");
    let _ = validate::validate_mapping_collection(&doc);
    let walk = Crosswalk::new(&doc);
    let ids: Vec<&str> = walk.source_ids().collect();
    for id in ids {
        let _ = walk.targets_of(id);
        let _ = walk.sources_of(id);
        let _ = walk.covering_targets(id);
    }
});
