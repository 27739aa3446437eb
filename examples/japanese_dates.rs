//! Japanese era dates and fiscal years. Run: `cargo run --example japanese_dates`.

use ismap::model::FiscalYear;
use ismap::model::era::{format_japanese_date, parse_japanese_date};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    for s in ["令和2年5月13日", "令和元年5月1日", "平成31年4月30日"] {
        let d = parse_japanese_date(s)?;
        println!("{s} = {d} ({})", FiscalYear::containing(d));
    }
    if let Err(e) = parse_japanese_date("平成31年5月1日") {
        println!("rejected: {e}");
    }
    for fy in [2018, 2019, 2020] {
        let fy = FiscalYear::new(fy);
        println!("{fy} = {} ({} .. {})", fy.to_japanese().unwrap_or_default(), fy.first_day(), fy.last_day());
    }
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).ok_or("date")?;
    println!("{today} = {}", format_japanese_date(today).unwrap_or_default());
    Ok(())
}
