//! Registration numbers and corporate numbers: never panic; Display/FromStr round trip.
#![no_main]

use ismap_model::{CorporateNumber, RegistrationNumber};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    if let Ok(n) = s.parse::<RegistrationNumber>() {
        let shown = n.to_string();
        let back: RegistrationNumber = shown.parse().expect("a displayed registration number parses");
        assert_eq!(back, n);
        assert_eq!(n.as_str(), shown);
    }
    if let Ok(n) = s.parse::<CorporateNumber>() {
        let shown = n.to_string();
        let back: CorporateNumber = shown.parse().expect("a displayed corporate number parses");
        assert_eq!(back, n);
    }
});
