//! `ismap statement migrate`: what a newer criteria revision asks of a statement, and the
//! statement migrated to it with the new items marked unanswered.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use ismap::controls::{Catalog, DiffItem, Statement};
use ismap::model::{ControlId, Lang};

use super::Common;
use super::output::{self, CliError, CmdResult, Format, exit, print};

/// Arguments of `ismap statement migrate`.
#[derive(Debug, clap::Args)]
pub(crate) struct MigrateArgs {
    /// The statement (JSON, or TOML with a `.toml` extension); `-` for standard input.
    statement: PathBuf,
    /// The revision to migrate to, e.g. `2024.7.1` (`ismap catalog revisions`).
    #[arg(long, value_name = "REVISION")]
    to: String,
    /// Where to write the migrated statement (JSON); `-` for standard output (the summary then
    /// goes to standard error).
    #[arg(long, short = 'o', value_name = "FILE")]
    out: PathBuf,
    #[command(flatten)]
    common: Common,
}

/// The summary printed by `--format json`.
#[derive(serde::Serialize)]
struct Summary<'a> {
    from: String,
    to: String,
    to_answer: &'a [DiffItem],
    renumbered: &'a [ismap::controls::catalog::Renumbered],
    orphaned: &'a [ControlId],
    written_to: String,
}

fn read_statement(path: &Path) -> Result<Statement, CliError> {
    let hint = "the statement must follow schemas/statement.schema.json";
    let text = if path.as_os_str() == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| CliError::new(format!("cannot read standard input: {e}"), "pipe a UTF-8 statement"))?;
        s
    } else {
        output::read_file(path)?
    };
    let parsed = if super::is_toml(path) { Statement::from_toml_str(&text) } else { Statement::from_json_str(&text) };
    parsed.map_err(|e| CliError::new(format!("{}: {}: {}", path.display(), e.path, e.message), hint))
}

pub(crate) fn run(args: &MigrateArgs) -> CmdResult {
    let statement = read_statement(&args.statement)?;
    let from = super::catalog::revision_of(&statement.catalog_version, &args.statement.display().to_string())?;
    let to_version: ismap::controls::semver::Version = args.to.parse().map_err(|e| {
        CliError::new(format!("--to `{}` is not a revision version: {e}", args.to), "e.g. --to 2024.7.1")
    })?;
    let to = Catalog::revision(&to_version)
        .map_err(|e| CliError::new(format!("--to: {e}"), "`ismap catalog revisions` lists the revisions"))?;
    let renumbering = Catalog::renumbering_between(&from.meta().version, &to.meta().version);
    let m = statement.migrate(&from, to, &renumbering);
    let mut json = output::to_json(&m.statement)?;
    if !json.ends_with('\n') {
        json.push('\n');
    }
    let to_stdout = args.out.as_os_str() == "-";
    if to_stdout {
        print(&json);
    } else {
        std::fs::write(&args.out, &json).map_err(|e| {
            CliError::new(format!("cannot write {}: {e}", args.out.display()), "check the directory and permissions")
        })?;
    }
    let lang = args.common.lang;
    let ja = lang == Lang::Ja;
    let written_to = if to_stdout { "-".to_owned() } else { args.out.display().to_string() };
    let text = match args.common.format {
        Format::Json => output::to_json(&Summary {
            from: m.diff.from.clone(),
            to: m.diff.to.clone(),
            to_answer: &m.to_answer,
            renumbered: &m.renumbered,
            orphaned: &m.orphaned,
            written_to,
        })?,
        f => {
            let mut out = if ja {
                format!(
                    "{} → {}: 回答が必要な新しい項目 {} 件（未回答として記載）、番号変更 {} 件、改訂で無くなった項目 {} 件。移行後の言明書: {written_to}\n",
                    m.diff.from,
                    m.diff.to,
                    m.to_answer.len(),
                    m.renumbered.len(),
                    m.orphaned.len()
                )
            } else {
                format!(
                    "{} → {}: {} new item(s) to answer (marked unanswered), {} renumbered, {} no longer in the revision; migrated statement: {written_to}\n",
                    m.diff.from,
                    m.diff.to,
                    m.to_answer.len(),
                    m.renumbered.len(),
                    m.orphaned.len()
                )
            };
            let mut rows: Vec<Vec<String>> = m
                .to_answer
                .iter()
                .map(|i| {
                    vec![
                        if ja { "回答する" } else { "answer" }.to_owned(),
                        i.id.to_string(),
                        i.title.get(lang).to_owned(),
                    ]
                })
                .collect();
            rows.extend(m.renumbered.iter().map(|r| {
                vec![
                    if ja { "番号変更" } else { "renumbered" }.to_owned(),
                    r.to.to_string(),
                    format!("{} → {}", r.from, r.to),
                ]
            }));
            rows.extend(
                m.orphaned
                    .iter()
                    .map(|id| vec![if ja { "見直す" } else { "review" }.to_owned(), id.to_string(), String::new()]),
            );
            if !rows.is_empty() {
                let heads: &[&str] = if ja { &["対応", "項目", "内容"] } else { &["action", "item", "what"] };
                out.push_str(&output::rows(f, heads, rows));
            }
            out
        }
    };
    if to_stdout {
        eprint!("{text}");
    } else {
        print(&text);
    }
    Ok(exit::OK)
}
