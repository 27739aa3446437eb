//! Shared output plumbing for every subcommand: formats, tables, errors and exit codes.

use std::fmt;
use std::process::ExitCode;

/// How a command prints its result.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    /// A readable table for the terminal.
    #[default]
    Table,
    /// Pretty-printed JSON (stable key order), for scripts and integrators.
    Json,
    /// GitHub-flavoured Markdown, for reports and issues.
    Markdown,
}

/// A failure the user can act on: one line naming what is wrong, plus a hint. Exit code 2.
#[derive(Debug)]
pub(crate) struct CliError {
    /// What went wrong, naming the file, JSON path and offending value where there is one.
    pub(crate) message: String,
    /// What to do about it.
    pub(crate) hint: Option<String>,
}

impl CliError {
    /// An error with a hint.
    pub(crate) fn new(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Self { message: message.into(), hint: Some(hint.into()) }
    }

    /// An error without a hint.
    pub(crate) fn bare(message: impl Into<String>) -> Self {
        Self { message: message.into(), hint: None }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error: {}", self.message)?;
        if let Some(h) = &self.hint {
            write!(f, "\n  hint: {h}")?;
        }
        Ok(())
    }
}

/// The process exit codes shared by all commands.
pub(crate) mod exit {
    use std::process::ExitCode;
    /// Success / conformant.
    pub(crate) const OK: ExitCode = ExitCode::SUCCESS;
    /// The input was read but does not conform / verify.
    pub(crate) fn not_conformant() -> ExitCode {
        ExitCode::from(1)
    }
    /// Bad input or usage.
    pub(crate) fn bad_input() -> ExitCode {
        ExitCode::from(2)
    }
}

/// The result of a subcommand.
pub(crate) type CmdResult = Result<ExitCode, CliError>;

/// Serializes `value` as pretty JSON followed by a newline.
pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> Result<String, CliError> {
    serde_json::to_string_pretty(value)
        .map(|mut s| {
            s.push('\n');
            s
        })
        .map_err(|e| CliError::bare(format!("cannot serialize output: {e}")))
}

/// A terminal table with a header row (see [`ismap::render::text::table`]).
pub(crate) fn table(headers: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> String {
    ismap::render::text::table(headers, rows)
}

/// A Markdown table (see [`ismap::render::text::markdown_table`]).
pub(crate) fn markdown_table(headers: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> String {
    ismap::render::text::markdown_table(headers, rows)
}

/// Renders rows as a table or Markdown table (JSON is the caller's job: it serializes its own types).
pub(crate) fn rows(format: Format, headers: &[&str], rows: Vec<Vec<String>>) -> String {
    let text = match format {
        Format::Markdown => ismap::render::text::TextFormat::Markdown,
        Format::Table | Format::Json => ismap::render::text::TextFormat::Table,
    };
    ismap::render::text::rows(text, headers, rows)
}

/// Reads a file to a string, with a one-line error naming it.
pub(crate) fn read_file(path: &std::path::Path) -> Result<String, CliError> {
    std::fs::read_to_string(path).map_err(|e| {
        CliError::new(format!("cannot read {}: {e}", path.display()), "check the path and that the file is UTF-8 text")
    })
}

/// Writes `bytes` to `output` (`-` or `None`: standard output). A file is written whole or not
/// at all: to a temporary file beside it, then renamed into place. A failed write is an error.
pub(crate) fn emit(output: Option<&std::path::Path>, bytes: &[u8]) -> Result<(), CliError> {
    use std::io::Write;
    match output {
        None => write_stdout(bytes),
        Some(p) if p.as_os_str() == "-" => write_stdout(bytes),
        Some(path) => {
            let fail = |e: &dyn fmt::Display| {
                CliError::new(
                    format!("cannot write {}: {e}", path.display()),
                    "check that the folder exists and is writable",
                )
            };
            let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or_else(|| std::path::Path::new("."));
            let name = path.file_name().map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
            let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
            let written = std::fs::File::create(&tmp).and_then(|mut f| {
                f.write_all(bytes)?;
                f.sync_all()
            });
            if let Err(e) = written.and_then(|()| std::fs::rename(&tmp, path)) {
                let _ = std::fs::remove_file(&tmp);
                return Err(fail(&e));
            }
            Ok(())
        }
    }
}

/// Writes to standard output; a closed pipe ends quietly, any other failure is an error.
fn write_stdout(bytes: &[u8]) -> Result<(), CliError> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(CliError::new(
            format!("cannot write to standard output: {e}"),
            "check where the output goes (a full disk, a closed file)",
        )),
        _ => Ok(()),
    }
}

/// The first failure to write standard output, other than a closed pipe: [`finish`] turns it
/// into exit code 2, so that `ismap ... > /dev/full` does not report success.
static STDOUT_FAILURE: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);

/// Prints `s` to stdout. A closed pipe (e.g. `| head`) ends output quietly, as Unix tools do; any
/// other failure is remembered and makes the command fail (see [`finish`]).
pub(crate) fn print(s: &str) {
    if let Err(e) = write_stdout(s.as_bytes())
        && let Ok(mut failure) = STDOUT_FAILURE.lock()
    {
        failure.get_or_insert(e.message);
    }
}

/// Maps a command's result to the process exit code, printing the error if any.
pub(crate) fn finish(result: CmdResult) -> ExitCode {
    let failed_write = STDOUT_FAILURE.lock().ok().and_then(|mut f| f.take());
    let result = match (result, failed_write) {
        (Ok(_), Some(message)) => {
            Err(CliError::new(message, "check where the output goes (a full disk, a closed file)"))
        }
        (other, _) => other,
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{e}");
            exit::bad_input()
        }
    }
}
