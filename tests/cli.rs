//! The `ismap` binary end to end: golden output, exit codes, one-line errors with hints.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use common::*;

use std::path::PathBuf;

#[test]
fn assess_the_embedded_sample() {
    let o = ismap(&["assess"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    insta::assert_snapshot!("assess_sample_en_table", stdout(&o));
}

#[test]
fn assess_the_embedded_sample_in_japanese_markdown() {
    let o = ismap(&["assess", "--format", "markdown", "--lang", "ja"]);
    assert_eq!(o.status.code(), Some(1));
    insta::assert_snapshot!("assess_sample_ja_markdown", stdout(&o));
}

/// The sample statement with its six errors repaired, in a temporary file.
fn conformant_statement(file_name: &str) -> PathBuf {
    let mut v: serde_json::Value = serde_json::from_str(ismap::controls::Statement::sample_json()).unwrap();
    let sels = v["selections"].as_array_mut().unwrap();
    for s in sels.iter_mut() {
        match s["id"].as_str().unwrap() {
            "6.2.2" => s["reason"] = "テレワークを認めていないため".into(),
            "9.4.2.2.B" | "18.1.3.13.PB" => {
                *s = serde_json::json!({"id": s["id"], "status": "selected", "controls": [{"text": "implemented"}]});
            }
            "11.2.7.4.PB" => s["from"] = "kumo-base".into(),
            "12.6.1.18.PB" => s["changes"][0]["changed_on"] = "2024-10-01".into(),
            _ => {}
        }
    }
    sels.push(serde_json::json!({"id": "4.9.2.2", "status": "selected", "controls": [{"text": "documented"}]}));
    temp_file(file_name, &v.to_string())
}

#[test]
fn a_conformant_statement_exits_0() {
    let path = conformant_statement("fixed.json");
    let o = ismap(&["assess", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("CONFORMANT"));
}

#[test]
fn catalog_show_an_objective_and_its_mandatory_control() {
    let o = ismap(&["catalog", "show", "8.1.2"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(out.starts_with("8.1.2 "), "{out}");
    assert!(out.contains("8.1.2.7.PB"), "{out}");
    let o = ismap(&["catalog", "show", "6.3.1", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["item"]["id"], "6.3.1.P", "the suffix may be left out");
    assert_eq!(v["children"][0]["id"], "6.3.1.1.PB");
    assert_eq!(v["ancestors"][1]["id"], "6.3.P");
}

#[test]
fn catalog_list_json_reflects_the_counts() {
    let o = ismap(&["catalog", "list", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let c = &v["counts"];
    assert_eq!(c["governance"]["objectives"], 6);
    assert_eq!(c["governance"]["detailed"], 18);
    assert_eq!(c["management"]["objectives"], 21);
    assert_eq!(c["management"]["detailed"], 64);
    assert_eq!(c["controls"]["domains"], 14);
    assert_eq!(c["controls"]["categories"], 37);
    assert_eq!(c["controls"]["objectives"], 121);
    assert_eq!(c["controls"]["cloud_objectives"], 7);
    assert_eq!(c["controls"]["detailed"], 31);
    assert_eq!(c["controls"]["mandatory_detailed"], 31);
    assert_eq!(v["catalog"]["completeness"], "structure_only");
    let filtered = ismap(&["catalog", "list", "--level", "objective", "--part", "controls", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&filtered.stdout).unwrap();
    assert_eq!(v["items"].as_array().unwrap().len(), 121);
}

#[test]
fn bad_statement_gets_one_line_with_file_path_value_and_a_hint() {
    let mut v: serde_json::Value = serde_json::from_str(ismap::controls::Statement::sample_json()).unwrap();
    v["selections"][3]["id"] = "3.1.2.B".into();
    let path = temp_file("bad.json", &v.to_string());
    let o = ismap(&["assess", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty(), "never a partial report");
    let err = stderr(&o);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 2, "{err}");
    assert!(lines[0].starts_with("error: ") && lines[0].contains("bad.json"), "{err}");
    assert!(lines[0].contains("$.selections[3]") && lines[0].contains("3.1.2.B"), "{err}");
    assert!(lines[1].trim_start().starts_with("hint: "), "{err}");
}

#[test]
fn missing_files_and_bad_ids_are_bad_input() {
    let o = ismap(&["assess", "/nonexistent/statement.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("/nonexistent/statement.json"));
    let o = ismap(&["catalog", "show", "8..1"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("hint:"));
    let o = ismap(&["catalog", "show", "8.1.2.1"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("structure only"), "{}", stderr(&o));
}

#[test]
fn catalog_validate_lists_every_problem() {
    let bad = r#"{"name": {"en": "x"}, "version": "1.0.0", "effective": "2022-04-01", "completeness": "complete",
      "parts": [{"part": "controls", "domains": [{"id": "8", "title": {"en": "d"}, "categories": [
        {"id": "8.1", "title": {"en": "c"}, "objectives": [{"id": "8.1.1"}, {"id": "8.1.1", "title": {"en": "t"}}]}]}]}]}"#;
    let path = temp_file("catalog.json", bad);
    let o = ismap(&["catalog", "validate", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(out.contains("missing_title") && out.contains("duplicate_id"), "{out}");
    let good = temp_file("embedded.json", ismap::controls::Catalog::ismap_2022_json());
    let o = ismap(&["catalog", "validate", good.to_str().unwrap(), "--format", "json"]);
    assert_eq!(o.status.code(), Some(0));
    // The same catalog can be used for an assessment.
    let o = ismap(&["assess", "--catalog", good.to_str().unwrap(), "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn agency_additions_and_the_liu_baseline() {
    let agency = temp_file(
        "agency.json",
        r#"{"agency": {"ja": "架空庁", "en": "Fictional Agency"}, "require": ["8.1.2.1"],
            "requirements": [{"id": "FA-01", "title": {"ja": "国内保管", "en": "Data kept in Japan"}}]}"#,
    );
    let o = ismap(&["assess", "--agency", agency.to_str().unwrap(), "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let rules: Vec<&str> = v["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap()).collect();
    assert!(rules.contains(&"agency-requirement-unaddressed"));
    assert!(!rules.contains(&"agency-control-not-selected"), "8.1.2.1 is selected in the sample");
    let o = ismap(&["assess", "--baseline", "liu", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["baseline"], "liu");
    assert!(v["audit_scope"]["external"].as_u64().unwrap() > 0);
    let rules: Vec<&str> = v["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap()).collect();
    assert!(rules.contains(&"baseline-program-mismatch"), "the sample applies for ISMAP");
}

#[test]
fn a_baseline_file_sets_the_liu_external_audit_scope() {
    let external = |args: &[&str]| {
        let o = ismap(&[&["assess", "--format", "json"], args].concat());
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(v["baseline"], "liu");
        v["audit_scope"]["external"].as_u64().unwrap()
    };
    let narrow =
        temp_file("liu-narrow.json", r#"{"kind": "liu", "program": "ISMAP-LIU", "external_audit_scope": ["9"]}"#);
    let default = external(&["--baseline", "liu"]);
    let only_9 = external(&["--baseline-file", narrow.to_str().unwrap()]);
    assert!(0 < only_9 && only_9 < default, "{only_9} vs {default}");
    // Kind and program must agree; an ISMAP baseline has no scope. One line, a hint, exit 2.
    for (name, doc, path) in [
        ("liu-ismap.json", r#"{"kind": "liu", "program": "ISMAP"}"#, "$.program"),
        (
            "ismap-scope.json",
            r#"{"kind": "ismap", "program": "ISMAP", "external_audit_scope": ["9"]}"#,
            "$.external_audit_scope",
        ),
    ] {
        let f = temp_file(name, doc);
        let o = ismap(&["assess", "--baseline-file", f.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2));
        let err = stderr(&o);
        assert!(
            err.lines().count() == 2
                && err.contains(path)
                && err.contains("hint: the file must follow schemas/baseline.schema.json"),
            "{err}"
        );
    }
    let o = ismap(&["assess", "--baseline", "liu", "--baseline-file", narrow.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "the two are exclusive");
}

#[test]
fn rules_and_help_are_complete() {
    let o = ismap(&["rules", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        v.as_array().unwrap().len(),
        ismap::controls::Rule::ALL.len() + ismap::workflow::LifecycleRule::ALL.len()
    );
    for cmd in [&["--help"][..], &["assess", "--help"], &["catalog", "list", "--help"], &["schema", "--help"]] {
        let o = ismap(cmd);
        assert_eq!(o.status.code(), Some(0));
        assert!(stdout(&o).contains("Usage:"));
    }
}

#[test]
fn schema_prints_one_schema_by_name_or_file_name() {
    let statement = ismap::schema::all().into_iter().find(|s| s.name == "statement").unwrap();
    for name in ["statement", "statement.schema.json"] {
        let o = ismap(&["schema", name]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert_eq!(stdout(&o), statement.to_pretty_json());
    }
    let o = ismap(&["schema", "no-such-document"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no schema named `no-such-document`"), "{}", stderr(&o));
    assert!(stderr(&o).contains("hint: one of: catalog, statement"), "{}", stderr(&o));
    let o = ismap(&["schema", "statement", "--out", "somewhere"]);
    assert_eq!(o.status.code(), Some(2), "a name and --out together are a usage error");
}

#[test]
fn procure_combines_the_registry_with_the_assessment() {
    // The embedded sample statement is not conformant: blocking, exit 1.
    let o = ismap(&["registry", "procure", "kumo-base", "--on", "2025-05-20"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stdout(&o).contains("may not be procured"), "{}", stdout(&o));
    assert!(stdout(&o).contains("conformant") && stdout(&o).contains("blocking"));
    // A conformant statement for a registered service: allowed, with cautions (its name and
    // period are not the registry's).
    let path = conformant_statement("fixed-for-procure.json");
    let args = ["registry", "procure", "hoshizora-drive", "--on", "2025-05-20", "--statement", path.to_str().unwrap()];
    let o = ismap(&[&args[..], &["--format", "json"]].concat());
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let d: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!((d["allowed"].as_bool(), d["format_version"].as_u64()), (Some(true), Some(1)));
    let checks: Vec<&str> = d["findings"].as_array().unwrap().iter().map(|f| f["check"].as_str().unwrap()).collect();
    assert_eq!(checks, ["period", "service-name"]);
    // After its expiry (2026-02-01, no renewal in the sample) it is off the list: blocking.
    let o =
        ismap(&["registry", "procure", "hoshizora-drive", "--on", "2026-03-01", "--statement", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("on-list"), "{}", stdout(&o));
    // Japanese, and an unknown service is bad input with the known ones as a hint.
    let o = ismap(&["registry", "procure", "kumo-base", "--lang", "ja"]);
    assert!(stdout(&o).contains("調達不可"), "{}", stdout(&o));
    let o = ismap(&["registry", "procure", "nope"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no service `nope`") && stderr(&o).contains("hint: known services:"), "{}", stderr(&o));
}

/// Issue 13 item 6: the rules in force differ as the programs' dates say. On 2021-01-01 there is
/// no ISMAP-LIU rule (ISMAP-LIU began 2022-11-01, Digital Agency) and no multi-year cycle (from
/// 2024-08-01, KB0011399); on 2026-01-01 the ISMAP-LIU rules apply except the pre-application
/// (abolished 2025-04-01 by default) and the special measures (applications by 2025-03-31).
#[test]
fn rules_on_a_date_list_those_in_force() {
    let ids = |on: &str, extra: &[&str]| -> Vec<String> {
        let o = ismap(&[&["rules", "--on", on, "--format", "json"][..], extra].concat());
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        v.as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap().to_owned()).collect()
    };
    let early = ids("2021-01-01", &[]);
    let late = ids("2026-01-01", &[]);
    let liu = ["program-not-admitted", "liu-saas-only", "liu-low-impact", "liu-incident-reporting"];
    for id in liu.iter().chain(&["multi-year-cycle-certificate"]) {
        assert!(!early.iter().any(|e| e == id) && late.iter().any(|e| e == id), "{id}");
    }
    for id in ["liu-pre-application", "liu-special-measures"] {
        assert!(!early.iter().any(|e| e == id) && !late.iter().any(|e| e == id), "{id}");
        assert!(ids("2025-03-31", &[]).iter().any(|e| e == id), "{id}");
    }
    assert!(early.iter().any(|e| e == "period-length") && late.iter().any(|e| e == "assessment-period-length"));
    // The pre-application's end is a setting (UNVERIFIED): never abolished keeps it in force.
    let never = temp_file("never-abolished.json", r#"{"format_version": 1, "liuPreApplicationAbolished": null}"#);
    assert!(ids("2026-01-01", &["--settings", never.to_str().unwrap()]).iter().any(|e| e == "liu-pre-application"));
    let bad = temp_file("bad-settings.json", r#"{"format_version": 1, "reportDueMonths": "three"}"#);
    let o = ismap(&["rules", "--settings", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("$.reportDueMonths") && stderr(&o).contains("hint:"), "{}", stderr(&o));
    let table = stdout(&ismap(&["rules", "--on", "2021-01-01", "--lang", "ja"]));
    assert!(table.contains("有効期間") && table.contains("2020-06-03 .."), "{table}");
}

/// The documented default settings file is what the library uses without `--settings`.
#[test]
fn the_documented_default_settings_file_is_the_default() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/settings.json")).unwrap();
    assert_eq!(ismap::workflow::Settings::from_json_str(&text).unwrap(), ismap::workflow::Settings::default());
}

/// Issue 13 item 9 (Control Criteria §2.2.2, §2.2.4): with a journal, `assess` checks that each
/// underlying service the statement inherits from is itself on the list on the date. The sample
/// statement runs on the sample journal's `kumo-base` (C23-0042-1): listed in 2025, expired by 2028.
#[test]
fn assess_with_a_journal_checks_the_underlying_services() {
    let journal = temp_file("sample-journal.jsonl", ismap::workflow::SAMPLE_JOURNAL);
    let path = conformant_statement("fixed-for-journal.json");
    let run = |on: &str| {
        let o =
            ismap(&["assess", path.to_str().unwrap(), "-j", journal.to_str().unwrap(), "--on", on, "--format", "json"]);
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        (o.status.code(), v)
    };
    let (code, _) = run("2025-05-20");
    assert_eq!(code, Some(0));
    let (code, v) = run("2028-01-01");
    assert_eq!(code, Some(1));
    let f = v["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "underlying-service-not-listed").unwrap();
    let message = f["message"]["en"].as_str().unwrap();
    assert!(message.contains("`kumo-base` (C23-0042-1)") && message.contains("(expired)"), "{message}");
    assert_eq!(f["path"], "$.service.underlying[0].registration");
    // Procurement names the underlying service and its status as a blocking finding.
    let o = ismap(&[
        "registry",
        "procure",
        "hoshizora-drive",
        "-j",
        journal.to_str().unwrap(),
        "--on",
        "2026-01-15",
        "--statement",
        path.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let d: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    // On 2026-01-15 hoshizora-drive is listed but kumo-base, which it runs on, has expired.
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(d["allowed"], false);
    let under: Vec<&serde_json::Value> =
        d["findings"].as_array().unwrap().iter().filter(|f| f["check"] == "underlying-listed").collect();
    assert_eq!(under.len(), 1, "{d}");
    let message = under[0]["message"]["en"].as_str().unwrap();
    assert!(
        under[0]["blocking"] == true && message.contains("`kumo-base`") && message.contains("(expired)"),
        "{message}"
    );
}

/// Issue 13 item 7: the July 2024 revision added four detailed controls (8.1.5.4.P, 12.2.1.15,
/// 13.2.3.7.P, 16.1.5.10; KPMG Japan 2024-09); the diff lists exactly those, in every format.
#[test]
fn catalog_diff_lists_the_four_controls_of_2024() {
    let o = ismap(&["catalog", "diff", "2022.4.1", "2024.7.1", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let d: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let added: Vec<&str> = d["added"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(added, ["8.1.5.4.P", "12.2.1.15", "13.2.3.7.P", "16.1.5.10"]);
    for k in ["removed", "renumbered", "reflagged", "retitled"] {
        assert!(d[k].as_array().unwrap().is_empty(), "{k}");
    }
    let table = stdout(&ismap(&["catalog", "diff", "2022.4.1", "2024.7.1"]));
    assert!(table.contains("4 added, 0 removed") && table.contains("13.2.3.7.P"), "{table}");
    let md = stdout(&ismap(&["catalog", "diff", "2022.4.1", "2024.7.1", "--format", "markdown", "--lang", "ja"]));
    assert!(md.starts_with("# 2022.4.1 → 2024.7.1: 追加 4") && md.contains("| 追加 | 16.1.5.10 |"), "{md}");
    // Backwards, the same four are removed.
    let back: serde_json::Value =
        serde_json::from_slice(&ismap(&["catalog", "diff", "2024.7.1", "2022.4.1", "--format", "json"]).stdout)
            .unwrap();
    assert_eq!(back["removed"].as_array().unwrap().len(), 4);
    let o = ismap(&["catalog", "diff", "2022.4.1", "2025.1.1"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("known revisions: 2022.4.1, 2024.7.1"), "{}", stderr(&o));
}

/// The revision history (Control Criteria revision table; KPMG Japan for 2023-10 and 2024-07)
/// and the embedded revision in force on a date.
#[test]
fn catalog_revisions_list_the_history() {
    let o = ismap(&["catalog", "revisions", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let versions: Vec<&str> = v.as_array().unwrap().iter().map(|r| r["version"].as_str().unwrap()).collect();
    assert_eq!(versions.first(), Some(&"2020.6.3"));
    assert_eq!(versions.last(), Some(&"2024.7.1"));
    let embedded: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["embedded"] == true)
        .map(|r| r["version"].as_str().unwrap())
        .collect();
    assert_eq!(embedded, ["2022.4.1", "2024.7.1"]);
    let t = stdout(&ismap(&["catalog", "revisions", "--on", "2024-06-30"]));
    assert!(t.lines().any(|l| l.contains("2022.4.1") && l.contains("(in force)")), "{t}");
    let t = stdout(&ismap(&["catalog", "revisions", "--on", "2021-01-01"]));
    assert!(t.contains("no embedded revision is in force on 2021-01-01"), "{t}");
}

/// A statement is assessed against the revision its `catalog_version` names; migrating it to
/// 2024.7.1 writes it with the four new controls marked unanswered, each an error until answered.
#[test]
fn statements_select_their_revision_and_migrate() {
    let dir = std::env::temp_dir().join(format!("ismap-migrate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("migrated.json");
    let fixed = conformant_statement("fixed-for-migrate.json");
    let o = ismap(&["statement", "migrate", fixed.to_str().unwrap(), "--to", "2024.7.1", "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("4 new item(s) to answer"), "{}", stdout(&o));
    let migrated: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(migrated["catalog_version"], "2024.7.1");
    let unanswered: Vec<&str> = migrated["selections"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["status"] == "unanswered")
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(unanswered, ["8.1.5.4.P", "12.2.1.15", "13.2.3.7.P", "16.1.5.10"]);
    // Assessed against 2024.7.1 (chosen by catalog_version): not conformant until answered.
    let o = ismap(&["assess", out.to_str().unwrap(), "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(r["catalog"]["version"], "2024.7.1");
    let rules: Vec<&str> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "error")
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["item-unanswered"; 4]);
    // The original (2022.4.1) stays conformant against its own revision.
    assert_eq!(ismap(&["assess", fixed.to_str().unwrap()]).status.code(), Some(0));
    // An unknown catalog_version is an error listing the known revisions.
    let mut v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&fixed).unwrap()).unwrap();
    v["catalog_version"] = "2019.1.1".into();
    let unknown = temp_file("unknown-revision.json", &v.to_string());
    let o = ismap(&["assess", unknown.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("$.catalog_version") && stderr(&o).contains("known revisions: 2022.4.1, 2024.7.1"),
        "{}",
        stderr(&o)
    );
    // To standard output, the summary goes to standard error.
    let o = ismap(&["statement", "migrate", fixed.to_str().unwrap(), "--to", "2024.7.1", "-o", "-"]);
    let _: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(stderr(&o).contains("16.1.5.10"));
    std::fs::remove_dir_all(&dir).unwrap();
}
