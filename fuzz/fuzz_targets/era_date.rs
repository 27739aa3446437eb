//! Japanese era dates and fiscal years: never panic; a parsed date formats back to a string that
//! parses to the same date; a fiscal year survives Display and its Japanese name.
#![no_main]

use ismap_model::FiscalYear;
use ismap_model::era::{format_japanese_date, parse_japanese_date};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    if let Ok(d) = parse_japanese_date(s) {
        let text = format_japanese_date(d).expect("a parsed era date has an era");
        assert_eq!(parse_japanese_date(&text), Ok(d), "{s:?} -> {d} -> {text:?}");
        let fy = FiscalYear::containing(d);
        assert!(fy.contains(d));
    }
    if let Ok(fy) = s.parse::<FiscalYear>() {
        let shown = fy.to_string();
        assert_eq!(shown.parse::<FiscalYear>().ok(), Some(fy), "{s:?} -> {shown}");
        if let Some(ja) = fy.to_japanese() {
            assert_eq!(ja.parse::<FiscalYear>().ok(), Some(fy), "{s:?} -> {ja}");
        }
        let (first, last) = (fy.first_day(), fy.last_day());
        assert!(first <= last);
    }
});
