//! End-to-end: `--format html` on `assess`, `cyder score`, `cyder report` and `registry list`:
//! one self-contained page per report, with as many rows as the JSON report has findings, tasks
//! or services, in the language asked for. (Rendering in a browser: scripts/check-html.sh.)
#![allow(missing_docs)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic, reason = "tests")]

mod common;

use common::{ismap, json, s, stderr, stdout, temp_dir};

/// How many rows a JSON report has.
type Rows = fn(&serde_json::Value) -> usize;

/// (command, how many rows its JSON report has)
fn cases() -> Vec<(Vec<&'static str>, Rows)> {
    vec![
        (vec!["assess"], |d| d["findings"].as_array().unwrap().len()),
        (vec!["cyder", "score"], |d| d["tasks"].as_array().unwrap().len()),
        (vec!["cyder", "report"], |d| d["score"]["tasks"].as_array().unwrap().len()),
        (vec!["registry", "list"], |d| {
            d.as_array().unwrap().iter().map(|l| l["entries"].as_array().unwrap().len()).sum()
        }),
    ]
}

#[test]
fn pages_have_the_reports_rows_and_nothing_from_the_network() {
    let dir = temp_dir("html");
    for (cmd, rows) in cases() {
        let want = rows(&json(&ismap(&[cmd.as_slice(), &["--format", "json"]].concat())));
        assert!(want > 0, "{cmd:?}");
        for lang in ["ja", "en"] {
            let o = ismap(&[cmd.as_slice(), &["--format", "html", "--lang", lang]].concat());
            assert!(matches!(o.status.code(), Some(0 | 1)), "{cmd:?}: {}", stderr(&o));
            let page = stdout(&o);
            assert!(page.starts_with("<!doctype html>"), "{cmd:?}");
            assert!(page.contains(&format!("<html lang=\"{lang}\">")), "{cmd:?}");
            assert_eq!(page.matches("<tr data-finding").count(), want, "{cmd:?} {lang}");
            for network in ["src=\"http", "href=\"http", "src=\"//", "href=\"//", "@import", "url(http"] {
                assert!(!page.contains(network), "{cmd:?}: {network}");
            }
            // -o writes the same page to a file, and nothing to standard output.
            let file = dir.join(format!("{}-{lang}.html", cmd.join("-")));
            let o = ismap(&[cmd.as_slice(), &["--format", "html", "--lang", lang, "-o", s(&file)]].concat());
            assert!(o.stdout.is_empty());
            assert_eq!(std::fs::read_to_string(&file).unwrap(), page);
        }
    }
}

#[test]
fn html_is_refused_where_there_is_no_page() {
    for cmd in [&["rules"][..], &["catalog", "list"], &["registry", "due"], &["cyder", "analyze"]] {
        let o = ismap(&[cmd, &["--format", "html"]].concat());
        assert_eq!(o.status.code(), Some(2), "{cmd:?}");
        assert!(o.stdout.is_empty());
        assert!(stderr(&o).contains("html"), "{cmd:?}: {}", stderr(&o));
    }
}

#[test]
fn japanese_pages_are_japanese() {
    let page = stdout(&ismap(&["assess", "--format", "html", "--lang", "ja"]));
    for label in ["不適合", "領域ごとの回答と指摘", "重大度", "場所", "絞り込み"] {
        assert!(page.contains(label), "{label}");
    }
    for english in [">Findings<", ">Severity<", "Rows shown"] {
        assert!(!page.contains(english), "{english}");
    }
}
