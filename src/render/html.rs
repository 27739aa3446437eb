//! Self-contained HTML reports: one file each, no network, no external scripts, fonts or images.
//! Each page sets `lang`, reads well from 375 px to 1440 px wide, prints cleanly, and has its
//! tables sortable (click a header) and filterable with a few lines of inline script.
//!
//! - [`assessment`]: a statement's assessment (verdict, counts, a per-domain picture as inline
//!   SVG, every finding; each finding row is a `<tr data-finding>`).
//! - [`after_action`]: a CYDER after-action report with the timeline SVG inside.
//! - [`service_lists`]: cloud service lists.
//!
//! ```
//! use ismap::controls::{Assessment, Baseline, Catalog, Statement};
//! use ismap::model::Lang;
//! let report = Assessment::new(Catalog::ismap_2022(), &Baseline::ismap()).assess(&Statement::try_sample()?);
//! let page = ismap::render::html::assessment(&report, Lang::Ja);
//! assert!(page.starts_with("<!doctype html>") && page.contains(r#"<html lang="ja">"#));
//! assert_eq!(page.matches("<tr data-finding").count(), report.findings.len());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt::Write as _;

use cyder_scenario::{AfterActionReport, TaskStatus};
use ismap_controls::{AssessmentReport, Severity, Verdict};
use ismap_model::Lang;
use ismap_workflow::CloudServiceList;

/// Text made safe for HTML content and attribute values.
#[must_use]
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A label in the page's language.
fn l(lang: Lang, ja: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Ja => ja,
        Lang::En => en,
    }
}

const STYLE: &str = r#"
:root{--fg:#1b1f24;--muted:#57606a;--line:#d0d7de;--bg:#fff;--soft:#f6f8fa;--ok:#1a7f37;--ng:#cf222e;--warn:#9a6700;--info:#0969da}
*{box-sizing:border-box}
body{margin:0;font:15px/1.55 system-ui,-apple-system,"Segoe UI","Hiragino Sans","Noto Sans CJK JP","Yu Gothic",Meiryo,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:1200px;margin:0 auto;padding:16px}
h1{font-size:1.5rem;margin:.2em 0}h2{font-size:1.15rem;margin:1.4em 0 .5em;border-bottom:1px solid var(--line);padding-bottom:.2em}
.verdict{display:inline-block;font-weight:700;padding:.15em .7em;border-radius:999px;color:#fff}
.verdict.ok{background:var(--ok)}.verdict.ng{background:var(--ng)}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em;margin:.8em 0}
dl.facts dt{color:var(--muted)}dl.facts dd{margin:0;overflow-wrap:anywhere}
.cards{display:flex;flex-wrap:wrap;gap:8px;margin:.6em 0}
.card{border:1px solid var(--line);border-radius:8px;padding:.4em .8em;min-width:7.5em;background:var(--soft)}
.card b{display:block;font-size:1.3rem}
.tools{display:flex;flex-wrap:wrap;gap:8px;margin:.5em 0}
.tools input,.tools select{font:inherit;padding:.3em .5em;border:1px solid var(--line);border-radius:6px;min-width:0;flex:1 1 12em}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch;border:1px solid var(--line);border-radius:8px}
table{border-collapse:collapse;width:100%;font-size:.92rem}
th,td{padding:.35em .6em;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{background:var(--soft);position:sticky;top:0;white-space:nowrap}
th[data-sort]{cursor:pointer}th[data-sort]::after{content:" \2195";color:var(--muted)}
th[aria-sort=ascending]::after{content:" \2191"}th[aria-sort=descending]::after{content:" \2193"}
td.id,td.num{white-space:nowrap}td.num{text-align:right}td.msg{min-width:16em}td.loc{word-break:break-all;min-width:9em}
.sev{font-weight:600}.sev.error{color:var(--ng)}.sev.warning{color:var(--warn)}.sev.info{color:var(--info)}
.late{color:var(--warn)}.missed{color:var(--ng)}.on_time{color:var(--ok)}
figure{margin:.5em 0;overflow-x:auto}figure svg{width:100%;min-width:560px;height:auto;display:block}
.legend{display:flex;flex-wrap:wrap;gap:12px;font-size:.85rem;color:var(--muted)}
.legend i{display:inline-block;width:.9em;height:.9em;margin-right:.3em;vertical-align:-.1em;border-radius:2px}
footer{margin-top:2em;color:var(--muted);font-size:.8rem}
@media (max-width:600px){main{padding:10px}body{font-size:14px}dl.facts{grid-template-columns:1fr}dl.facts dt{margin-top:.4em}table{min-width:720px}}
@media print{.tools{display:none}.scroll,figure{overflow:visible;border:0}figure svg{min-width:0}table{min-width:0}th{position:static}a{color:inherit}main{max-width:none}body{font-size:11pt}tr{break-inside:avoid}}
"#;

/// Sorting (click a header: text or numbers, both directions) and filtering (a search box and a
/// select naming the value of `data-kind`) of every `table.sortable`.
const SCRIPT: &str = r#"
(function(){
  function key(td){var t=td?td.textContent.trim():"";return t;}
  document.querySelectorAll("table.sortable").forEach(function(table){
    var body=table.tBodies[0];if(!body)return;
    table.querySelectorAll("th[data-sort]").forEach(function(th,i){
      th.setAttribute("tabindex","0");
      function sort(){
        var asc=th.getAttribute("aria-sort")!=="ascending";
        table.querySelectorAll("th[data-sort]").forEach(function(o){o.removeAttribute("aria-sort");});
        th.setAttribute("aria-sort",asc?"ascending":"descending");
        var rows=Array.prototype.slice.call(body.rows);
        rows.sort(function(a,b){var c=key(a.cells[i]).localeCompare(key(b.cells[i]),undefined,{numeric:true});return asc?c:-c;});
        rows.forEach(function(r){body.appendChild(r);});
      }
      th.addEventListener("click",sort);
      th.addEventListener("keydown",function(e){if(e.key==="Enter"||e.key===" "){e.preventDefault();sort();}});
    });
    var box=document.getElementById(table.id+"-q"),kind=document.getElementById(table.id+"-kind"),count=document.getElementById(table.id+"-count");
    function filter(){
      var q=box?box.value.trim().toLowerCase():"",k=kind?kind.value:"",n=0;
      Array.prototype.forEach.call(body.rows,function(r){
        var show=(!q||r.textContent.toLowerCase().indexOf(q)>=0)&&(!k||r.getAttribute("data-kind")===k);
        r.hidden=!show;if(show)n++;
      });
      if(count)count.textContent=String(n);
    }
    if(box)box.addEventListener("input",filter);
    if(kind)kind.addEventListener("change",filter);
  });
})();
"#;

/// The SHA-256 of [`SCRIPT`] (base64), which the page's Content-Security-Policy names as the one
/// script allowed to run: nothing else runs and nothing loads from the network.
const SCRIPT_SHA256: &str = "Sd7084DV9Wpn22X+7KIil+hEEIj8DQuKbCDbxz0r0j4=";

/// The page around `body`.
fn page(lang: Lang, title: &str, body: &str) -> String {
    let lang_code = match lang {
        Lang::Ja => "ja",
        Lang::En => "en",
    };
    format!(
        "<!doctype html>\n<html lang=\"{lang_code}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; \
         script-src 'sha256-{SCRIPT_SHA256}'\">\n<title>{}</title>\n\
         <style>{STYLE}</style>\n</head>\n<body>\n<main>\n{body}<footer>{}</footer>\n</main>\n<script>{SCRIPT}</script>\n</body>\n</html>\n",
        escape(title),
        l(
            lang,
            "ismap が作成した報告書です。外部の資源を読み込みません。",
            "Written by ismap; this page loads nothing from elsewhere."
        ),
    )
}

/// The search box, the kind filter (its options as value and label) and the visible-row count
/// of table `id`.
fn tools(id: &str, lang: Lang, kinds: &[(&str, String)], rows: usize) -> String {
    let mut s = format!(
        "<div class=\"tools\"><input type=\"search\" id=\"{id}-q\" placeholder=\"{}\" aria-label=\"{}\">",
        l(lang, "絞り込み（ID・規則・内容）", "Filter (id, rule, text)"),
        l(lang, "絞り込み", "Filter"),
    );
    if !kinds.is_empty() {
        let _ = write!(
            s,
            "<select id=\"{id}-kind\" aria-label=\"{}\"><option value=\"\">{}</option>",
            l(lang, "種類", "Kind"),
            l(lang, "すべて", "All")
        );
        for (value, label) in kinds {
            let _ = write!(s, "<option value=\"{}\">{}</option>", escape(value), escape(label));
        }
        s.push_str("</select>");
    }
    let _ = write!(
        s,
        "</div><p class=\"legend\">{} <b id=\"{id}-count\">{rows}</b></p>",
        l(lang, "表示中の行:", "Rows shown:")
    );
    s
}

fn th(label: &str) -> String {
    format!("<th data-sort scope=\"col\">{}</th>", escape(label))
}

fn severity_label(s: Severity, lang: Lang) -> &'static str {
    match s {
        Severity::Error => l(lang, "エラー", "error"),
        Severity::Warning => l(lang, "警告", "warning"),
        Severity::Info => l(lang, "情報", "info"),
    }
}

/// A statement's assessment as a page.
#[must_use]
pub fn assessment(r: &AssessmentReport, lang: Lang) -> String {
    let mut b = String::new();
    let ok = r.verdict == Verdict::Conformant;
    let _ = writeln!(
        b,
        "<header><h1>{}</h1><p><span class=\"verdict {}\">{}</span></p></header>",
        escape(r.service.get(lang)),
        if ok { "ok" } else { "ng" },
        escape(r.verdict.text().get(lang)),
    );
    let baseline = match r.baseline {
        ismap_controls::BaselineKind::Ismap => "ISMAP",
        ismap_controls::BaselineKind::Liu => "ISMAP-LIU",
    };
    let _ = write!(
        b,
        "<dl class=\"facts\"><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{} – {}</dd><dt>{}</dt><dd>{} ({})</dd><dt>{}</dt><dd>{}</dd>",
        l(lang, "制度", "Program"),
        r.program,
        l(lang, "監査対象期間", "Assessment period"),
        r.period.start(),
        r.period.end(),
        l(lang, "管理基準", "Criteria"),
        escape(r.catalog.name.get(lang)),
        escape(&r.catalog.version),
        l(lang, "ベースライン", "Baseline"),
        baseline,
    );
    if !r.agencies.is_empty() {
        let names: Vec<String> = r.agencies.iter().map(|a| escape(a.get(lang))).collect();
        let _ = write!(
            b,
            "<dt>{}</dt><dd>{}</dd>",
            l(lang, "追加要件", "Agency additions"),
            names.join(l(lang, "、", ", "))
        );
    }
    b.push_str("</dl>\n");
    let t = &r.totals;
    let cards = [
        (l(lang, "エラー", "Errors"), t.errors),
        (l(lang, "警告", "Warnings"), t.warnings),
        (l(lang, "選択", "Selected"), t.selected),
        (l(lang, "継承", "Inherited"), t.inherited),
        (l(lang, "非選択", "Not selected"), t.not_selected),
        (l(lang, "除外", "Excluded"), t.excluded),
        (l(lang, "記載なし", "Missing"), t.missing),
    ];
    b.push_str("<div class=\"cards\">");
    for (label, n) in cards {
        let _ = write!(b, "<div class=\"card\">{label}<b>{n}</b></div>");
    }
    b.push_str("</div>\n");
    let _ = writeln!(b, "<h2>{}</h2>", l(lang, "領域ごとの回答と指摘", "Answers and findings per domain"));
    b.push_str(&domain_chart(r, lang));
    let _ = writeln!(b, "<h2>{}</h2>", l(lang, "指摘", "Findings"));
    let kinds = [Severity::Error, Severity::Warning, Severity::Info]
        .into_iter()
        .filter(|s| r.findings.iter().any(|f| f.severity == *s))
        .map(|s| (s.to_string(), severity_label(s, lang).to_owned()))
        .collect::<Vec<_>>();
    let kinds: Vec<(&str, String)> = kinds.iter().map(|(v, label)| (v.as_str(), label.clone())).collect();
    b.push_str(&tools("findings", lang, &kinds, r.findings.len()));
    let _ = writeln!(
        b,
        "<div class=\"scroll\"><table class=\"sortable\" id=\"findings\"><thead><tr>{}{}{}{}{}</tr></thead><tbody>",
        th(l(lang, "重大度", "Severity")),
        th(l(lang, "項目", "Item")),
        th(l(lang, "規則", "Rule")),
        th(l(lang, "内容", "Message")),
        th(l(lang, "場所", "Location")),
    );
    for f in &r.findings {
        let sev = f.severity.to_string();
        let _ = writeln!(
            b,
            "<tr data-finding data-kind=\"{sev}\"><td class=\"sev {sev}\">{}</td><td class=\"id\">{}</td><td class=\"id\">{}</td><td class=\"msg\">{}</td><td class=\"loc\">{}</td></tr>",
            severity_label(f.severity, lang),
            f.control.map(|c| escape(&c.to_string())).unwrap_or_default(),
            escape(f.rule.id()),
            escape(f.message.get(lang)),
            escape(f.path.as_deref().unwrap_or_default()),
        );
    }
    b.push_str("</tbody></table></div>\n");
    let title = format!("{} — {}", r.service.get(lang), l(lang, "ISMAP 言明書の評価", "ISMAP statement assessment"));
    page(lang, &title, &b)
}

/// Colours of the per-domain picture: answered, excluded, not selected, missing.
const ANSWERED: &str = "#2da44e";
const EXCLUDED: &str = "#8c959f";
const NOT_SELECTED: &str = "#bf8700";
const MISSING: &str = "#cf222e";

/// One stacked bar per domain (answered, excluded, not selected, missing items) with its error
/// and warning counts, as inline SVG.
fn domain_chart(r: &AssessmentReport, lang: Lang) -> String {
    let rows = r.domains.len();
    let (label_w, bar_w, count_w, row_h) = (260u32, 520u32, 140u32, 24u32);
    let width = label_w + bar_w + count_w;
    let height = u32::try_from(rows).unwrap_or(u32::MAX).saturating_mul(row_h).saturating_add(8);
    let max = r
        .domains
        .iter()
        .map(|d| d.tally.selected + d.tally.inherited + d.tally.excluded + d.tally.not_selected + d.tally.missing)
        .max()
        .unwrap_or(0)
        .max(1);
    let mut s = format!(
        "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{}\" font-size=\"12\" font-family=\"system-ui,sans-serif\">",
        l(lang, "領域ごとの回答と指摘", "Answers and findings per domain"),
    );
    for (i, d) in r.domains.iter().enumerate() {
        let y = u32::try_from(i).unwrap_or(0) * row_h + 4;
        let t = &d.tally;
        let title = d.title.as_ref().map_or_else(String::new, |t| t.get(lang).to_owned());
        let label: String = format!("{} {title}", d.domain).chars().take(34).collect();
        let _ = write!(s, "<text x=\"0\" y=\"{}\" fill=\"#1b1f24\">{}</text>", y + 15, escape(&label));
        let mut x = label_w;
        for (n, colour, what) in [
            (t.selected + t.inherited, ANSWERED, l(lang, "選択・継承", "selected or inherited")),
            (t.excluded, EXCLUDED, l(lang, "除外", "excluded")),
            (t.not_selected, NOT_SELECTED, l(lang, "非選択", "not selected")),
            (t.missing, MISSING, l(lang, "記載なし", "missing")),
        ] {
            if n == 0 {
                continue;
            }
            let w = u32::try_from(n * bar_w as usize / max).unwrap_or(bar_w).max(2);
            let _ = write!(
                s,
                "<rect x=\"{x}\" y=\"{}\" width=\"{w}\" height=\"{}\" fill=\"{colour}\"><title>{} {}: {n}</title></rect>",
                y + 2,
                row_h - 8,
                escape(&d.domain.to_string()),
                what
            );
            x += w;
        }
        let colour = if t.errors > 0 { MISSING } else { "#57606a" };
        let _ = write!(
            s,
            "<text x=\"{}\" y=\"{}\" fill=\"{colour}\">{} {} / {} {}</text>",
            label_w + bar_w + 8,
            y + 15,
            t.errors,
            l(lang, "エラー", "err."),
            t.warnings,
            l(lang, "警告", "warn."),
        );
    }
    s.push_str("</svg></figure>\n<p class=\"legend\">");
    for (colour, label) in [
        (ANSWERED, l(lang, "選択・継承", "selected or inherited")),
        (EXCLUDED, l(lang, "除外（管理目的）", "objective excluded")),
        (NOT_SELECTED, l(lang, "非選択", "not selected")),
        (MISSING, l(lang, "記載なし", "missing")),
    ] {
        let _ = write!(s, "<span><i style=\"background:{colour}\"></i>{label}</span>");
    }
    s.push_str("</p>\n");
    s
}

fn task_class(s: TaskStatus) -> &'static str {
    match s {
        TaskStatus::OnTime => "on_time",
        TaskStatus::Late => "late",
        TaskStatus::Missed => "missed",
    }
}

/// A CYDER after-action report as a page, with `timeline_svg` (the scenario's timeline with the
/// team's actions, `Scenario::to_timeline_svg`) inside. Each scored task is a `<tr data-finding>`.
#[must_use]
pub fn after_action(r: &AfterActionReport, timeline_svg: &str, lang: Lang) -> String {
    let mut b = String::new();
    let card = &r.score;
    let _ = writeln!(
        b,
        "<header><h1>{}</h1><p><span class=\"verdict {}\">{}</span></p></header>",
        escape(r.title.get(lang)),
        if card.passed { "ok" } else { "ng" },
        if card.passed { l(lang, "合格", "Passed") } else { l(lang, "不合格", "Not passed") },
    );
    let mins = |m: Option<u64>| m.map_or_else(|| "–".to_owned(), |m| format!("{m} {}", l(lang, "分", "min")));
    let _ = writeln!(
        b,
        "<dl class=\"facts\"><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{} / {} ({} {})</dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd></dl>",
        l(lang, "コース", "Course"),
        escape(r.course.name().get(lang)),
        l(lang, "チーム", "Team"),
        escape(&r.team.name),
        l(lang, "得点", "Score"),
        card.total,
        card.max,
        l(lang, "合格点", "pass mark"),
        card.pass_score,
        l(lang, "検知まで", "Time to detect"),
        mins(card.time_to_detect),
        l(lang, "封じ込めまで", "Time to contain"),
        mins(card.time_to_contain),
    );
    for (heading, items) in [
        (l(lang, "よくできた点", "What went well"), &r.strengths),
        (l(lang, "改善点", "What to improve"), &r.improvements),
    ] {
        if items.is_empty() {
            continue;
        }
        let _ = write!(b, "<h2>{heading}</h2><ul>");
        for t in items {
            let _ = write!(b, "<li>{}</li>", escape(t.get(lang)));
        }
        b.push_str("</ul>\n");
    }
    let _ =
        writeln!(b, "<h2>{}</h2>\n<figure>{}</figure>", l(lang, "タイムライン", "Timeline"), inline_svg(timeline_svg));
    let _ = writeln!(b, "<h2>{}</h2>", l(lang, "課題ごとの得点", "Tasks"));
    let kinds: Vec<(&str, String)> = [TaskStatus::OnTime, TaskStatus::Late, TaskStatus::Missed]
        .into_iter()
        .filter(|s| card.tasks.iter().any(|t| t.status == *s))
        .map(|s| (task_class(s), s.name().get(lang).to_owned()))
        .collect();
    b.push_str(&tools("tasks", lang, &kinds, card.tasks.len()));
    let _ = writeln!(
        b,
        "<div class=\"scroll\"><table class=\"sortable\" id=\"tasks\"><thead><tr>{}{}{}{}{}{}</tr></thead><tbody>",
        th(l(lang, "課題", "Task")),
        th(l(lang, "名称", "Name")),
        th(l(lang, "結果", "Status")),
        th(l(lang, "実施", "Done")),
        th(l(lang, "期限", "Window")),
        th(l(lang, "得点", "Points")),
    );
    for t in &card.tasks {
        let class = task_class(t.status);
        let _ = writeln!(
            b,
            "<tr data-finding data-kind=\"{class}\"><td class=\"id\">{}</td><td>{}</td><td class=\"{class}\">{}</td><td class=\"num\">{}</td><td class=\"num\">T+{}–T+{}</td><td class=\"num\">{}/{}</td></tr>",
            escape(t.task.as_ref()),
            escape(t.name.get(lang)),
            escape(t.status.name().get(lang)),
            t.done_at.map_or_else(|| "–".to_owned(), |m| format!("T+{m}")),
            t.window.start_minute,
            t.window.end_minute,
            t.points,
            t.max_points,
        );
    }
    b.push_str("</tbody></table></div>\n");
    let _ = writeln!(b, "<h2>{}</h2>", l(lang, "経過", "Events in order"));
    b.push_str(&tools("events", lang, &[], r.timeline.len()));
    let _ = writeln!(
        b,
        "<div class=\"scroll\"><table class=\"sortable\" id=\"events\"><thead><tr>{}{}{}</tr></thead><tbody>",
        th(l(lang, "時刻", "Minute")),
        th(l(lang, "対象", "Subject")),
        th(l(lang, "内容", "What happened")),
    );
    for e in &r.timeline {
        let _ = writeln!(
            b,
            "<tr><td class=\"num\">T+{}</td><td class=\"id\">{}</td><td>{}</td></tr>",
            e.minute,
            escape(&e.subject),
            escape(e.text.get(lang))
        );
    }
    b.push_str("</tbody></table></div>\n");
    let title = format!("{} — {}", r.title.get(lang), l(lang, "演習の振り返り", "after-action report"));
    page(lang, &title, &b)
}

/// An SVG document as an element inside HTML: without its XML declaration.
fn inline_svg(svg: &str) -> &str {
    match svg.find("<svg") {
        Some(i) => svg.get(i..).unwrap_or(svg),
        None => svg,
    }
}

/// A listing status's JSON name (`valid`, `expired`, ...), for `data-kind`.
fn status_key(s: ismap_workflow::ListingStatus) -> String {
    serde_json::to_value(s).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

/// Cloud service lists as a page, one sortable table per list; each service a `<tr data-finding>`.
#[must_use]
pub fn service_lists(lists: &[CloudServiceList], lang: Lang) -> String {
    let mut b = String::new();
    let _ = writeln!(b, "<header><h1>{}</h1></header>", l(lang, "クラウドサービスリスト", "Cloud service lists"));
    for (i, list) in lists.iter().enumerate() {
        let id = format!("list{i}");
        let _ = writeln!(
            b,
            "<h2>{} — {} {}</h2>",
            list.program,
            list.as_of,
            match lang {
                Lang::Ja => format!("時点（{} 件）", list.entries.len()),
                Lang::En => format!("({} service(s))", list.entries.len()),
            }
        );
        let statuses: std::collections::BTreeMap<String, String> =
            list.entries.iter().map(|e| (status_key(e.status), e.status.text().get(lang).to_owned())).collect();
        let kinds: Vec<(&str, String)> = statuses.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
        b.push_str(&tools(&id, lang, &kinds, list.entries.len()));
        let _ = writeln!(
            b,
            "<div class=\"scroll\"><table class=\"sortable\" id=\"{id}\"><thead><tr>{}{}{}{}{}{}{}{}</tr></thead><tbody>",
            th(l(lang, "登録番号", "Number")),
            th(l(lang, "サービス", "Service")),
            th(l(lang, "事業者", "Provider")),
            th(l(lang, "モデル", "Model")),
            th(l(lang, "登録日", "Registered")),
            th(l(lang, "有効期限", "Expiry")),
            th(l(lang, "監査機関", "Audit institution")),
            th(l(lang, "状態", "Status")),
        );
        for e in &list.entries {
            let _ = writeln!(
                b,
                "<tr data-finding data-kind=\"{}\"><td class=\"id\">{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td></tr>",
                status_key(e.status),
                escape(e.registration_number.as_ref()),
                escape(e.name.get(lang)),
                escape(e.provider.get(lang)),
                e.model,
                e.registered_on,
                e.expiry,
                escape(
                    &e.audit_institution_name
                        .as_ref()
                        .map_or(e.audit_institution.to_string(), |n| n.get(lang).to_owned())
                ),
                escape(e.status.text().get(lang)),
            );
        }
        b.push_str("</tbody></table></div>\n");
    }
    page(lang, l(lang, "クラウドサービスリスト", "Cloud service lists"), &b)
}

#[cfg(test)]
#[allow(clippy::indexing_slicing, reason = "test")]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_markup_and_quotes() {
        assert_eq!(escape(r#"<a href="x">&'</a>"#), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
        assert_eq!(escape("かもめ"), "かもめ");
    }

    #[test]
    fn the_content_security_policy_names_the_script() {
        use sha2::Digest as _;
        let digest = sha2::Sha256::digest(SCRIPT.as_bytes());
        // Standard base64, as CSP hashes are written.
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut b64 = String::new();
        for chunk in digest.chunks(3) {
            let n = chunk.iter().fold(0u32, |n, b| (n << 8) | u32::from(*b)) << (8 * (3 - chunk.len()));
            for i in 0..=chunk.len() {
                b64.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            }
        }
        while !b64.len().is_multiple_of(4) {
            b64.push('=');
        }
        assert_eq!(b64, SCRIPT_SHA256);
    }

    #[test]
    fn an_svg_loses_its_xml_declaration_inside_html() {
        assert_eq!(inline_svg("<?xml version=\"1.0\"?>\n<svg/>"), "<svg/>");
        assert_eq!(inline_svg("<svg/>"), "<svg/>");
    }
}
