//! End-to-end: `ismap statement template|validate|convert`, and `ismap assess` on workbook and
//! CSV statements (findings at cells, findings written as a workbook).
#![allow(missing_docs)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic, reason = "tests")]

mod common;

use common::{assert_one_line_error, ismap, json, s, stderr, stdout, temp_dir, write};

#[test]
fn template_in_every_format() {
    let dir = temp_dir("template");
    for name in ["t.xlsx", "t.csv", "t.json", "t.toml"] {
        let out = dir.join(name);
        let o = ismap(&["statement", "template", "-o", s(&out)]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(std::fs::metadata(&out).unwrap().len() > 1000, "{name}");
    }
    let t = common::read_json(&dir.join("t.json"));
    assert_eq!(t["items"].as_array().unwrap().len(), 261);
    assert!(
        t["items"].as_array().unwrap().iter().all(|i| i["title"]["ja"].is_string() && i["title"]["en"].is_string())
    );
    let csv = std::fs::read_to_string(dir.join("t.csv")).unwrap();
    assert!(csv.starts_with("[Cover]\n"), "English in a neutral locale");
    // The language follows the locale (LANG), and --lang overrides it.
    let ja = dir.join("ja.csv");
    let o =
        common::command().env("LANG", "ja_JP.UTF-8").args(["statement", "template", "-o", s(&ja)]).output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert!(std::fs::read_to_string(&ja).unwrap().starts_with("[表紙]\n"));
    let o = common::command()
        .env("LANG", "ja_JP.UTF-8")
        .args(["statement", "template", "--lang", "en", "-o", s(&ja)])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert!(std::fs::read_to_string(&ja).unwrap().starts_with("[Cover]\n"));
    // An unknown extension is bad input, and nothing is written.
    let o = ismap(&["statement", "template", "-o", s(&dir.join("t.pdf"))]);
    let (e, h) = assert_one_line_error(&o);
    assert!(e.contains("t.pdf") && h.contains(".xlsx"), "{e} {h}");
    assert!(!dir.join("t.pdf").exists());
    // A folder that does not exist: the write fails, exit 2.
    let o = ismap(&["statement", "template", "-o", s(&dir.join("missing/t.xlsx"))]);
    assert_one_line_error(&o);
}

#[test]
fn assess_reads_workbooks_and_csv_and_names_cells() {
    let dir = temp_dir("assess");
    let xlsx = dir.join("sample.xlsx");
    let o =
        ismap(&["statement", "convert", "ismap-controls/data/sample-statement.json", "--lang", "ja", "-o", s(&xlsx)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = ismap(&["assess", s(&xlsx), "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let report = json(&o);
    let from_json = json(&ismap(&["assess", "--format", "json"]));
    assert_eq!(report["totals"], from_json["totals"], "the same findings as from JSON");
    let basic =
        report["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "basic-requirement-not-selected").unwrap();
    let at = basic["path"].as_str().unwrap();
    assert!(at.starts_with("回答!F"), "{at}");
    // CSV: line:column.
    let csv = dir.join("sample.csv");
    assert_eq!(ismap(&["statement", "convert", s(&xlsx), "-o", s(&csv)]).status.code(), Some(0));
    let report = json(&ismap(&["assess", s(&csv), "--format", "json"]));
    assert_eq!(report["totals"], from_json["totals"]);
    // Findings as a workbook, next to each item.
    let findings = dir.join("findings.xlsx");
    let o = ismap(&["assess", s(&csv), "--format", "xlsx", "-o", s(&findings), "--lang", "en"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    let bytes = std::fs::read(&findings).unwrap();
    assert!(bytes.starts_with(b"PK"));
    // Without -o, an xlsx report is refused rather than written to the terminal.
    let o = ismap(&["assess", s(&csv), "--format", "xlsx"]);
    let (_, h) = assert_one_line_error(&o);
    assert!(h.contains("-o"), "{h}");
}

#[test]
fn every_problem_on_its_own_line() {
    let dir = temp_dir("problems");
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string("ismap-controls/data/sample-statement.json").unwrap()).unwrap();
    v["period"]["end"] = "2025-02-30".into();
    v["selections"][0]["id"] = "99..1".into();
    v["selections"][3]["status"] = "maybe".into();
    let bad = write(&dir, "bad.json", &v.to_string());
    let o = ismap(&["assess", s(&bad)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    let err = stderr(&o);
    let errors: Vec<&str> = err.lines().filter(|l| l.starts_with("error: ")).collect();
    assert_eq!(errors.len(), 3, "{err}");
    assert!(err.contains("$.selections[0].id") && err.contains("`99..1`"), "{err}");
    assert!(err.lines().last().unwrap().trim_start().starts_with("hint: "), "{err}");
    // validate lists them, exit 1, in Japanese too.
    let o = ismap(&["statement", "validate", s(&bad), "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let report = json(&o);
    assert_eq!(report["valid"], false);
    assert_eq!(report["problems"].as_array().unwrap().len(), 3);
    let o = ismap(&["statement", "validate", s(&bad), "--lang", "ja"]);
    assert!(stdout(&o).contains("3 件の問題があります"), "{}", stdout(&o));
    let o = ismap(&["statement", "validate", "ismap-controls/data/sample-statement.json"]);
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn standard_input_and_toml_dates() {
    use std::io::Write;
    let sample = std::fs::read_to_string("ismap-controls/data/sample-statement.json").unwrap();
    let mut child = common::command()
        .args(["assess", "-", "--format", "json"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(sample.as_bytes()).unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(json(&o)["verdict"], "not_conformant");
    // TOML written by convert, then with native dates, reads the same.
    let dir = temp_dir("toml");
    let toml = dir.join("s.toml");
    assert_eq!(
        ismap(&["statement", "convert", "ismap-controls/data/sample-statement.json", "-o", s(&toml)]).status.code(),
        Some(0)
    );
    let text = std::fs::read_to_string(&toml).unwrap().replace("start = \"2024-04-01\"", "start = 2024-04-01");
    let native = write(&dir, "native.toml", &text);
    let back = dir.join("back.json");
    let o = ismap(&["statement", "convert", s(&native), "-o", s(&back)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let read = |t: &str| ismap::controls::Statement::from_json_str(t).unwrap();
    assert!(read(&std::fs::read_to_string(&back).unwrap()) == read(&sample), "the same statement");
}
