//! `ismap catalog list | show | validate | revisions | diff`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use ismap::controls::catalog::CatalogMeta;
use ismap::controls::{Catalog, CatalogDiff, CatalogError, Node, Requirement};
use ismap::model::{ControlId, ControlLevel, CriteriaPart, Lang};
use serde::Serialize;

use super::output::{self, CliError, CmdResult, Format, exit, print};
use super::{Common, catalog_from_text, load_catalog};

/// Subcommands of `ismap catalog`.
#[derive(Debug, clap::Subcommand)]
pub(crate) enum CatalogCommand {
    /// List the catalog's items with their flags, and the counts per part and level.
    List {
        /// Catalog file (JSON or TOML); the embedded 2022-04-01 structure when omitted.
        #[arg(long)]
        catalog: Option<PathBuf>,
        /// Only items of this level.
        #[arg(long, value_enum)]
        level: Option<LevelArg>,
        /// Only items of this part.
        #[arg(long, value_enum)]
        part: Option<PartArg>,
        #[command(flatten)]
        common: Common,
    },
    /// Show one item, its ancestors and its children (e.g. `ismap catalog show 8.1.2`).
    Show {
        /// The id, e.g. `8.1.2` or `8.1.2.7.PB` (the suffix may be left out).
        id: String,
        /// Catalog file (JSON or TOML); the embedded one when omitted.
        #[arg(long)]
        catalog: Option<PathBuf>,
        #[command(flatten)]
        common: Common,
    },
    /// Validate a catalog file and list every problem with its JSON path.
    Validate {
        /// The catalog file (`.toml` for TOML, anything else is read as JSON).
        file: PathBuf,
        #[command(flatten)]
        common: Common,
    },
    /// Import a criteria table from a spreadsheet (CSV or XLSX) with a column-mapping file.
    Import(super::oscal::CatalogImportArgs),
    /// The criteria's revision history, with the revisions whose structure is embedded.
    Revisions {
        /// Also name the embedded revision in force on this date (YYYY-MM-DD).
        #[arg(long, value_parser = super::settings::parse_date)]
        on: Option<ismap::workflow::chrono::NaiveDate>,
        #[command(flatten)]
        common: Common,
    },
    /// What changed between two revisions: added, removed, renumbered, re-flagged and retitled
    /// items (e.g. `ismap catalog diff 2022.4.1 2024.7.1`).
    Diff {
        /// The older revision: an embedded version (`ismap catalog revisions`) or a catalog file.
        from: String,
        /// The newer revision: an embedded version or a catalog file.
        to: String,
        #[command(flatten)]
        common: Common,
    },
}

/// A level, for `--level`.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub(crate) enum LevelArg {
    Domain,
    Category,
    Objective,
    Detailed,
}

impl From<LevelArg> for ControlLevel {
    fn from(l: LevelArg) -> Self {
        match l {
            LevelArg::Domain => Self::Domain,
            LevelArg::Category => Self::Category,
            LevelArg::Objective => Self::Objective,
            LevelArg::Detailed => Self::Detailed,
        }
    }
}

/// A part, for `--part`.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub(crate) enum PartArg {
    Governance,
    Management,
    Controls,
}

impl From<PartArg> for CriteriaPart {
    fn from(p: PartArg) -> Self {
        match p {
            PartArg::Governance => Self::Governance,
            PartArg::Management => Self::Management,
            PartArg::Controls => Self::Controls,
        }
    }
}

pub(crate) fn run(cmd: CatalogCommand) -> CmdResult {
    match cmd {
        CatalogCommand::List { catalog, level, part, common } => {
            let c = load_catalog(catalog.as_deref())?;
            list(&c, level.map(Into::into), part.map(Into::into), &common)
        }
        CatalogCommand::Show { id, catalog, common } => {
            let c = load_catalog(catalog.as_deref())?;
            show(&c, &id, &common)
        }
        CatalogCommand::Validate { file, common } => validate(&file, &common),
        CatalogCommand::Import(a) => super::oscal::catalog_import(&a),
        CatalogCommand::Revisions { on, common } => revisions(on, &common),
        CatalogCommand::Diff { from, to, common } => diff(&from, &to, &common),
    }
}

/// An embedded revision by version, or a catalog file.
pub(crate) fn revision_or_file(arg: &str) -> Result<Catalog, CliError> {
    if let Ok(version) = arg.parse::<ismap::controls::semver::Version>() {
        return Catalog::revision(&version).cloned().map_err(|e| {
            CliError::new(e.to_string(), "`ismap catalog revisions` lists the revisions; or give a catalog file")
        });
    }
    load_catalog(Some(std::path::Path::new(arg)))
}

/// The embedded revision a statement's `catalog_version` names.
pub(crate) fn revision_of(version: &ismap::controls::semver::Version, origin: &str) -> Result<Catalog, CliError> {
    Catalog::revision(version).cloned().map_err(|e| {
        CliError::new(
            format!("{origin}: $.catalog_version: {e}"),
            "migrate the statement to a known revision (`ismap statement migrate --to`), or give --catalog",
        )
    })
}

fn revisions(on: Option<ismap::workflow::chrono::NaiveDate>, common: &Common) -> CmdResult {
    let lang = common.lang;
    let revisions = Catalog::revisions();
    let in_force = on.and_then(Catalog::in_force).map(|c| c.meta().version.clone());
    if common.format == Format::Json {
        print(&output::to_json(&revisions)?);
        return Ok(exit::OK);
    }
    let ja = lang == Lang::Ja;
    let rows = revisions
        .iter()
        .map(|r| {
            let mut embedded = if r.embedded { if ja { "収録" } else { "embedded" } } else { "" }.to_owned();
            if in_force.as_ref() == Some(&r.version) {
                embedded.push_str(if ja { "（適用中）" } else { " (in force)" });
            }
            vec![r.version.to_string(), r.effective_text(), embedded, r.changes.get(lang).to_owned(), r.source.clone()]
        })
        .collect();
    let heads: &[&str] = if ja {
        &["版", "施行", "収録", "改訂内容", "出典"]
    } else {
        &["version", "effective", "embedded", "changes", "source"]
    };
    let mut out = output::rows(common.format, heads, rows);
    if let (Some(on), None) = (on, &in_force) {
        out.push_str(&if ja {
            format!("{on} に適用される収録版はありません（収録は 2022-04-01 版以降）\n")
        } else {
            format!("no embedded revision is in force on {on} (the embedded ones start with 2022-04-01)\n")
        });
    }
    print(&out);
    Ok(exit::OK)
}

fn requirement_text(r: Requirement, lang: Lang) -> &'static str {
    let (ja, en) = match r {
        Requirement::Structural => ("見出し", "heading"),
        Requirement::Required => ("必須", "mandatory"),
        Requirement::RequiredUnlessExcluded => ("必須（理由付き除外可）", "mandatory unless excluded"),
        Requirement::RequiredUnlessObjectiveExcluded => ("基本言明要件", "basic statement requirement"),
        Requirement::Optional => ("任意", "optional"),
    };
    if lang == Lang::Ja { ja } else { en }
}

fn diff(from: &str, to: &str, common: &Common) -> CmdResult {
    let (a, b) = (revision_or_file(from)?, revision_or_file(to)?);
    let renumbering = Catalog::renumbering_between(&a.meta().version, &b.meta().version);
    let d = CatalogDiff::between(&a, &b, &renumbering);
    if common.format == Format::Json {
        print(&output::to_json(&d)?);
        return Ok(exit::OK);
    }
    let lang = common.lang;
    let ja = lang == Lang::Ja;
    let word = |j: &str, e: &str| if ja { j.to_owned() } else { e.to_owned() };
    let title = |t: Option<&ismap::model::Text>| t.map(|t| t.get(lang).to_owned()).unwrap_or_default();
    let mut rows = Vec::new();
    for i in &d.added {
        let req = requirement_text(i.requirement, lang).to_owned();
        rows.push(vec![word("追加", "added"), i.id.to_string(), String::new(), req, i.title.get(lang).to_owned()]);
    }
    for i in &d.removed {
        let req = requirement_text(i.requirement, lang).to_owned();
        rows.push(vec![word("削除", "removed"), i.id.to_string(), req, String::new(), i.title.get(lang).to_owned()]);
    }
    for r in &d.renumbered {
        rows.push(vec![
            word("番号変更", "renumbered"),
            r.to.to_string(),
            r.from.to_string(),
            r.to.to_string(),
            String::new(),
        ]);
    }
    for r in &d.reflagged {
        rows.push(vec![
            word("区分変更", "re-flagged"),
            r.to.to_string(),
            format!("{} ({})", r.from, requirement_text(r.requirement_before, lang)),
            format!("{} ({})", r.to, requirement_text(r.requirement_after, lang)),
            String::new(),
        ]);
    }
    for r in &d.retitled {
        rows.push(vec![
            word("名称変更", "retitled"),
            r.id.to_string(),
            title(r.before.as_ref()),
            title(r.after.as_ref()),
            String::new(),
        ]);
    }
    let heads: &[&str] = if ja {
        &["変更", "項目", "変更前", "変更後", "名称"]
    } else {
        &["change", "item", "before", "after", "title"]
    };
    let summary = format!("{}\n", d.summary().get(lang));
    let md = common.format == Format::Markdown;
    let mut out = if md { format!("# {}\n\n", summary.trim_end()) } else { summary };
    if !rows.is_empty() {
        out.push_str(&output::rows(common.format, heads, rows));
    }
    print(&out);
    Ok(exit::OK)
}

/// Counts per part and level, as printed by `catalog list`.
#[derive(Serialize)]
struct Counts {
    domains: usize,
    categories: usize,
    objectives: usize,
    cloud_objectives: usize,
    detailed: usize,
    mandatory_detailed: usize,
}

fn counts(c: &Catalog, part: CriteriaPart) -> Counts {
    let of = |level| c.in_part(part).filter(|n| n.level == level).count();
    Counts {
        domains: of(ControlLevel::Domain),
        categories: of(ControlLevel::Category),
        objectives: of(ControlLevel::Objective),
        cloud_objectives: c.in_part(part).filter(|n| n.level == ControlLevel::Objective && n.cloud_specific).count(),
        detailed: of(ControlLevel::Detailed),
        mandatory_detailed: c.in_part(part).filter(|n| n.level == ControlLevel::Detailed && n.mandatory).count(),
    }
}

#[derive(Serialize)]
struct Listing<'a> {
    catalog: &'a CatalogMeta,
    counts: BTreeMap<CriteriaPart, Counts>,
    items: Vec<Node>,
}

fn flags(n: &Node) -> String {
    let mut f = Vec::new();
    if n.cloud_specific {
        f.push("cloud");
    }
    if n.mandatory {
        f.push("mandatory");
    }
    f.join(", ")
}

fn row(n: &Node, lang: Lang) -> Vec<String> {
    vec![
        n.id.to_string(),
        n.part.key().to_owned(),
        n.level.to_string(),
        n.title_or_default().get(lang).to_owned(),
        flags(n),
    ]
}

fn list(c: &Catalog, level: Option<ControlLevel>, part: Option<CriteriaPart>, common: &Common) -> CmdResult {
    // Every item with a title: the catalog's own, or one built from its place (Catalog::title_of).
    let items: Vec<Node> = c
        .nodes()
        .filter(|n| level.is_none_or(|l| n.level == l) && part.is_none_or(|p| n.part == p))
        .map(|n| {
            let mut titled = n.clone();
            titled.title = Some(c.title_of(n));
            titled
        })
        .collect();
    let counts: BTreeMap<CriteriaPart, Counts> = CriteriaPart::ALL.iter().map(|p| (*p, counts(c, *p))).collect();
    let lang = common.lang;
    match common.format {
        Format::Json => print(&output::to_json(&Listing { catalog: c.meta(), counts, items })?),
        f => {
            let meta = c.meta();
            print(&format!(
                "{} — version {}, effective {}, {}\n",
                meta.name.get(lang),
                meta.version,
                meta.effective,
                completeness_label(c, lang)
            ));
            let count_rows = counts
                .iter()
                .map(|(p, k)| {
                    vec![
                        p.name().get(lang).to_owned(),
                        k.domains.to_string(),
                        k.categories.to_string(),
                        format!("{} ({} cloud)", k.objectives, k.cloud_objectives),
                        format!("{} ({} mandatory)", k.detailed, k.mandatory_detailed),
                    ]
                })
                .collect();
            let heads = ["part", "domains", "categories", "objectives", "detailed controls"];
            print(&output::rows(f, &heads, count_rows));
            print("\n");
            let rows = items.iter().map(|n| row(n, lang)).collect();
            print(&output::rows(f, &["id", "part", "level", "title", "flags"], rows));
        }
    }
    Ok(exit::OK)
}

fn completeness_label(c: &Catalog, lang: Lang) -> &'static str {
    match (c.is_complete(), lang) {
        (true, Lang::Ja) => "完全版",
        (true, Lang::En) => "complete",
        (false, Lang::Ja) => "構造のみ（任意の詳細管理策は含まない）",
        (false, Lang::En) => "structure only (optional detailed controls not listed)",
    }
}

#[derive(Serialize)]
struct Shown<'a> {
    item: &'a Node,
    ancestors: Vec<&'a Node>,
    children: Vec<&'a Node>,
}

fn show(c: &Catalog, raw: &str, common: &Common) -> CmdResult {
    let id: ControlId = raw.parse().map_err(|e| {
        CliError::new(format!("`{raw}` is not a control id: {e}"), "ids look like 8, 8.1, 8.1.2 or 8.1.2.7.PB")
    })?;
    let node = c.get(&id).or_else(|| c.get_by_path(&id.path())).ok_or_else(|| {
        CliError::new(
            format!("`{id}` is not in the catalog"),
            if c.is_complete() {
                "run `ismap catalog list` to see the ids".to_owned()
            } else {
                "the embedded catalog lists structure only: optional detailed controls are not included".to_owned()
            },
        )
    })?;
    let mut ancestors = Vec::new();
    let mut cur = node;
    while let Some(p) = c.parent(cur) {
        ancestors.push(p);
        cur = p;
    }
    ancestors.reverse();
    let children: Vec<&Node> = c.children(node).collect();
    let lang = common.lang;
    if common.format == Format::Json {
        print(&output::to_json(&Shown { item: node, ancestors, children })?);
        return Ok(exit::OK);
    }
    let md = common.format == Format::Markdown;
    let title = node.title_or_default();
    print(&if md {
        format!("## {} {}\n\n", node.id, title.get(lang))
    } else {
        format!("{} {}\n", node.id, title.get(lang))
    });
    let other = if lang == Lang::Ja { Lang::En } else { Lang::Ja };
    if let Some(t) = title.exactly(other).filter(|o| *o != title.get(lang)) {
        print(&format!("{}{t}\n", if md { "> " } else { "  " }));
    }
    let path: Vec<String> = ancestors.iter().map(|a| format!("{} {}", a.id, a.title_or_default().get(lang))).collect();
    let refs: Vec<String> = node
        .refs
        .iter()
        .map(|r| r.clause.as_ref().map_or_else(|| r.standard.clone(), |c| format!("{} {c}", r.standard)))
        .collect();
    let facts = vec![
        vec!["part".to_owned(), node.part.name().get(lang).to_owned()],
        vec!["level".to_owned(), if lang == Lang::Ja { node.level.name_ja() } else { node.level.name_en() }.to_owned()],
        vec!["under".to_owned(), path.join(" › ")],
        vec!["requirement".to_owned(), format!("{:?}", node.requirement)],
        vec!["flags".to_owned(), flags(node)],
        vec!["sources".to_owned(), refs.join("; ")],
    ];
    print(&output::rows(common.format, &["", ""], facts));
    if !children.is_empty() {
        print("\n");
        let rows = children.iter().map(|n| row(n, lang)).collect();
        print(&output::rows(common.format, &["id", "part", "level", "title", "flags"], rows));
    }
    Ok(exit::OK)
}

fn validate(file: &std::path::Path, common: &Common) -> CmdResult {
    let text = output::read_file(file)?;
    let problems = match catalog_from_text(file, &text) {
        Ok((_, warnings)) => warnings,
        Err(CatalogError::Invalid(p)) => p,
        Err(e) => return Err(super::catalog_error(file, &e)),
    };
    let report = ismap::controls::CatalogValidation::new(problems);
    let valid = report.valid;
    match common.format {
        Format::Json => print(&output::to_json(&report)?),
        f => {
            let rows = report
                .problems
                .iter()
                .map(|r| {
                    let p = &r.problem;
                    vec![
                        p.severity.to_string(),
                        p.kind.code().to_owned(),
                        p.path.clone(),
                        r.message.get(common.lang).to_owned(),
                    ]
                })
                .collect::<Vec<_>>();
            print(&format!(
                "{}: {} ({} error(s), {} warning(s))\n",
                file.display(),
                if valid { "valid" } else { "invalid" },
                report.errors,
                report.warnings
            ));
            if !rows.is_empty() {
                print(&output::rows(f, &["severity", "kind", "path", "message"], rows));
            }
        }
    }
    Ok(if valid { exit::OK } else { exit::not_conformant() })
}
