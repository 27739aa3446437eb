//! The `ismap` command-line tool. Run `ismap --help`.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod cli;

use cli::output::finish;

/// ISMAP control criteria, statement (言明書) conformance, and CYDER exercise scenarios.
///
/// Every command works on embedded defaults when no file is given: the 2022-04-01 criteria
/// structure and a sample statement of a fictional SaaS.
///
/// Exit codes: 0 success / conformant, 1 not conformant (or invalid document), 2 bad input.
#[derive(Debug, Parser)]
#[command(name = "ismap", version, about, long_about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Browse and validate criteria catalogs (管理基準).
    #[command(subcommand)]
    Catalog(cli::catalog::CatalogCommand),
    /// Assess a statement (言明書) against a catalog, a baseline and agency additions.
    Assess(cli::assess::AssessArgs),
    /// Statements (言明書) where providers work: the template, validation, conversion between
    /// JSON, TOML, XLSX and CSV, migration to a newer criteria revision.
    #[command(subcommand)]
    Statement(cli::statement::StatementCommand),
    /// List the conformance and lifecycle rules with their ids, severities, sources and the
    /// dates they are in force (`--on DATE`: only those in force then).
    Rules(cli::assess::RulesArgs),
    /// Write (or check) the JSON Schemas of every public document type.
    Schema(cli::schema::SchemaArgs),
    /// CYDER exercise scenarios: courses, validation, analyses, pictures, scoring, reports.
    #[command(subcommand)]
    Cyder(cli::cyder::CyderCommand),
    /// The registration journal: append, replay, status, cloud service lists, deadlines, procurement, verify.
    #[command(subcommand)]
    Registry(cli::registry::RegistryCommand),
    /// Print the completion script for a shell (bash, zsh, fish, powershell, elvish).
    Completions(cli::completions::CompletionsArgs),
    /// Print the manual page, or write one page per command with `-o DIR`.
    Man(cli::completions::ManArgs),
    /// NIST OSCAL: export the catalog and baselines, import catalogs, resolve profiles,
    /// validate documents, query mapping collections.
    #[command(subcommand)]
    Oscal(cli::oscal::OscalCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    finish(match cli.command {
        Command::Catalog(c) => cli::catalog::run(c),
        Command::Assess(a) => cli::assess::run(&a),
        Command::Statement(c) => cli::statement::run(c),
        Command::Rules(a) => cli::assess::rules(&a),
        Command::Schema(a) => cli::schema::run(&a),
        Command::Cyder(c) => cli::cyder::run(c),
        Command::Registry(c) => cli::registry::run(c),
        Command::Oscal(c) => cli::oscal::run(c),
        Command::Completions(a) => cli::completions::completions::<Cli>(&a),
        Command::Man(a) => cli::completions::man::<Cli>(&a),
    })
}
