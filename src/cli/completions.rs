//! `ismap completions SHELL` and `ismap man`: shell completion scripts and manual pages, generated
//! from the same argument definitions the tool parses with.

use std::path::PathBuf;

use clap::CommandFactory;

use super::output::{self, CliError, CmdResult, exit};

/// Arguments of `ismap completions`.
#[derive(Debug, clap::Args)]
pub(crate) struct CompletionsArgs {
    /// The shell: bash, zsh, fish, powershell or elvish.
    shell: clap_complete::Shell,
}

/// Arguments of `ismap man`.
#[derive(Debug, clap::Args)]
pub(crate) struct ManArgs {
    /// Write one page per command (`ismap.1`, `ismap-assess.1`, `ismap-statement-template.1`, ...)
    /// into this folder instead of printing the main page.
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    output: Option<PathBuf>,
}

/// Prints the completion script for `args.shell`.
pub(crate) fn completions<C: CommandFactory>(args: &CompletionsArgs) -> CmdResult {
    let mut cmd = C::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "ismap", &mut script);
    output::emit(None, &script)?;
    Ok(exit::OK)
}

/// Prints the main manual page, or writes every command's page into a folder.
pub(crate) fn man<C: CommandFactory>(args: &ManArgs) -> CmdResult {
    let cmd = C::command();
    let Some(dir) = &args.output else {
        let mut page = Vec::new();
        render(&cmd, &mut page)?;
        output::emit(None, &page)?;
        return Ok(exit::OK);
    };
    std::fs::create_dir_all(dir).map_err(|e| {
        CliError::new(format!("cannot create {}: {e}", dir.display()), "check the path and its permissions")
    })?;
    let mut pages = Vec::new();
    collect(cmd, "ismap", &mut pages);
    for (name, cmd) in pages {
        let mut page = Vec::new();
        render(&cmd, &mut page)?;
        output::emit(Some(&dir.join(format!("{name}.1"))), &page)?;
    }
    Ok(exit::OK)
}

/// Every command and subcommand, each named as its page (`ismap-registry-verify`).
fn collect(cmd: clap::Command, name: &str, out: &mut Vec<(String, clap::Command)>) {
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        let sub_name = format!("{name}-{}", sub.get_name());
        collect(sub.clone().name(sub_name.clone()), &sub_name, out);
    }
    out.push((name.to_owned(), cmd));
}

fn render(cmd: &clap::Command, out: &mut Vec<u8>) -> Result<(), CliError> {
    clap_mangen::Man::new(cmd.clone())
        .render(out)
        .map_err(|e| CliError::bare(format!("cannot render the manual page: {e}")))
}
