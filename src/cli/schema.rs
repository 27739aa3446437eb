//! `ismap schema`: list the JSON Schemas, print one, or write or check the committed files.

use std::path::PathBuf;

use super::output::{CliError, CmdResult, exit, print};

/// Arguments of `ismap schema`.
#[derive(Debug, clap::Args)]
pub(crate) struct SchemaArgs {
    /// Print this one schema to standard output, by name (`statement`) or file name
    /// (`statement.schema.json`). Without it and without `--out`, the names are listed.
    #[arg(conflicts_with = "out")]
    name: Option<String>,
    /// Directory to write `<name>.schema.json` files to. Without it, the names are listed.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Compare with the files in `--out` instead of writing; exit 1 when any differs.
    #[arg(long, requires = "out")]
    check: bool,
}

pub(crate) fn run(args: &SchemaArgs) -> CmdResult {
    let schemas = ismap::schema::all();
    if let Some(name) = &args.name {
        let stem = name.strip_suffix(".schema.json").unwrap_or(name);
        let Some(s) = schemas.iter().find(|s| s.name == stem) else {
            let names: Vec<&str> = schemas.iter().map(|s| s.name).collect();
            return Err(CliError::new(format!("no schema named `{name}`"), format!("one of: {}", names.join(", "))));
        };
        print(&s.to_pretty_json());
        return Ok(exit::OK);
    }
    let Some(dir) = &args.out else {
        for s in &schemas {
            print(&format!("{}\t{}\n", s.file_name(), ismap::schema::schema_id(s.name, s.version)));
        }
        return Ok(exit::OK);
    };
    if !args.check {
        std::fs::create_dir_all(dir)
            .map_err(|e| CliError::new(format!("cannot create {}: {e}", dir.display()), "check the path"))?;
    }
    let mut stale = Vec::new();
    for s in &schemas {
        let path = dir.join(s.file_name());
        let text = s.to_pretty_json();
        if args.check {
            if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
                stale.push(path.display().to_string());
            }
        } else {
            std::fs::write(&path, text)
                .map_err(|e| CliError::new(format!("cannot write {}: {e}", path.display()), "check permissions"))?;
            print(&format!("wrote {}\n", path.display()));
        }
    }
    if stale.is_empty() {
        Ok(exit::OK)
    } else {
        eprintln!("out of date: {}\n  hint: run `ismap schema --out {}`", stale.join(", "), dir.display());
        Ok(exit::not_conformant())
    }
}
