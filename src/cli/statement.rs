//! `ismap statement`: work on statements (言明書).

use super::output::CmdResult;

/// Subcommands of `ismap statement`.
#[derive(Debug, clap::Subcommand)]
pub(crate) enum StatementCommand {
    /// Migrate a statement to a newer criteria revision: lists what the revision asks of it
    /// (new items to answer) and writes the migrated statement with those items marked
    /// unanswered (e.g. `ismap statement migrate s.json --to 2024.7.1 -o s-2024.json`).
    Migrate(super::migrate::MigrateArgs),
}

pub(crate) fn run(cmd: &StatementCommand) -> CmdResult {
    match cmd {
        StatementCommand::Migrate(a) => super::migrate::run(a),
    }
}
