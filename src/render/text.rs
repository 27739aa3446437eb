//! Terminal tables and Markdown: the text renderings the command-line tool prints, in either
//! language.

use std::collections::BTreeMap;

use comfy_table::{ContentArrangement, Table, presets};
use ismap_controls::{AssessmentReport, BaselineKind, Finding, Rule, Severity};
use ismap_model::Lang;

/// A text rendering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TextFormat {
    /// A table for the terminal (wrapped to its width, CJK widths counted right).
    Table,
    /// GitHub-flavoured Markdown.
    Markdown,
}

/// A terminal table with a header row; wraps to the terminal width, counts CJK width correctly.
#[must_use]
pub fn table(headers: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> String {
    let mut t = Table::new();
    t.load_preset(presets::UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Dynamic);
    if t.width().is_none() {
        // Not a terminal: wrap at a width that reads well in logs and files.
        t.set_width(120);
    }
    if headers.iter().any(|h| !h.is_empty()) {
        t.set_header(headers.iter().copied());
    }
    for r in rows {
        t.add_row(r);
    }
    let mut s = t.to_string();
    s.push('\n');
    s
}

/// A Markdown table; `|` and newlines inside cells are escaped.
#[must_use]
pub fn markdown_table(headers: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> String {
    let esc = |s: &str| s.replace('|', "\\|").replace('\n', "<br>");
    let mut out = format!("| {} |\n|{}\n", headers.join(" | "), "---|".repeat(headers.len()));
    for r in rows {
        let cells: Vec<String> = r.iter().map(|c| esc(c)).collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    out
}

/// Rows as a terminal table or a Markdown table.
#[must_use]
pub fn rows(format: TextFormat, headers: &[&str], rows: Vec<Vec<String>>) -> String {
    match format {
        TextFormat::Markdown => markdown_table(headers, rows),
        TextFormat::Table => table(headers, rows),
    }
}

/// The baseline's name as users know it.
const fn baseline_name(kind: BaselineKind) -> &'static str {
    match kind {
        BaselineKind::Ismap => "ISMAP",
        BaselineKind::Liu => "ISMAP-LIU",
    }
}

/// An assessment report as a terminal table or Markdown: the verdict and facts, counts per part,
/// every error, and the warnings grouped by rule (each one with `all`).
#[must_use]
pub fn assessment(r: &AssessmentReport, fmt: TextFormat, lang: Lang, all: bool) -> String {
    let md = fmt == TextFormat::Markdown;
    let ja = lang == Lang::Ja;
    let mut out = String::new();
    let heading = |s: &str| if md { format!("## {s}\n\n") } else { format!("{s}\n") };
    out.push_str(&if md { format!("# {}\n\n", r.service.get(lang)) } else { format!("{}\n", r.service.get(lang)) });
    let label = |j: &str, e: &str| if ja { j.to_owned() } else { e.to_owned() };
    let head = vec![
        vec![label("判定", "verdict"), r.verdict.text().get(lang).to_uppercase()],
        vec![label("制度", "program"), r.program.to_string()],
        vec![label("監査対象期間", "assessment period"), format!("{} .. {}", r.period.start(), r.period.end())],
        vec![label("管理基準", "catalog"), format!("{} ({})", r.catalog.name.get(lang), r.catalog.version)],
        vec![label("ベースライン", "baseline"), baseline_name(r.baseline).to_owned()],
        vec![
            label("指摘", "findings"),
            format!(
                "{} {}, {} {}",
                r.totals.errors,
                label("件のエラー", "error(s)"),
                r.totals.warnings,
                label("件の警告", "warning(s)")
            ),
        ],
    ];
    let mut head = head;
    if !r.agencies.is_empty() {
        let names: Vec<&str> = r.agencies.iter().map(|a| a.get(lang)).collect();
        head.push(vec![label("追加要件", "agency additions"), names.join(", ")]);
    }
    if let Some(s) = r.audit_scope {
        head.push(vec![
            label("外部監査の対象", "external audit scope"),
            format!("{} / {} {}", s.external, s.external + s.internal_only, label("項目", "implemented items")),
        ]);
    }
    out.push_str(&rows(fmt, &["", ""], head));
    out.push('\n');
    out.push_str(&heading(&label("区分ごとの集計", "Per part")));
    let counts: &[&str] = if ja {
        &["区分", "選択", "継承", "非選択", "除外", "記載なし", "エラー", "警告"]
    } else {
        &["part", "selected", "inherited", "not selected", "excluded", "missing", "errors", "warnings"]
    };
    let part_rows = r
        .parts
        .iter()
        .map(|p| {
            let t = &p.tally;
            vec![
                p.part.name().get(lang).to_owned(),
                t.selected.to_string(),
                t.inherited.to_string(),
                t.not_selected.to_string(),
                t.excluded.to_string(),
                t.missing.to_string(),
                t.errors.to_string(),
                t.warnings.to_string(),
            ]
        })
        .collect();
    out.push_str(&rows(fmt, counts, part_rows));
    out.push('\n');
    let errors: Vec<&Finding> = r.with_severity(Severity::Error).collect();
    if !errors.is_empty() {
        out.push_str(&heading(&label("エラー", "Errors")));
        out.push_str(&findings_table(fmt, &errors, lang));
        out.push('\n');
    }
    let warnings: Vec<&Finding> = r.with_severity(Severity::Warning).collect();
    if !warnings.is_empty() {
        out.push_str(&heading(&label("警告", "Warnings")));
        if all {
            out.push_str(&findings_table(fmt, &warnings, lang));
        } else {
            let mut by_rule: BTreeMap<Rule, Vec<&Finding>> = BTreeMap::new();
            for w in &warnings {
                by_rule.entry(w.rule).or_default().push(w);
            }
            let rule_rows: Vec<Vec<String>> = by_rule
                .iter()
                .map(|(rule, fs)| {
                    let ids: Vec<String> = fs.iter().filter_map(|f| f.control.map(|c| c.to_string())).take(6).collect();
                    let more = if fs.len() > ids.len() { ", …" } else { "" };
                    vec![
                        rule.id().to_owned(),
                        fs.len().to_string(),
                        rule.title().get(lang).to_owned(),
                        format!("{}{more}", ids.join(", ")),
                    ]
                })
                .collect();
            let heads: &[&str] =
                if ja { &["規則", "件数", "意味", "項目"] } else { &["rule", "count", "meaning", "items"] };
            out.push_str(&rows(fmt, heads, rule_rows));
            out.push_str(&label(
                "（すべての警告は --all、機械可読の全件は --format json）\n",
                "(every warning: --all; everything, machine-readable: --format json)\n",
            ));
        }
    }
    out
}

fn findings_table(fmt: TextFormat, fs: &[&Finding], lang: Lang) -> String {
    let finding_rows: Vec<Vec<String>> = fs
        .iter()
        .map(|f| {
            vec![
                f.control.map(|c| c.to_string()).unwrap_or_default(),
                f.rule.id().to_owned(),
                f.message.get(lang).to_owned(),
                f.path.clone().unwrap_or_default(),
            ]
        })
        .collect();
    let heads: &[&str] = if lang == Lang::Ja {
        &["項目", "規則", "内容", "場所"]
    } else {
        &["item", "rule", "message", "location"]
    };
    rows(fmt, heads, finding_rows)
}
