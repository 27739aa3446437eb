//! Catalog import from XLSX bytes (calamine) with a fixed column mapping: never panics; an
//! imported catalog round-trips through its document form.
//!
//! calamine 0.38 itself panics on some malformed cell references (see fuzz/README.md);
//! `import_xlsx` contains that panic with `catch_unwind` and reports the file as unreadable.
//! libfuzzer-sys installs a panic hook that aborts on *any* panic, even a caught one, so this
//! target restores the default hook once: a panic that escapes `import_xlsx` still aborts the
//! run (libfuzzer-sys checks the result of its own `catch_unwind`), a contained one does not.
#![no_main]

use std::sync::Once;

use ismap_controls::import::import_xlsx;
use libfuzzer_sys::fuzz_target;

#[path = "common/mapping.rs"]
mod common;

static DEFAULT_HOOK: Once = Once::new();

fuzz_target!(|data: &[u8]| {
    DEFAULT_HOOK.call_once(|| drop(std::panic::take_hook()));
    if let Ok(built) = import_xlsx(data, &common::mapping()) {
        common::check(&built);
    }
});
