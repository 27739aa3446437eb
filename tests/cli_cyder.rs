//! `ismap cyder …` end to end: courses, validation (a cycle and a misspelt reference), the
//! analyses, the pictures, scoring and the after-action report, in English and Japanese.
#![cfg(feature = "cli")]
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use common::*;

const SAMPLE_LOG: &str = include_str!("../cyder-scenario/data/minatogawa-b1-log.yaml");

/// Markdown whose tables each stand alone: every table starts after a blank line (or a heading's
/// blank line) and is followed by a blank line or the end, so no two tables merge and no
/// paragraph runs into one.
fn assert_tables_stand_alone(md: &str) {
    let lines: Vec<&str> = md.lines().collect();
    let mut tables = 0;
    for (i, line) in lines.iter().enumerate() {
        if line.starts_with("|---") {
            tables += 1;
            assert!(i >= 1 && lines[i - 1].starts_with("| "), "delimiter row without a header at line {i}:\n{md}");
            assert!(i < 2 || lines[i - 2].is_empty(), "table at line {i} is not after a blank line:\n{md}");
        }
        if line.starts_with('|') {
            let next = lines.get(i + 1).copied().unwrap_or("");
            assert!(next.is_empty() || next.starts_with('|'), "line {} runs into the table above:\n{md}", i + 1);
        }
    }
    assert!(tables > 0, "no table:\n{md}");
}

/// A three-step cycle p → q → r and a misspelt reference (`entyr`).
const BROKEN: &str = include_str!("../cyder-scenario/tests/fixtures/cycle-and-misspelt-reference.yaml");

#[test]
fn courses_in_every_format() {
    let o = ismap(&["cyder", "courses"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    for want in ["online-A", "B-2", "semi-advanced", "FY2019", "3090", "hands-on exercise"] {
        assert!(out.contains(want), "{want}:\n{out}");
    }
    let o = ismap(&["cyder", "courses", "--format", "json"]);
    let v = json(&o);
    let codes: Vec<&str> = v["courses"].as_array().unwrap().iter().map(|c| c["course"].as_str().unwrap()).collect();
    assert_eq!(codes, ["A", "B-1", "B-2", "C", "online-A"]);
    assert_eq!(v["courses"][3]["days"], 2);
    assert_eq!(v["yearlyFigures"].as_array().unwrap().len(), 3);
    assert_eq!(v["flow"].as_array().unwrap().len(), 4);
    let o = ismap(&["cyder", "courses", "--format", "markdown", "--lang", "ja"]);
    let out = stdout(&o);
    assert!(out.starts_with("| コース | レベル |"), "{out}");
    assert!(out.contains("| B-1 | 中級 | 地方公共団体 |"), "{out}");
    // FY2019 per course (MIC overview slides of 2020-05-13, 令和元年度の実施状況).
    assert!(out.contains("| 令和元年度 | A | 66 | 6月～2月 | 47都道府県 |"), "{out}");
    assert_tables_stand_alone(&out);
}

/// The FY2019 per-course table of the MIC overview slides (2020-05-13): A 66 sessions June to
/// February, B-1 20 September to November, B-2 19 November to February; 105 in all.
#[test]
fn courses_list_the_fy2019_sessions_per_course() {
    let v = json(&ismap(&["cyder", "courses", "--format", "json"]));
    let rows: Vec<(String, u64, u64, u64)> = v["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["course"].as_str().unwrap().to_owned(),
                r["sessions"].as_u64().unwrap(),
                r["firstMonth"].as_u64().unwrap(),
                r["lastMonth"].as_u64().unwrap(),
            )
        })
        .collect();
    let want = [("A", 66, 6, 2), ("B-1", 20, 9, 11), ("B-2", 19, 11, 2)].map(|(c, n, a, b)| (c.to_owned(), n, a, b));
    assert_eq!(rows, want);
    assert_eq!(rows.iter().map(|r| r.1).sum::<u64>(), 105);
    let out = stdout(&ismap(&["cyder", "courses", "--format", "markdown"]));
    assert!(out.contains("| B-2 | 19 | November to February | Tokyo, Osaka, Nagoya |"), "{out}");
}

#[test]
fn validate_the_embedded_scenario() {
    let o = ismap(&["cyder", "validate"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.ends_with("embedded scenario: valid (0 error(s), 2 warning(s))\n"), "{out}");
    assert!(out.contains("undetectable-step"), "{out}");
    let v = json(&ismap(&["cyder", "validate", "--format", "json"]));
    assert_eq!((v["valid"].as_bool(), v["errors"].as_u64(), v["warnings"].as_u64()), (Some(true), Some(0), Some(2)));
    let o = ismap(&["cyder", "validate", "--lang", "ja"]);
    assert!(stdout(&o).contains("embedded scenario: 有効(エラー0件、警告2件)"), "{}", stdout(&o));
}

#[test]
fn a_cycle_and_a_misspelt_reference_are_both_reported() {
    let yaml = temp_file("broken.yaml", BROKEN);
    let doc: serde_json::Value = serde_norway::from_str(BROKEN).unwrap();
    let json_file = temp_file("broken.json", &doc.to_string());
    for path in [&yaml, &json_file] {
        let o = ismap(&["cyder", "validate", s(path)]);
        assert_eq!(o.status.code(), Some(1), "{}: {}", path.display(), stderr(&o));
        let out = stdout(&o);
        assert!(out.contains("$.attackSteps[3].requires[1]") && out.contains("unknown attack step `entyr`"), "{out}");
        assert!(out.contains("attack steps form a cycle: `p` → `q` → `r`"), "{out}");
        assert!(out.trim_end().ends_with(&format!("{}: invalid (2 error(s), 3 warning(s))", s(path))), "{out}");

        let o = ismap(&["cyder", "validate", s(path), "--format", "json"]);
        assert_eq!(o.status.code(), Some(1));
        let v = json(&o);
        assert_eq!(v["valid"], false);
        let errors: Vec<&serde_json::Value> =
            v["issues"].as_array().unwrap().iter().filter(|i| i["severity"] == "error").collect();
        assert_eq!(errors.len(), 2, "{v}");
        let unresolved = errors.iter().find(|i| i["code"] == "unresolved-reference").unwrap();
        assert_eq!(unresolved["path"], "$.attackSteps[3].requires[1]");
        assert_eq!(unresolved["subjects"], serde_json::json!(["entyr"]));
        let cycle = errors.iter().find(|i| i["code"] == "cycle").unwrap();
        assert_eq!(cycle["subjects"], serde_json::json!(["p", "q", "r"]));
        assert_eq!(cycle["path"], "$.attackSteps[1]");
    }
    // Markdown: the summary is not swallowed by the table.
    let o = ismap(&["cyder", "validate", s(&yaml), "--format", "markdown"]);
    let out = stdout(&o);
    // The cycle's real edges in order, closing the loop (issue 13 item 10).
    assert!(
        out.contains("| error | cycle | $.attackSteps[1] | attack steps form a cycle: `p` → `q` → `r` → `p` (each requires the one before) |"),
        "{out}"
    );
    assert_tables_stand_alone(&out);
    let o = ismap(&["cyder", "validate", s(&yaml), "--lang", "ja"]);
    let out = stdout(&o);
    assert!(out.contains("攻撃ステップが循環しています") && out.contains("無効(エラー2件、警告3件)"), "{out}");

    // The other commands refuse it: bad input, one line and a hint to run validate.
    let o = ismap(&["cyder", "analyze", s(&yaml)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    let err = stderr(&o);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 2, "{err}");
    assert!(lines[0].starts_with("error: ") && lines[0].contains(s(&yaml)), "{err}");
    assert!(lines[1].contains(&format!("hint: run `ismap cyder validate {}`", s(&yaml))), "{err}");
}

#[test]
fn analyze_prints_the_critical_path_choke_points_and_blocking_set() {
    let o = ismap(&["cyder", "analyze"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let headings = [
        "Critical path",
        "Choke points (dominators)",
        "Required steps (AND/OR)",
        "Minimum blocking set",
        "Goals",
        "Earliest detection",
        "Coverage",
        "Attack paths",
    ];
    let mut at = 0;
    for h in headings {
        let i = out.lines().position(|l| l == h).unwrap_or_else(|| panic!("no heading {h}:\n{out}"));
        assert!(i >= at, "{h} out of order");
        at = i;
    }
    assert!(out.contains("makespan 175 min"), "{out}");
    assert!(out.contains("exfiltrate (send the archive out over the C2 channel)"), "{out}");
    assert!(
        out.contains("tasks: isolate-pc (cut steps: move-smb, move-rdp; method: exact search; in time: true)"),
        "{out}"
    );
    // Attack paths are derivations (issue 13 item 10): `exfiltrate` requires `archive` and `beacon`,
    // so no path skips the archive branch; `move-smb` needs `find-shares` too (same layer as
    // `steal-creds`, joined by `+`).
    let paths: Vec<&str> = out.lines().skip_while(|l| *l != "Attack paths").filter(|l| l.starts_with("- ")).collect();
    assert_eq!(
        paths,
        [
            "- recon → lure → open-attachment → beacon → steal-creds + find-shares → move-smb → collect → archive → exfiltrate",
            "- recon → lure → open-attachment → beacon → steal-creds → move-rdp → collect → archive → exfiltrate",
        ],
        "{out}"
    );

    let v = json(&ismap(&["cyder", "analyze", "--format", "json"]));
    assert_eq!(v["format_version"], 1);
    assert_eq!(v["schedule"]["makespan"], 175);
    let cp: Vec<&str> = v["schedule"]["criticalPath"].as_array().unwrap().iter().map(|x| x.as_str().unwrap()).collect();
    assert_eq!(
        cp,
        ["lure", "open-attachment", "beacon", "steal-creds", "move-rdp", "collect", "archive", "exfiltrate"]
    );
    // The AND join at `exfiltrate` (archive and beacon) makes the archive branch required too,
    // which the dominators cannot see.
    let required: Vec<&str> =
        v["requiredSteps"]["common"].as_array().unwrap().iter().map(|c| c["step"].as_str().unwrap()).collect();
    assert_eq!(required, ["recon", "lure", "open-attachment", "beacon", "steal-creds", "collect", "archive"]);
    // Every listed path holds every required step: the two sections agree.
    assert_eq!(v["attackPaths"]["kind"], "derivations");
    for p in v["attackPaths"]["paths"].as_array().unwrap() {
        let p: Vec<&str> = p.as_array().unwrap().iter().map(|x| x.as_str().unwrap()).collect();
        assert!(required.iter().all(|r| p.contains(r)), "{p:?} lacks a required step");
    }
    let choke: Vec<&str> =
        v["chokePoints"]["common"].as_array().unwrap().iter().map(|c| c["step"].as_str().unwrap()).collect();
    assert_eq!(choke, ["recon", "lure", "open-attachment", "beacon"]);
    assert_eq!(v["blockingSet"]["tasks"], serde_json::json!(["isolate-pc"]));
    assert_eq!(v["blockingSet"]["preventable"], true);

    let o = ismap(&["cyder", "analyze", "--max-paths", "1", "--format", "json"]);
    let v = json(&o);
    assert_eq!(v["attackPaths"]["paths"].as_array().unwrap().len(), 1);
    assert_eq!(v["attackPaths"]["truncated"], true);
}

#[test]
fn analyze_as_markdown_and_in_japanese() {
    let o = ismap(&["cyder", "analyze", "--format", "markdown"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(out.starts_with("## Critical path\n\nmakespan 175 min\n"), "{out}");
    for h in ["## Choke points (dominators)", "## Minimum blocking set", "## Coverage", "## Attack paths"] {
        assert!(out.lines().any(|l| l == h), "{h}:\n{out}");
    }
    assert!(out.contains("| beacon (infected PC calls home over HTTPS) | T+55 | T+75 |"), "{out}");
    assert!(out.contains("| TA0008 | Lateral Movement | 2 |"), "{out}");
    assert!(out.contains("| lo-detect | detect | i-clerk-call, i-soc-notice |"), "{out}");
    assert_tables_stand_alone(&out);

    let o = ismap(&["cyder", "analyze", "--lang", "ja", "--format", "markdown"]);
    let out = stdout(&o);
    for h in ["## クリティカルパス", "## チョークポイント(支配点)", "## 最小阻止タスク集合", "## 攻撃経路"]
    {
        assert!(out.lines().any(|l| l == h), "{h}:\n{out}");
    }
    assert!(out.contains("攻撃完了まで 175 分"), "{out}");
    assert!(out.contains("タスク: isolate-pc (遮断するステップ: move-smb, move-rdp; 手法: 厳密探索"), "{out}");
}

#[test]
fn graph_in_every_format() {
    let o = ismap(&["cyder", "graph"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with("digraph \"minatogawa-b1\" {"), "{out}");
    assert_eq!(out.trim_end().chars().last(), Some('}'));
    assert!(out.contains("\"s:beacon\"") && out.contains("T1071.001"), "{out}");

    let o = ismap(&["cyder", "graph", "--as", "mermaid"]);
    let out = stdout(&o);
    assert!(out.starts_with("flowchart LR\n"), "{out}");
    assert!(out.contains("infected PC calls home over HTTPS"), "{out}");

    for (kind, lang, title) in [
        ("svg", "en", ">dump cached credentials</text>"),
        ("svg", "ja", ">みなと川市 住民情報流出事案</text>"),
        ("timeline-svg", "en", ">send the archive out over the C2 channel</text>"),
    ] {
        let o = ismap(&["cyder", "graph", "--as", kind, "--lang", lang]);
        assert_eq!(o.status.code(), Some(0), "{kind}: {}", stderr(&o));
        let out = stdout(&o);
        assert!(out.starts_with("<svg") || out.starts_with("<?xml"), "{kind}: {}", &out[..80.min(out.len())]);
        assert!(out.trim_end().ends_with("</svg>"), "{kind}");
        assert!(out.contains("xmlns=\"http://www.w3.org/2000/svg\""), "{kind}");
        assert!(out.contains(title), "{kind} {lang}: {title}");
        assert_eq!(out.matches("<svg").count(), 1, "{kind}");
    }

    // Text is escaped for XML.
    let out = stdout(&ismap(&["cyder", "graph", "--as", "svg"]));
    assert!(out.contains("Minatogawa City residents&apos; data leak") && !out.contains("residents' data"));

    // To a file, with the team's log on the timeline.
    let log = temp_file("log.yaml", SAMPLE_LOG);
    let to = temp_file("timeline.svg", "");
    let o = ismap(&["cyder", "graph", "--as", "timeline-svg", "--log", s(&log), "-o", s(&to)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    let with_log = std::fs::read_to_string(&to).unwrap();
    assert!(with_log.trim_end().ends_with("</svg>"));
    let without = stdout(&ismap(&["cyder", "graph", "--as", "timeline-svg"]));
    assert_ne!(with_log, without, "the log is drawn");
    // A mark per log entry, titled with its time: `detect` done at T+101.
    assert!(with_log.contains("<title>T+101") && !without.contains("<title>T+101"), "the log's entries are drawn");
}

#[test]
fn score_the_sample_log_and_a_failing_one() {
    let o = ismap(&["cyder", "score"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("score: 138/170 (pass mark 100) PASSED"), "{out}");
    assert!(out.contains("time to detect: 71 min, time to contain: 95 min"), "{out}");
    assert!(out.contains("block-domain") && out.contains("missed") && out.contains("0/10"), "{out}");
    assert!(out.contains("out of order"), "the report-leak chain step:\n{out}");

    let v = json(&ismap(&["cyder", "score", "--format", "json"]));
    assert_eq!(v["format_version"], 1);
    assert_eq!((v["total"].as_u64(), v["max"].as_u64(), v["passed"].as_bool()), (Some(138), Some(170), Some(true)));
    let escalate = v["tasks"].as_array().unwrap().iter().find(|t| t["task"] == "escalate").unwrap();
    assert_eq!(escalate["status"], "late");
    assert_eq!(escalate["points"], 5);

    let o = ismap(&["cyder", "score", "--lang", "ja"]);
    let out = stdout(&o);
    assert!(out.contains("得点: 138/170 (合格点 100) 合格"), "{out}");
    assert!(out.contains("検知まで: 71 分"), "{out}");

    // The same log cut after its first two entries: exit 1, not passed.
    let cut = SAMPLE_LOG.find("  - at: 2026-10-15T12:05:00").unwrap();
    let short = temp_file("short-log.yaml", &SAMPLE_LOG[..cut]);
    let o = ismap(&["cyder", "score", "--log", s(&short)]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stdout(&o).contains("score: 31/170 (pass mark 100) NOT PASSED"), "{}", stdout(&o));

    // A log naming a task the scenario does not have: bad input.
    let bad = temp_file("bad-log.yaml", &SAMPLE_LOG.replace("task: isolate-pc", "task: isolate-pcs"));
    let o = ismap(&["cyder", "score", "--log", s(&bad)]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert!(stderr(&o).contains("isolate-pcs") && stderr(&o).contains("hint: "), "{}", stderr(&o));
}

#[test]
fn report_is_markdown_with_its_sections() {
    let o = ismap(&["cyder", "report"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with("# After-action report: Minatogawa City residents' data leak\n"), "{out}");
    let headings: Vec<&str> = out.lines().filter(|l| l.starts_with("## ")).collect();
    assert_eq!(
        headings,
        ["## Tasks", "## Escalation and reporting", "## Strengths", "## Areas for improvement", "## Timeline"]
    );
    assert!(out.contains("- Score: 138 / 170 (pass mark 100) — **passed**"), "{out}");
    assert!(out.contains("- block the odd domain at the proxy: not done (due T+160)"), "{out}");
    assert!(out.contains("| T+101 | team (Baba): confirm the notice in the proxy log |"), "{out}");
    assert_tables_stand_alone(&out);
    assert_eq!(stdout(&ismap(&["cyder", "report", "--format", "markdown"])), out);

    let v = json(&ismap(&["cyder", "report", "--format", "json"]));
    assert_eq!(v["format_version"], 1);
    assert_eq!(v["scenario"], "minatogawa-b1");
    assert_eq!(v["team"]["members"].as_array().unwrap().len(), 4);

    let o = ismap(&["cyder", "report", "--lang", "ja"]);
    let out = stdout(&o);
    assert!(out.starts_with("# 事後レビュー報告書: みなと川市 住民情報流出事案\n"), "{out}");
    assert!(out.contains("## 改善点") && out.contains("## タイムライン"), "{out}");
}

/// Issue 15 item 3: the embedded scenario as an ATT&CK Navigator layer (format 4.5): its eleven
/// steps use eleven techniques; `recon` and `steal-creds` leave nothing a task needs, so
/// their techniques are red; the rest are green with the detecting tasks' names as comments.
#[test]
fn navigator_layer_to_stdout_and_to_a_file() {
    let o = ismap(&["cyder", "navigator-layer"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(v["versions"]["layer"], "4.5");
    assert_eq!(v["domain"], "enterprise-attack");
    let techniques = v["techniques"].as_array().unwrap();
    let red: Vec<&str> =
        techniques.iter().filter(|t| t["color"] == "#ff6666").map(|t| t["techniqueID"].as_str().unwrap()).collect();
    assert_eq!(red, ["T1589.002", "T1003.001"]);
    let beacon = techniques.iter().find(|t| t["techniqueID"] == "T1071.001").unwrap();
    assert_eq!(beacon["tactic"], "command-and-control");
    assert_eq!(beacon["color"], "#8ec843");
    assert!(beacon["comment"].as_str().unwrap().contains("confirm the notice in the proxy log"), "{beacon}");

    let dir = temp_dir("navigator_layer");
    let file = dir.join("layer.json");
    let o = ismap(&["cyder", "navigator-layer", "--lang", "ja", "-o", s(&file)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    let v = read_json(&file);
    let beacon = v["techniques"].as_array().unwrap().iter().find(|t| t["techniqueID"] == "T1071.001").unwrap();
    assert!(beacon["comment"].as_str().unwrap().starts_with("検知するタスク: "), "{beacon}");
    // A bad scenario is bad input (exit 2), one line and a hint.
    let broken = temp_file("broken-layer.yaml", BROKEN);
    let o = ismap(&["cyder", "navigator-layer", s(&broken)]);
    assert_eq!(o.status.code(), Some(2));
}
